import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.js';
import { browserAvailable, useBrowserSuite } from '../support/browser.js';
import { buildWorkspace, importRecords as importInto, needInput, unique } from '../support/builders.js';
import type { RecordFields } from '../../src/core/evidence/record.js';

describe.runIf(browserAvailable())('matching and living needs in the browser', () => {
  const { server, signedIn } = useBrowserSuite();
  const importRecords = (...records: Partial<RecordFields>[]) => importInto(server.services, 'e2e.ris', ...records);

  it('shows a fellow the evidence that answers a need, lets them pin it, and brings new evidence to the requester’s open page and alerts', async () => {
    const tag = unique('zq').replace(' ', '');
    await importRecords({ title: `Men’s sheds ${tag} and loneliness in retired men: a qualitative study`, abstract: 'Retired men described friendship and purpose at men’s sheds.', year: 2021 });
    const { requester, fellow } = await buildWorkspace(server.services);
    const need = await server.services.needs.submitNeed(
      requester.actor,
      needInput({ title: `Loneliness in retired men ${tag}`, question: `Do men’s sheds ${tag} reduce loneliness in retired men?`, population: 'Retired men living alone' }),
    );
    await server.services.triage.triageNeed(fellow.actor, need.id, { action: 'accept', tier: 'quick_answer', supportKinds: ['evidence_review'], fellowIds: [fellow.actor.userId] });

    const fellowPage = await signedIn(fellow.email);
    await fellowPage.goto(`${server.url}/needs/${need.id}`);
    const matches = fellowPage.locator('section', { has: fellowPage.getByRole('heading', { name: 'Evidence that may help' }) });
    await expect.poll(() => matches.textContent()).toContain(`Men’s sheds ${tag}`);
    await matches.locator('details', { hasText: 'Why this ranks' }).first().locator('summary').click();
    await expect.poll(() => matches.locator('details[open]').first().textContent()).toContain('title');
    expect(await axeViolations(fellowPage)).toEqual([]);
    await fellowPage.getByRole('button', { name: new RegExp(`^Pin “Men’s sheds ${tag}.*” to this need$`) }).click();
    await fellowPage.waitForURL(/#pinned-heading$/);
    const pinned = fellowPage.locator('#pinned');
    await expect.poll(() => pinned.textContent()).toContain(`Men’s sheds ${tag}`);

    const requesterPage = await signedIn(requester.email);
    await requesterPage.goto(`${server.url}/needs/${need.id}`);
    await requesterPage.locator('[data-live-ready="true"]').waitFor();
    expect(await requesterPage.locator('#pinned').textContent()).toContain(`Men’s sheds ${tag}`);
    expect(await requesterPage.getByRole('button', { name: /to this need$/ }).count()).toBe(0);

    // New evidence arrives while the requester's page is open.
    await importRecords({ title: `Men’s sheds ${tag} programme: a randomised controlled trial of loneliness in retired men`, abstract: 'Men’s sheds reduced loneliness at six months.', year: 2025 });
    const banner = requesterPage.locator('.app-new-matches');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('randomised controlled trial');
    expect(await axeViolations(requesterPage)).toEqual([]);

    // The menu's unread count is drawn when a page loads.
    await requesterPage.reload();
    await requesterPage.getByRole('link', { name: /New evidence \(1\)/ }).click();
    await requesterPage.waitForURL(/\/alerts$/);
    expect(await requesterPage.locator('#alerts').textContent()).toContain(`Men’s sheds ${tag} programme`);
    expect(await axeViolations(requesterPage)).toEqual([]);
    await requesterPage.getByRole('button', { name: /Mark all 1 as read/ }).click();
    await requesterPage.waitForURL(/\/alerts$/);
    expect(await requesterPage.getByRole('link', { name: /New evidence \(1\)/ }).count()).toBe(0);
  });

  it('searches the evidence with both spellings and saves the search', async () => {
    const tag = unique('zq').replace(' ', '');
    await importRecords({ title: `Paediatric asthma ${tag} in schools`, abstract: 'School nurses and children with asthma.', year: 2022 });
    const { requester } = await buildWorkspace(server.services);
    const page = await signedIn(requester.email);
    await page.getByRole('link', { name: 'Search', exact: true }).click();
    await page.getByLabel('What are you looking for?').fill(`pediatric asthma ${tag}`);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/search\?/);
    // The record with the words is in the first list; related records, if the widening found any, follow in a second.
    expect(await page.locator('.app-results').first().textContent()).toContain(`Paediatric asthma ${tag} in schools`);
    expect(await page.locator('.app-snippet mark').first().textContent()).toBe('asthma');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('summary', { hasText: 'Save this search' }).click();
    await page.getByRole('button', { name: 'Save search' }).click();
    await page.waitForURL(/\/alerts$/);
    expect(await page.locator('#saved-searches').textContent()).toContain(`pediatric asthma ${tag}`);
  });

  it('tells records with the words searched for apart from the related ones the widening found, passing axe', async () => {
    const tag = unique('zq').replace(' ', '');
    await importRecords(
      { title: `Loneliness ${tag} among older people living alone`, abstract: 'Befriending volunteers telephoned isolated residents every week.', year: 2022 },
      { title: `Social ${tag} after bereavement`, abstract: 'Befriending volunteers and peer support groups for isolated widows.', year: 2019 },
      { title: `Befriending volunteers and ${tag}`, abstract: 'Isolated residents valued telephone befriending.', year: 2012 },
      { title: `Befriending volunteers for isolated carers ${unique('e2e')}`, abstract: 'Volunteers telephoned carers every week.', year: 2021 },
    );
    const { fellow } = await buildWorkspace(server.services);
    const page = await signedIn(fellow.email);
    await page.goto(`${server.url}/search?q=${tag}&rank=plain`);
    // Other tests' records may share the widening's words, so the related count is at least the one imported here.
    expect(await page.locator('#results-count').textContent()).toMatch(/^\s*3 records match your words; \d+ more (is|are) related \(found through words from the top results: [^)]*befriending/);
    await page.getByRole('heading', { level: 2, name: 'Related records' }).waitFor();
    expect(await page.locator('.app-results').first().locator(':scope > li').count()).toBe(3);
    expect(await page.locator('.app-results').nth(1).locator('.nhsuk-tag', { hasText: 'Related' }).count()).toBeGreaterThanOrEqual(1);
    expect(await axeViolations(page)).toEqual([]);
  });
});
