import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { browserAvailable, launchBrowser, signIn } from '../support/browser.js';
import { buildWorkspace, TEST_PASSWORD } from '../support/builders.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe.runIf(browserAvailable())('smoke', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in and shows my needs without accessibility violations', async () => {
    const { requester } = await buildWorkspace(server.services);
    const page = await browser.newPage();
    await signIn(page, server.url, requester.email, TEST_PASSWORD);
    await page.goto(`${server.url}/needs/new`);
    await page.screenshot({ path: '/tmp/new-need.png', fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });
});
