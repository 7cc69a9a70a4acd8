import { existsSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { TEST_PASSWORD } from './builders.js';
import { startTestServer, type TestServer } from './server.js';

/** How long a browser test waits for anything: generous for a loaded machine, but every wait ends as soon as its condition holds. */
export const WAIT_MS = 15_000;

/**
 * Debian's Chromium. `/usr/lib/chromium/chromium` is the real binary; the `/usr/bin/chromium`
 * wrapper works too but prints a harmless shell error. CHROMIUM_PATH overrides both.
 */
export const chromiumPath = (): string | undefined =>
  [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path): path is string => Boolean(path) && existsSync(path as string));

const isCi = process.env.CI === 'true';

/** Browser tests run when Chromium is installed; under CI=true a missing browser fails the run. */
export const browserAvailable = (): boolean => {
  const path = chromiumPath();
  if (!path && isCi) {
    throw new Error('CI=true but no Chromium found (install Debian\'s chromium or set CHROMIUM_PATH): browser tests must run in CI');
  }
  if (!path) {
    console.warn('Chromium not found: browser tests are skipped. Install it with `apt-get install -y chromium` or set CHROMIUM_PATH.');
  }
  return Boolean(path);
};

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: chromiumPath() ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });

/** Signs in through the real form, then waits to leave /login (a failed sign-in stays there). */
export const signIn = async (page: Page, baseUrl: string, email: string, password: string): Promise<void> => {
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('heading', { level: 1, name: 'Sign in to Mobilise' }).waitFor();
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
};

export interface PageOptions extends BrowserContextOptions {
  /** The one origin the page may reach. */
  origin: string;
}

/**
 * A page in a browser context of its own (its own cookies, so two people can be signed in at once),
 * whose waits last up to WAIT_MS. Requests to any origin but `origin` are refused: the design
 * system's fonts come from assets.nhs.uk, and with no network their failed look-ups held up the
 * load event by up to seconds, so refusing them keeps the tests hermetic. Closing the browser
 * closes the context; `page.context().close()` closes it sooner.
 */
export const openPage = async (browser: Browser, { origin, ...options }: PageOptions): Promise<Page> => {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(WAIT_MS);
  await context.route((url) => url.origin !== origin, (route) => route.abort());
  return context.newPage();
};

export interface BrowserSuite {
  /** The suite's test server (the first, when it has several). */
  server: TestServer;
  /** All of the suite's test servers, in order. */
  servers: readonly TestServer[];
  /** A page as `openPage` makes it, on the first server's origin unless `options.origin` says otherwise. */
  newPage(options?: Partial<PageOptions>): Promise<Page>;
  /** A new page, signed in through the form as `email` (with TEST_PASSWORD) on its origin. */
  signedIn(email: string, options?: Partial<PageOptions>): Promise<Page>;
}

/**
 * For the enclosing `describe`: starts `servers` test servers and Chromium before its tests, and
 * after them closes every page's context, the browser and the servers. The servers it returns are
 * read through to the started ones, so they may be named at once but used only in tests and hooks.
 */
export const useBrowserSuite = ({ servers: count = 1 }: { servers?: number } = {}): BrowserSuite => {
  let browser: Browser | undefined;
  let started: TestServer[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const [launched, ...servers] = await Promise.all([launchBrowser(), ...Array.from({ length: count }, () => startTestServer())]);
    browser = launched;
    started = servers;
  });
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await Promise.all(started.map((server) => server.close()));
  });

  const startedServer = (index: number): TestServer => {
    const server = started[index];
    if (!server) {
      throw new Error('The test servers start in beforeAll: use them in tests and hooks');
    }
    return server;
  };
  const servers = Array.from(
    { length: count },
    (_, index): TestServer => ({
      get url() {
        return startedServer(index).url;
      },
      get services() {
        return startedServer(index).services;
      },
      close: () => startedServer(index).close(),
    }),
  );
  const [server] = servers;
  if (!server) {
    throw new Error('A browser suite needs at least one server');
  }

  const newPage = async (options: Partial<PageOptions> = {}): Promise<Page> => {
    if (!browser) {
      throw new Error('The browser starts in beforeAll: open pages in tests and hooks');
    }
    const page = await openPage(browser, { ...options, origin: options.origin ?? server.url });
    contexts.push(page.context());
    return page;
  };
  const signedIn = async (email: string, options: Partial<PageOptions> = {}): Promise<Page> => {
    const page = await newPage(options);
    await signIn(page, options.origin ?? server.url, email, TEST_PASSWORD);
    return page;
  };
  return { server, servers, newPage, signedIn };
};
