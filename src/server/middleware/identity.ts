import { timingSafeEqual } from 'node:crypto';
import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../core/shared/errors.js';
import { nodeSecrets } from '../../adapters/crypto/secrets.js';
import { ANONYMOUS_CSRF_COOKIE, SESSION_COOKIE, type AppDeps, type AppEnv } from '../context.js';

/**
 * Finds who is asking: a personal API token (`Authorization: Bearer mob_…`) or a session cookie.
 * Visitors without a session get an anonymous CSRF cookie so that the sign-in form is protected too.
 */
export const identify = ({ services, options }: Pick<AppDeps, 'services' | 'options'>) =>
  createMiddleware<AppEnv>(async (c, next) => {
    c.set('identity', undefined);
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const [scheme, token] = authorization.split(' ');
      const found = scheme?.toLowerCase() === 'bearer' && token ? await services.accounts.authenticateToken(token.trim()) : undefined;
      if (!found) {
        throw new AppError('auth.token_invalid', 'The API token is not valid or has been revoked');
      }
      c.set('identity', { ...found, via: 'token' });
      c.set('csrfToken', '');
      return next();
    }
    const sessionToken = getCookie(c, SESSION_COOKIE);
    const found = sessionToken ? await services.accounts.authenticateSession(sessionToken) : undefined;
    if (found && sessionToken) {
      c.set('identity', { actor: found.actor, user: found.user, via: 'session', sessionToken });
      c.set('csrfToken', found.session.csrfToken);
      return next();
    }
    let anonymous = getCookie(c, ANONYMOUS_CSRF_COOKIE);
    if (!anonymous || anonymous.length < 20) {
      anonymous = nodeSecrets.randomToken();
      setCookie(c, ANONYMOUS_CSRF_COOKIE, anonymous, { httpOnly: true, sameSite: 'Strict', secure: options.cookieSecure, path: '/' });
    }
    c.set('csrfToken', anonymous);
    return next();
  });

const sameToken = (expected: string, actual: string): boolean => {
  const left = Buffer.from(expected);
  const right = Buffer.from(actual);
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
};

const isSafe = (method: string): boolean => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';

/**
 * Synchroniser-token CSRF check on every state-changing request made with cookies: forms send
 * `_csrf`, scripts send `X-CSRF-Token`. Requests with an API token carry no ambient credential.
 */
export const requireCsrf = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (isSafe(c.req.method) || c.get('identity')?.via === 'token') {
      return next();
    }
    // An API write with no credentials has nothing to forge: its route answers 401, which tells a
    // script that forgot its token what is wrong, where a CSRF failure would not.
    if (!c.get('identity') && c.req.path.startsWith('/api/')) {
      return next();
    }
    let provided = c.req.header('x-csrf-token');
    const type = c.req.header('content-type') ?? '';
    if (provided === undefined && (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data'))) {
      const form = await c.req.parseBody();
      provided = typeof form._csrf === 'string' ? form._csrf : undefined;
    }
    if (!provided || !sameToken(c.get('csrfToken'), provided)) {
      throw new AppError(
        'auth.csrf_failed',
        c.req.path.startsWith('/api/')
          ? 'Writes made with the session cookie need the X-CSRF-Token header (its value is csrfToken in GET /api/me), or use a personal API token'
          : 'The form has expired or did not come from this site. Go back, reload the page and try again.',
      );
    }
    return next();
  });
