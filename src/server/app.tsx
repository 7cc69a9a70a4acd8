import { briefingPages, publicBriefingPages } from './pages/briefings.js';
import { reviewPages } from './pages/reviews.js';
import { reviewOutputPages } from './pages/review-outputs.js';
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AppError, isAppError } from '../core/shared/errors.js';
import { ErrorPage } from '../web/pages/error-page.js';
import { apiRoutes } from './api/routes.js';
import { openApiDocument, registerRoutes } from './api/define.js';
import { registerAssets } from './assets.js';
import type { AppDeps, AppEnv } from './context.js';
import { errorBody, statusFor } from './errors.js';
import { identify, requireCsrf } from './middleware/identity.js';
import { accountPages } from './pages/account.js';
import { authPages } from './pages/auth.js';
import { directoryPages } from './pages/directory.js';
import { livePages } from './pages/live.js';
import { needPages } from './pages/needs.js';
import { evidencePages } from './pages/evidence.js';
import { searchPages } from './pages/search.js';
import { alertPages } from './pages/alerts.js';
import { impactPages } from './pages/impact.js';
import { pageContext, render } from './pages/render.js';
import { version } from '../version.js';

const isUploadPath = (path: string): boolean => path === '/evidence/import' || path === '/api/evidence/imports';
const isApiPath = (path: string): boolean => path === '/api' || path.startsWith('/api/');
/** A requester answers a follow-up by its link, without an account (the token in the path is the credential). */
const isFollowupAnswerPath = (path: string): boolean => /^\/followups\/[A-Za-z0-9_-]{20,100}$/.test(path);
/** A delivered output marked public, by its unguessable address. */
const isPublicOutputPath = (path: string): boolean => /^\/p\/[A-Za-z0-9_-]{16,64}$/.test(path);
const isOpenPage = (path: string): boolean =>
  path === '/login' || path === '/' || path.startsWith('/assets/') || path === '/favicon.ico' || isFollowupAnswerPath(path) || isPublicOutputPath(path);

/**
 * The address used for login throttling. Behind a reverse proxy (TRUST_PROXY=true) it is the
 * left-most X-Forwarded-For entry; otherwise the socket's, which a client cannot forge.
 */
const clientIpFor =
  (trustProxy: boolean) =>
  (c: Context<AppEnv>): string => {
    const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
    if (forwarded) {
      return forwarded;
    }
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      // app.request() in tests has no socket; all such requests share one throttling bucket.
      return 'local';
    }
  };

/** Builds the HTTP app from its dependencies; `main.ts` gives it a socket, tests call `app.request`. */
export const createApp = ({ services, logger, options }: AppDeps) => {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const requestId = randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    logger.debug({ requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // The design system's CSS names Frutiger on assets.nhs.uk; we serve no third-party requests, so it falls back to Arial.
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
      },
    }),
  );
  registerAssets(app);
  // Reference files are large; everything else is small. Each gets its own limit (413 beyond it).
  const limitTo = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError('request.too_large', `The request body is larger than the limit of ${maxSize} bytes`, { limit: maxSize });
      },
    });
  const uploadLimit = limitTo(options.importLimitBytes ?? 100 * 1024 * 1024);
  const bodyLimitDefault = limitTo(options.bodyLimitBytes);
  // Who is asking comes first (it reads headers only), so a 413 page shows the person signed in.
  app.use(identify({ services, options }));
  app.use((c, next) => (isUploadPath(c.req.path) ? uploadLimit(c, next) : bodyLimitDefault(c, next)));
  app.use(requireCsrf());

  const api = new Hono<AppEnv>();
  const specs = apiRoutes(services);
  api.get('/openapi.json', (c) => c.json(openApiDocument(specs, version)));
  registerRoutes(api, specs, { checkResponses: options.checkResponses ?? false });
  app.route('/api', api);

  // Every page but sign-in needs a signed-in person; others are sent to sign in and brought back.
  app.use(async (c, next) => {
    if (c.get('identity') || isOpenPage(c.req.path) || isApiPath(c.req.path)) {
      return next();
    }
    if (c.req.method === 'GET') {
      const url = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    throw new AppError('auth.unauthenticated', 'Sign in to continue');
  });
  // The menu shows how many alerts of new evidence are unread (one small query per page).
  app.use(async (c, next) => {
    const identity = c.get('identity');
    c.set('alertCount', identity && c.req.method === 'GET' ? await services.living.countUnseen(identity.actor) : undefined);
    return next();
  });
  app.route('/', authPages(services, { cookieSecure: options.cookieSecure, clientIp: clientIpFor(options.trustProxy ?? false) }));
  app.route('/', needPages(services));
  app.route('/', livePages(services));
  app.route('/', accountPages(services));
  app.route('/', directoryPages(services));
  app.route('/', evidencePages(services));
  app.route('/', searchPages(services));
  app.route('/', alertPages(services));
  app.route('/', impactPages(services));
  app.route('/', reviewPages(services));
  app.route('/', reviewOutputPages(services));
  app.route('/', briefingPages(services));
  app.route('/', publicBriefingPages(services));

  app.notFound((c) => {
    if (isApiPath(c.req.path)) {
      return c.json(errorBody('request.not_found', `No route for ${c.req.method} ${c.req.path}`), 404);
    }
    return render(c, <ErrorPage context={pageContext(c)} status={404} message="Check the address, or go back to your home page." />, 404);
  });

  app.onError((error, c) => {
    const requestId = c.get('requestId');
    if (isAppError(error)) {
      const status = statusFor(error.code);
      if (isApiPath(c.req.path)) {
        return c.json(errorBody(error.code, error.message, error.details), status);
      }
      if (error.code === 'auth.unauthenticated') {
        return c.redirect('/login', 303);
      }
      const pageStatus = status === 401 ? 403 : status === 400 ? 422 : status;
      return render(c, <ErrorPage context={pageContext(c)} status={pageStatus} message={error.message} />, pageStatus);
    }
    // Unknown errors: the cause goes to the log with the request id; the client sees neither SQL nor stack.
    logger.error({ err: error, requestId, path: c.req.path }, 'unhandled error');
    if (isApiPath(c.req.path)) {
      return c.json(errorBody('internal', 'Internal error', { requestId }), 500);
    }
    return render(c, <ErrorPage context={pageContext(c)} status={500} message={`Try again later. If it keeps happening, quote reference ${requestId}.`} />, 500);
  });

  return app;
};
