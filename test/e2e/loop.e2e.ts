import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { browserAvailable, useBrowserSuite } from '../support/browser.js';
import { buildActor, buildWorkspace, importRecords, needInput, unique } from '../support/builders.js';

// The whole loop (issue #6): need → matched evidence → briefing → delivery → follow-up → impact.
describe.runIf(browserAvailable())('the loop from need to impact in the browser', () => {
  const { server, newPage, signedIn } = useBrowserSuite();

  const click = (page: Page, name: string | RegExp) => Promise.all([page.waitForEvent('load'), page.getByRole('button', { name }).click()]);

  it('answers a need with a briefing that cites matched evidence, delivers it, and follows it up to the dashboard', async () => {
    const tag = unique('zq').replace(' ', '');
    const { requester, fellow } = await buildWorkspace(server.services);
    const [reviewer, lead] = await Promise.all([buildActor(server.services, 'fellow'), buildActor(server.services, 'lead')]);
    await importRecords(server.services, 'loop.ris', {
      title: `Falls prevention classes ${tag} for older people: a randomised controlled trial`,
      abstract: 'Group strength and balance classes reduced falls by a quarter over a year.',
      authors: ['Mensah, Kwame', 'Duarte, Ines'],
      year: 2022,
      journal: 'Age and Ageing',
      doi: `10.1000/${tag}.1`,
    });
    const need = await server.services.needs.submitNeed(
      requester.actor,
      needInput({ title: `Falls classes ${tag}`, question: `Do falls prevention classes ${tag} reduce falls in older people?`, decisionMaker: 'Public health committee' }),
    );
    await server.services.triage.triageNeed(fellow.actor, need.id, { action: 'accept', tier: 'quick_answer', supportKinds: ['briefing'], fellowIds: [fellow.actor.userId] });

    // The fellow pins the matched evidence and writes a decision briefing that cites it.
    const fellowPage = await signedIn(fellow.email, { acceptDownloads: true });
    await fellowPage.goto(`${server.url}/needs/${need.id}`);
    await click(fellowPage, new RegExp(`^Pin “Falls prevention classes ${tag}.*” to this need$`));
    await Promise.all([fellowPage.waitForURL(/\/briefings\/new\?needId=/), fellowPage.getByRole('link', { name: 'Write a briefing for this need' }).click()]);
    expect(await fellowPage.textContent('main')).toContain('pinned evidence (1)');
    await fellowPage.getByRole('radio', { name: 'Decision briefing' }).check();
    expect(await axeViolations(fellowPage)).toEqual([]);
    await Promise.all([fellowPage.waitForURL(/\/briefings\/[0-9a-f-]{36}\/edit$/), fellowPage.getByRole('button', { name: 'Start briefing' }).click()]);
    const briefingUrl = fellowPage.url().replace(/\/edit$/, '');
    expect(await fellowPage.locator('#evidence-list').textContent()).toContain(`Falls prevention classes ${tag}`);
    await fellowPage.getByLabel('Bottom line').fill('Group classes reduce falls by about a quarter [@1].');
    await fellowPage.getByLabel('Key messages').fill('- Classes twice a week work best [@1].\n- People need to keep going for six months.');
    expect(await axeViolations(fellowPage)).toEqual([]);
    await click(fellowPage, 'Save as version 2');
    await fellowPage.goto(briefingUrl);
    expect(await fellowPage.locator('#ref-1').textContent()).toContain('Mensah');
    expect(await fellowPage.locator('[data-section="bottom_line"] sup a').textContent()).toBe('1');
    expect(await axeViolations(fellowPage)).toEqual([]);

    // Exports: the Word file's text and the PDF.
    const [docx] = await Promise.all([fellowPage.waitForEvent('download'), fellowPage.getByRole('link', { name: 'Download as Word (DOCX)' }).click()]);
    const xml = strFromU8(unzipSync(readFileSync((await docx.path()) ?? ''))['word/document.xml'] ?? new Uint8Array());
    expect(xml).toContain('Group classes reduce falls by about a quarter');
    expect(xml).toContain('Mensah');
    const [pdf] = await Promise.all([fellowPage.waitForEvent('download'), fellowPage.getByRole('link', { name: 'Download as PDF' }).click()]);
    expect(readFileSync((await pdf.path()) ?? '').subarray(0, 5).toString()).toBe('%PDF-');

    await click(fellowPage, 'Send for review');
    expect(await fellowPage.locator('#briefing-status').textContent()).toBe('In review');

    // A second fellow approves and delivers it.
    const reviewerPage = await signedIn(reviewer.email);
    await reviewerPage.goto(briefingUrl);
    await click(reviewerPage, 'Approve');
    await click(reviewerPage, 'Deliver to the requester');
    expect(await reviewerPage.locator('#briefing-status').textContent()).toBe('Delivered');

    // The requester is told in the need's thread, and reads the briefing.
    const requesterPage = await signedIn(requester.email);
    await requesterPage.goto(`${server.url}/needs/${need.id}`);
    expect(await requesterPage.locator('#need-status').textContent()).toBe('Delivered');
    expect(await requesterPage.getByRole('list', { name: 'Messages' }).textContent()).toContain('is ready');
    await requesterPage.goto(briefingUrl);
    expect(await requesterPage.locator('main').textContent()).toContain('Group classes reduce falls by about a quarter');

    // A month passes: the first follow-up falls due, and the fellow sends its link by hand (no SMTP here).
    await server.services.db.query(`update followups set due_on = current_date - 1 where need_id = $1 and months = 1`, [need.id]);
    await fellowPage.goto(`${server.url}/followups`);
    await Promise.all([fellowPage.waitForURL(/\/link$/), fellowPage.locator('#followups-due tr', { hasText: need.reference }).getByRole('button', { name: /Make a link to send by hand/ }).click()]);
    const link = (await fellowPage.locator('#followup-link').textContent()) ?? '';
    expect(link).toMatch(/\/followups\/[A-Za-z0-9_-]+$/);

    // The requester answers without signing in.
    const answerPage = await newPage();
    // The link names the configured public address; this test server listens on a port of its own.
    await answerPage.goto(`${server.url}${new URL(link.trim()).pathname}`);
    await answerPage.getByLabel('It informed a decision').check();
    await answerPage.getByLabel('Tell us more (optional)').fill(`The committee funded classes ${tag}.`);
    await click(answerPage, 'Send your answer');
    expect(await answerPage.locator('#followup-answered').count()).toBe(1);

    // The lead sees it on the dashboard.
    const leadPage = await signedIn(lead.email);
    await leadPage.goto(`${server.url}/impact`);
    expect(await leadPage.locator('main').textContent()).toContain(`The committee funded classes ${tag}.`);
    await leadPage.goto(`${server.url}/dashboard`);
    expect(Number(/\d+/.exec((await leadPage.locator('#table-reported-uses').getByRole('row', { name: /It informed a decision/ }).textContent()) ?? '')?.[0])).toBeGreaterThanOrEqual(1);
    expect(await axeViolations(leadPage)).toEqual([]);
  });
});
