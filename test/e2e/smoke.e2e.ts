import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.js';
import { browserAvailable, useBrowserSuite } from '../support/browser.js';
import { buildWorkspace } from '../support/builders.js';

describe.runIf(browserAvailable())('smoke', () => {
  const { server, signedIn } = useBrowserSuite();

  it('signs in and shows my needs without accessibility violations', async () => {
    const { requester } = await buildWorkspace(server.services);
    const page = await signedIn(requester.email);
    await page.goto(`${server.url}/needs/new`);
    await page.screenshot({ path: '/tmp/new-need.png', fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });
});
