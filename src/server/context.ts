import type { Actor } from '../core/accounts/roles.js';
import type { User } from '../core/accounts/types.js';
import type { Services } from '../compose.js';
import type { Logger } from 'pino';

export interface Identity {
  actor: Actor;
  user: User;
  /** How the request proved who it is: a browser session (CSRF applies) or a personal API token. */
  via: 'session' | 'token';
  sessionToken?: string;
}

export interface AppDeps {
  services: Services;
  logger: Logger;
  options: { cookieSecure: boolean; bodyLimitBytes: number; importLimitBytes?: number; checkResponses?: boolean; trustProxy?: boolean };
}

export type AppEnv = {
  Variables: {
    requestId: string;
    identity: Identity | undefined;
    /** The token to put in this response's forms: the session's, or the anonymous double-submit cookie's. */
    csrfToken: string;
    alertCount: number | undefined;
  };
};

export const SESSION_COOKIE = 'mobilise_session';
export const ANONYMOUS_CSRF_COOKIE = 'mobilise_csrf';
