import { randomInt } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { expect } from 'vitest';
import type { Services } from '../../src/compose.js';
import type { Role } from '../../src/core/accounts/roles.js';
import { createApp } from '../../src/server/app.js';
import { ANONYMOUS_CSRF_COOKIE, SESSION_COOKIE } from '../../src/server/context.js';
import { buildActor, TEST_PASSWORD } from './builders.js';

/**
 * Helpers for HTTP tests through `app.request` (no socket). Each simulated client has an address of
 * its own, passed as the Node bindings `getConnInfo` reads, so login throttling per address does not
 * leak between tests (or between runs against a long-lived TEST_DATABASE_URL).
 */
export type App = ReturnType<typeof createApp>;

export const BODY_LIMIT_BYTES = 64 * 1024;

export const buildApp = (services: Services, options: { logger?: Logger; cookieSecure?: boolean; importLimitBytes?: number } = {}): App =>
  createApp({
    services,
    logger: options.logger ?? pino({ level: 'silent' }),
    options: { cookieSecure: options.cookieSecure ?? false, bodyLimitBytes: BODY_LIMIT_BYTES, importLimitBytes: options.importLimitBytes, checkResponses: true },
  });

export const randomIp = (): string => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/** The bindings `@hono/node-server` would give a request from `ip`. */
const socketFrom = (ip: string) => ({ incoming: { socket: { remoteAddress: ip, remotePort: 40_000, remoteFamily: 'IPv4' } } });

/** A signed-in browser: its session cookie and the session's CSRF token. */
export interface Session {
  cookie: string;
  csrfToken: string;
  ip: string;
}

export interface Send {
  method?: string;
  /** A browser session (cookie, plus its CSRF token on writes unless `csrf` says otherwise). */
  session?: Session | undefined;
  /** A personal API token, sent as `Authorization: Bearer …`. */
  token?: string | undefined;
  /** Extra cookies, as `name=value`. */
  cookies?: string[];
  json?: unknown;
  /** Raw body text (with `contentType`), for malformed or oversized bodies. */
  text?: string;
  contentType?: string;
  form?: Record<string, string | string[]>;
  /** A multipart form (file uploads); the session's CSRF token is added as `_csrf` like `form`. */
  multipart?: FormData;
  /** A raw byte body (uploaded files), sent with `contentType` or as application/octet-stream. */
  bytes?: Uint8Array;
  /** The CSRF token to send: the session's by default on writes, `null` for none, or a string of your own. */
  csrf?: string | null;
  headers?: Record<string, string>;
  ip?: string;
}

const isWrite = (method: string): boolean => !['GET', 'HEAD', 'OPTIONS'].includes(method);

/** Sends one request the way a browser or script would. */
export const send = async (app: App, path: string, options: Send = {}): Promise<Response> => {
  const method = options.method ?? (options.json !== undefined || options.form || options.multipart || options.bytes || options.text !== undefined ? 'POST' : 'GET');
  const headers = new Headers(options.headers);
  const cookies = [...(options.cookies ?? []), ...(options.session ? [options.session.cookie] : [])];
  if (cookies.length > 0) {
    headers.set('cookie', cookies.join('; '));
  }
  if (options.token) {
    headers.set('authorization', `Bearer ${options.token}`);
  }
  const csrf = options.csrf === undefined ? (options.session && isWrite(method) ? options.session.csrfToken : null) : options.csrf;
  let body: string | FormData | Uint8Array | undefined;
  if (options.multipart) {
    // The boundary goes in the content type, which the request sets itself from the FormData.
    body = new FormData();
    for (const [name, value] of options.multipart.entries()) {
      body.append(name, value);
    }
    if (csrf !== null) {
      body.set('_csrf', csrf);
    }
  } else if (options.bytes) {
    headers.set('content-type', options.contentType ?? 'application/octet-stream');
    body = options.bytes;
    if (csrf !== null) {
      headers.set('x-csrf-token', csrf);
    }
  } else if (options.form) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(options.form)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        params.append(name, item);
      }
    }
    if (csrf !== null) {
      params.set('_csrf', csrf);
    }
    headers.set('content-type', 'application/x-www-form-urlencoded');
    body = params.toString();
  } else {
    if (options.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(options.json);
    } else if (options.text !== undefined) {
      headers.set('content-type', options.contentType ?? 'application/json');
      body = options.text;
    }
    if (csrf !== null) {
      headers.set('x-csrf-token', csrf);
    }
  }
  return app.request(path, { method, headers, ...(body === undefined ? {} : { body }) }, socketFrom(options.ip ?? options.session?.ip ?? randomIp()));
};

