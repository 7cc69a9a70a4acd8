import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/** Signs in through the real form. */
export const signIn = async (page: Page, baseUrl: string, email: string, password: string): Promise<void> => {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
};
