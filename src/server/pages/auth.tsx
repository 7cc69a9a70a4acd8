import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { isStaff } from '../../core/accounts/roles.js';
import { SESSION_DAYS } from '../../core/accounts/accounts.js';
import { AppError } from '../../core/shared/errors.js';
import { LoginPage } from '../../web/pages/accounts/login-page.js';
import { emptyForm } from '../../web/components/form.js';
import type { Services } from '../../compose.js';
import { SESSION_COOKIE, type AppEnv } from '../context.js';
import { formBody, formText } from '../validation.js';
import { pageContext, render } from './render.js';

/**
 * Only local paths may be a `next` target, so the login form cannot redirect off-site. Browsers drop
 * tabs and newlines from a URL before parsing it (WHATWG URL), so `/<tab>/evil.example` would become
 * `//evil.example`: control characters are refused outright.
 */
const safeNext = (next: string | undefined): string | undefined =>
  next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !/[\u0000-\u001f\u007f]/.test(next) ? next : undefined;

export const authPages = ({ accounts }: Services, options: { cookieSecure: boolean; clientIp: (c: import('hono').Context<AppEnv>) => string }) => {
  const app = new Hono<AppEnv>();

  app.get('/', (c) => {
    const identity = c.get('identity');
    if (!identity) {
      return c.redirect('/login', 303);
    }
    return c.redirect(isStaff(identity.actor.role) ? '/needs' : '/needs/mine', 303);
  });

  app.get('/login', (c) => {
    if (c.get('identity')) {
      return c.redirect('/', 303);
    }
    return render(c, <LoginPage context={pageContext(c)} form={emptyForm()} next={safeNext(c.req.query('next'))} />);
  });

  app.post('/login', async (c) => {
    const body = formBody(await c.req.parseBody({ all: true }));
    const email = formText(body, 'email') ?? '';
    const password = formText(body, 'password') ?? '';
    const next = safeNext(formText(body, 'next'));
    const again = (errors: Record<string, string>, status: 422 | 429) =>
      render(c, <LoginPage context={pageContext(c)} form={{ values: { email }, errors }} next={next} />, status);
    if (!email || !password) {
      return again({ ...(email ? {} : { email: 'Enter your email address' }), ...(password ? {} : { password: 'Enter your password' }) }, 422);
    }
    try {
      const { token } = await accounts.logIn({ email, password, ip: options.clientIp(c) });
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: options.cookieSecure,
        path: '/',
        maxAge: SESSION_DAYS * 86_400,
      });
      return c.redirect(next ?? '/', 303);
    } catch (error) {
      if (error instanceof AppError && error.code === 'auth.invalid_credentials') {
        return again({ email: 'Email address or password is not right' }, 422);
      }
      if (error instanceof AppError && error.code === 'auth.rate_limited') {
        return again({ email: error.message }, 429);
      }
      throw error;
    }
  });

  app.post('/logout', async (c) => {
    const identity = c.get('identity');
    if (identity?.sessionToken) {
      await accounts.logOut(identity.sessionToken);
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });

  return app;
};
