import type { ApiTokenId, OrganisationId, UserId } from '../shared/ids.js';
import type { Role } from './roles.js';

export interface User {
  id: UserId;
  email: string;
  name: string;
  role: Role;
  organisationId: OrganisationId | undefined;
  createdAt: Date;
}

export interface UserWithSecret extends User {
  passwordHash: string;
}

export interface Session {
  userId: UserId;
  csrfToken: string;
  expiresAt: Date;
}

export interface ApiToken {
  id: ApiTokenId;
  userId: UserId;
  name: string;
  /** The first characters of the token, shown so that people can tell their tokens apart. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | undefined;
  revokedAt: Date | undefined;
}