/** Every `Set-Cookie` of a response, parsed: name, value and attributes (lower-cased names). */
export const setCookies = (response: Response) =>
  response.headers.getSetCookie().map((line) => {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const split = pair.indexOf('=');
    return {
      line,
      name: pair.slice(0, split),
      value: pair.slice(split + 1),
      attributes: new Map(
        attributes.map((attribute) => {
          const [key = '', ...rest] = attribute.split('=');
          return [key.toLowerCase(), rest.join('=')] as const;
        }),
      ),
    };
  });

export const cookieNamed = (response: Response, name: string) => setCookies(response).find((cookie) => cookie.name === name);

/** The hidden `_csrf` field of the (first) form on a page. */
export const csrfFieldOf = (html: string): string => {
  const match = /<input type="hidden" name="_csrf" value="([^"]*)"/.exec(html);
  if (!match?.[1]) {
    throw new Error('No _csrf field on the page');
  }
  return match[1];
};

/** GETs the sign-in page as a new visitor: the anonymous CSRF cookie and the form's token. */
export const openLoginForm = async (app: App, ip: string, query = '') => {
  const response = await send(app, `/login${query}`, { ip });
  expect(response.status).toBe(200);
  const cookie = cookieNamed(response, ANONYMOUS_CSRF_COOKIE);
  if (!cookie) {
    throw new Error('The sign-in page set no anonymous CSRF cookie');
  }
  const html = await response.text();
  return { cookie: `${cookie.name}=${cookie.value}`, csrfToken: csrfFieldOf(html), html };
};

/** Posts the sign-in form as a fresh visitor would; the response is returned as it came. */
export const postLogin = async (app: App, fields: { email: string; password: string; next?: string }, ip = randomIp()) => {
  const login = await openLoginForm(app, ip);
  return send(app, '/login', { ip, cookies: [login.cookie], form: fields, csrf: login.csrfToken });
};

/** Signs in through the form and returns the session cookie and the session's CSRF token (from GET /api/me). */
export const signInAs = async (app: App, email: string, password: string, ip = randomIp()): Promise<Session> => {
  const response = await postLogin(app, { email, password }, ip);
  expect(response.status).toBe(303);
  const session = cookieNamed(response, SESSION_COOKIE);
  if (!session?.value) {
    throw new Error(`Signing in as ${email} set no session cookie`);
  }
  const cookie = `${session.name}=${session.value}`;
  const me = await send(app, '/api/me', { cookies: [cookie], ip });
  expect(me.status).toBe(200);
  const { csrfToken } = (await me.json()) as { csrfToken?: string };
  if (!csrfToken) {
    throw new Error('GET /api/me gave no csrfToken for a session');
  }
  return { cookie, csrfToken, ip };
};

/** A new account of `role` as both of its clients: a browser signed in through the form, and a script with a personal API token. */
export const buildClient = async (app: App, services: Services, role: Role) => {
  const built = await buildActor(services, role);
  const session = await signInAs(app, built.email, TEST_PASSWORD);
  const { token } = await services.accounts.createApiToken(built.actor, 'tests');
  return { ...built, session, token };
};

export type Client = Awaited<ReturnType<typeof buildClient>>;

export interface ApiError {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** Reads an API error body, checking it has exactly the documented shape. */
export const apiError = async (response: Response): Promise<ApiError['error']> => {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as ApiError;
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toEqual({ code: expect.any(String), message: expect.any(String), details: expect.any(Object) });
  return body.error;
};

/** Server-sent events from a streaming response, parsed one message at a time, each read with a deadline. */
export const eventReader = (response: Response) => {
  if (!response.body) {
    throw new Error('The response has no body to stream');
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const parse = (block: string) => {
    const fields = { event: 'message', data: [] as string[] };
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) {
        fields.event = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        fields.data.push(line.slice(5).replace(/^ /, ''));
      }
    }
    return { event: fields.event, data: fields.data.join('\n'), raw: block };
  };
  const readChunk = async (deadline: number) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Timed out waiting for a server-sent event')), Math.max(0, deadline - Date.now()));
    });
    try {
      return await Promise.race([reader.read(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  /** The next message that is not a comment line (`: heartbeat`), or a rejection after `timeoutMs`. */
  const next = async (timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n').filter((line) => line !== '' && !line.startsWith(':'));
        if (lines.length > 0) {
          return parse(lines.join('\n'));
        }
        continue;
      }
      // eslint-disable-next-line no-await-in-loop -- a stream is read chunk by chunk
      const { done, value } = await readChunk(deadline);
      if (done) {
        throw new Error('The event stream ended');
      }
      buffer += decoder.decode(value, { stream: true });
    }
  };
  return { next, cancel: () => reader.cancel() };
};
