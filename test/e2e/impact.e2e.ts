import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.js';
import { browserAvailable, useBrowserSuite } from '../support/browser.js';
import { buildActor, buildWorkspace, needInput, unique } from '../support/builders.js';

const day = 86_400_000;

describe.runIf(browserAvailable())('follow-ups, activities and the dashboard in the browser', () => {
  const { server, newPage, signedIn } = useBrowserSuite();

  it('a fellow sends a follow-up by hand, the requester answers it without an account or JavaScript, and the lead sees it counted', async () => {
    const { requester, fellow } = await buildWorkspace(server.services);
    const lead = await buildActor(server.services, 'lead');
    const need = await server.services.needs.submitNeed(requester.actor, needInput());
    await server.services.followups.schedule({ needId: need.id, deliveredAt: new Date(Date.now() - 40 * day) });

    // The fellow: no SMTP on this server, so the due follow-up waits to be sent by hand.
    const fellowPage = await signedIn(fellow.email);
    expect(await fellowPage.locator('.nhsuk-header__navigation a[href="/activities"]').count()).toBe(1);
    await fellowPage.goto(`${server.url}/activities`);
    expect(await axeViolations(fellowPage)).toEqual([]);
    await fellowPage.getByText('Log an activity').click();
    await fellowPage.getByLabel('Kind of activity').selectOption('training');
    // A title of its own: integration tests on the same PostgreSQL database log activities too.
    const workshop = unique('Evidence skills workshop');
    await fellowPage.getByLabel('What was it?').fill(workshop);
    await fellowPage.getByLabel('Hours').fill('lots');
    await fellowPage.getByRole('button', { name: 'Log activity' }).click();
    await expect.poll(() => fellowPage.getByText('Enter the hours as a number, like 1.5').count()).toBeGreaterThan(0);
    expect(await axeViolations(fellowPage)).toEqual([]);
    await fellowPage.getByLabel('Hours').fill('2');
    await Promise.all([fellowPage.waitForURL(/\/activities$/), fellowPage.getByRole('button', { name: 'Log activity' }).click()]);
    await expect.poll(() => fellowPage.locator('#activities').getByText(workshop).count()).toBe(1);

    await Promise.all([fellowPage.waitForURL(/\/followups$/), fellowPage.getByRole('link', { name: 'follow-ups' }).first().click()]);
    expect(await axeViolations(fellowPage)).toEqual([]);
    const row = fellowPage.locator('#followups-due tr', { hasText: need.reference });
    await row.getByRole('button', { name: /Make a link to send by hand/ }).click();
    await fellowPage.waitForURL(/\/link$/);
    expect(await axeViolations(fellowPage)).toEqual([]);
    const link = (await fellowPage.locator('#followup-link').textContent()) ?? '';
    const token = /\/followups\/([A-Za-z0-9_-]+)$/.exec(link)?.[1] ?? '';
    expect(token).not.toBe('');

    // The requester, in a browser with no session and no JavaScript.
    const requesterPage = await newPage({ javaScriptEnabled: false });
    await requesterPage.goto(`${server.url}/followups/${token}`);
    await expect.poll(() => requesterPage.getByRole('heading', { name: 'Did our evidence help?' }).count()).toBe(1);
    await requesterPage.getByLabel('We have not used it').check();
    await requesterPage.getByRole('button', { name: 'Send your answer' }).click();
    await expect.poll(() => requesterPage.getByText('Tell us why it has not been used').count()).toBeGreaterThan(0);
    await requesterPage.getByLabel('We have not used it').uncheck();
    await requesterPage.getByLabel('It informed a decision').check();
    await requesterPage.getByLabel('It built our skills or confidence in using evidence').check();
    const detail = unique('The board agreed the programme');
    await requesterPage.getByLabel('Tell us more (optional)').fill(detail);
    await requesterPage.getByRole('button', { name: 'Send your answer' }).click();
    await expect.poll(() => requesterPage.locator('#followup-answered').count()).toBe(1);

    // The same form, checked by axe in a browser with JavaScript (axe needs it).
    const checker = await newPage();
    await checker.goto(`${server.url}/followups/${token}`);
    expect(await axeViolations(checker)).toEqual([]);

    await fellowPage.goto(`${server.url}/impact`);
    await expect.poll(() => fellowPage.getByText(detail).count()).toBe(1);
    expect(await axeViolations(fellowPage)).toEqual([]);

    const leadPage = await signedIn(lead.email);
    // The menu may have moved the link under "More" on a narrow page: it is there either way.
    expect(await leadPage.locator('.nhsuk-header__navigation a[href="/dashboard"]').count()).toBe(1);
    await leadPage.goto(`${server.url}/dashboard`);
    await expect.poll(() => leadPage.locator('svg[role="img"]').count()).toBeGreaterThan(5);
    // At least this answer: integration tests on the same PostgreSQL database may have counted others.
    const informed = (await leadPage.locator('#table-reported-uses').getByRole('row', { name: /It informed a decision/ }).textContent()) ?? '';
    expect(Number(/\d+/.exec(informed)?.[0])).toBeGreaterThanOrEqual(1);
    expect(await axeViolations(leadPage)).toEqual([]);
  });
});
