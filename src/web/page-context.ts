import type { Actor } from '../core/accounts/roles.js';

/** What every page needs from the request: who is signed in and the CSRF token for its forms. */
export interface PageContext {
  actor: Actor | undefined;
  csrfToken: string;
  path: string;
  /** Unread alerts of new evidence, shown in the menu. */
  alertCount?: number;
}
