import type { ApiTokenId, OrganisationId, UserId } from '../shared/ids.js';
import type { Role } from './roles.js';
import type { ApiToken, Session, User, UserWithSecret } from './types.js';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  organisationId: OrganisationId | undefined;
  passwordHash: string;
}

/** Stores accounts, sessions, API tokens and login attempts. Secrets are stored only as hashes. */
export interface AccountStore {
  findUserByEmail(email: string): Promise<UserWithSecret | undefined>;
  findUser(id: UserId): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  insertUser(user: NewUser): Promise<User>;
  updatePasswordHash(id: UserId, passwordHash: string): Promise<void>;
  /** Deletes every session of the user except the one whose hash is given. */
  deleteOtherSessions(id: UserId, keepSessionHash: string | undefined): Promise<void>;
  insertSession(sessionHash: string, session: Session): Promise<void>;
  findSession(sessionHash: string, now: Date): Promise<Session | undefined>;
  deleteSession(sessionHash: string): Promise<void>;
  insertApiToken(token: { userId: UserId; name: string; prefix: string; tokenHash: string }): Promise<ApiToken>;
  listApiTokens(userId: UserId): Promise<ApiToken[]>;
  revokeApiToken(userId: UserId, id: ApiTokenId, at: Date): Promise<boolean>;
  /** Finds the live (not revoked) token with this hash and records its use. */
  useApiToken(tokenHash: string, at: Date): Promise<ApiToken | undefined>;
  recordLoginAttempt(attempt: { email: string; ip: string; succeeded: boolean; at: Date }): Promise<void>;
  countFailedLogins(filter: { email: string; ip: string; since: Date }): Promise<{ byEmail: number; byIp: number }>;
}

/** Password hashing (scrypt in production); slow on purpose. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

/** Random secrets and their one-way hashes for sessions, CSRF and API tokens. */
export interface Secrets {
  randomToken(bytes?: number): string;
  hashToken(token: string): string;
}
