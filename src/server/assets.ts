import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { AppEnv } from './context.js';

const nhsukDir = join(dirname(createRequire(import.meta.url).resolve('nhsuk-frontend/package.json')), 'dist', 'nhsuk');
/** `src/web/scripts` and `src/web/styles`, plain files served as they are (also from `dist/`, see below). */
const webDir = fileURLToPath(new URL('../../src/web/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Fixed files, plus two folders whose names are checked so that no path escapes them. */
const files: Record<string, string> = {
  '/assets/nhsuk-frontend.min.css': join(nhsukDir, 'nhsuk-frontend.min.css'),
  '/assets/nhsuk-frontend.min.js': join(nhsukDir, 'nhsuk-frontend.min.js'),
  '/assets/app.css': join(webDir, 'styles', 'app.css'),
  '/favicon.ico': join(nhsukDir, 'assets', 'images', 'favicon.ico'),
};
const folders: [prefix: string, dir: string][] = [
  ['/assets/images/', join(nhsukDir, 'assets', 'images')],
  ['/assets/scripts/', join(webDir, 'scripts')],
];

const resolveAsset = (path: string): string | undefined => {
  const fixed = files[path];
  if (fixed) {
    return fixed;
  }
  for (const [prefix, dir] of folders) {
    const name = path.slice(prefix.length);
    if (path.startsWith(prefix) && /^[a-z0-9-]+\.[a-z]+$/.test(name)) {
      return normalize(join(dir, name));
    }
  }
  return undefined;
};

/** Serves the design system and our small scripts, cached in memory after the first read. */
export const registerAssets = (app: Hono<AppEnv>): void => {
  const cache = new Map<string, Buffer>();
  app.get('/assets/*', async (c, next) => {
    const file = resolveAsset(c.req.path);
    const type = file ? contentTypes[extname(file)] : undefined;
    if (!file || !type) {
      return next();
    }
    let body = cache.get(file);
    if (!body) {
      try {
        body = await readFile(file);
      } catch {
        // A missing asset is a 404 like any unknown path.
        return next();
      }
      cache.set(file, body);
    }
    return c.body(new Uint8Array(body), 200, { 'content-type': type, 'cache-control': 'public, max-age=3600' });
  });
  app.get('/favicon.ico', async (c) => {
    const file = files['/favicon.ico'] ?? '';
    const body = cache.get(file) ?? (await readFile(file));
    cache.set(file, body);
    return c.body(new Uint8Array(body), 200, { 'content-type': 'image/x-icon', 'cache-control': 'public, max-age=86400' });
  });
};
