import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { browserAvailable, useBrowserSuite } from '../support/browser.js';
import { buildActor, unique } from '../support/builders.js';

/** Ten trials of home exercise for falls and ten records about something else, interleaved, plus one near-duplicate. */
const searchExport = (tag: string): string => {
  const entry = (fields: string[]) => ['TY  - JOUR', ...fields, 'ER  - '].join('\n');
  // Distinct titles and authors, so that only the planted pair looks like a duplicate.
  const settings = ['in Leeds', 'after hip fracture', 'delivered by physiotherapists', 'with video coaching', 'for people with dementia', 'in rural Wales', 'led by volunteers', 'after stroke', 'with wearable sensors', 'in sheltered housing'];
  const surnames = ['Okafor', 'Brennan', 'Haddad', 'Nowak', 'Tanaka', 'Mensah', 'Duarte', 'Kowalczyk', 'Fitzgerald', 'Oyelaran'];
  const others = ['Fluoride varnish', 'Tooth brushing clubs', 'Sugar taxes', 'Dental sealants', 'School milk', 'Orthodontic screening', 'Water fluoridation', 'Mouth guards', 'Dental anxiety', 'Caries risk tools'];
  const relevant = settings.map((setting, index) =>
    entry([`TI  - Home exercise ${tag} ${setting}: a randomised trial of strength and balance training to prevent falls`, `AU  - ${surnames[index]}, A`, `PY  - ${2012 + index}`, 'AB  - Falls fell among older people who exercised at home after discharge from hospital.', `DO  - 10.1000/${tag}.falls.${index}`]),
  );
  const other = others.map((topic, index) =>
    entry([`TI  - ${topic} ${tag} among primary school children`, `AU  - Lindqvist${index}, B`, `PY  - ${2010 + index}`, 'AB  - Dental caries and tooth brushing in young children.', `DO  - 10.1000/${tag}.teeth.${index}`]),
  );
  const interleaved = relevant.flatMap((record, index) => [other[index] as string, record]);
  // The same trial again, from another database, without its DOI and a year out: a possible duplicate.
  const nearDuplicate = entry([`TI  - Home exercise ${tag} ${settings[3]}: a randomised trial of strength and balance training to prevent falls`, `AU  - ${surnames[3]}, A`, 'PY  - 2016', 'AB  - Falls fell among older people who exercised at home.']);
  return [...interleaved, nearDuplicate, ''].join('\n');
};

describe.runIf(browserAvailable())('a rapid review in the browser', () => {
  const { server, signedIn } = useBrowserSuite();
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mobilise-review-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Presses a screening key and waits for the next record's page. */
  const press = async (page: Page, key: string) => {
    await Promise.all([page.waitForEvent('load'), page.keyboard.press(key)]);
  };

  it('imports a search, resolves a duplicate, screens by keyboard until the model reorders, settles a conflict, and starts a briefing from the overview', async () => {
    const tag = unique('zq').replace(' ', '');
    const [lead, screener, arbiter] = await Promise.all([buildActor(server.services, 'fellow'), buildActor(server.services, 'researcher'), buildActor(server.services, 'fellow')]);

    // The lead starts a dual, blind review.
    const leadPage = await signedIn(lead.email);
    await Promise.all([leadPage.waitForURL(/\/reviews$/), leadPage.getByRole('link', { name: 'Reviews', exact: true }).click()]);
    await Promise.all([leadPage.waitForURL(/\/reviews\/new$/), leadPage.getByRole('link', { name: 'Start a review' }).click()]);
    await leadPage.getByLabel('Title').fill(`Home exercise and falls ${tag}`);
    await leadPage.getByLabel('Review question').fill('Does home exercise prevent falls in older people after hospital discharge?');
    await leadPage.locator('[data-framework="pico"]').getByLabel('Population').fill('Older people discharged from hospital');
    await leadPage.locator('[data-framework="pico"]').getByLabel('Intervention').fill('Strength and balance exercise at home');
    await leadPage.getByLabel('Reasons for exclusion').fill('Wrong population\nWrong intervention');
    await leadPage.getByLabel('Words to highlight as signs of relevance').fill('falls\nexercise');
    await leadPage.getByLabel('Words to highlight as signs of irrelevance').fill('children');
    await leadPage.getByRole('radio', { name: /^Dual/ }).check();
    expect(await axeViolations(leadPage)).toEqual([]);
    await Promise.all([leadPage.waitForURL(/\/reviews\/[0-9a-f-]{36}$/), leadPage.getByRole('button', { name: 'Start review' }).click()]);
    const reviewUrl = leadPage.url();

    await Promise.all([leadPage.waitForURL(/\/team$/), leadPage.getByRole('link', { name: 'Change the team' }).click()]);
    await leadPage.getByLabel(screener.user.name).selectOption('screener');
    await leadPage.getByLabel(arbiter.user.name).selectOption('arbiter');
    await Promise.all([leadPage.waitForURL(reviewUrl), leadPage.getByRole('button', { name: 'Save team' }).click()]);

    // Import the search; the near-duplicate is left for a person to decide.
    const file = join(dir, 'medline.ris');
    writeFileSync(file, searchExport(tag));
    await Promise.all([leadPage.waitForURL(/\/records$/), leadPage.getByRole('navigation', { name: 'Review' }).getByRole('link', { name: 'Records' }).click()]);
    await leadPage.getByLabel('File', { exact: true }).setInputFiles(file);
    await leadPage.getByLabel('Source', { exact: true }).fill('MEDLINE via Ovid');
    await leadPage.getByLabel('Search string').fill('exercise AND falls');
    await Promise.all([leadPage.waitForEvent('load'), leadPage.getByRole('button', { name: 'Import into the review' }).click()]);
    // The import's summary, as for the main library: read, new, merged, possible duplicates.
    expect(await leadPage.locator('h1').textContent()).toBe('Import complete');
    expect(await leadPage.locator('#summary-imported').textContent()).toBe('21');
    expect(await axeViolations(leadPage)).toEqual([]);
    await Promise.all([leadPage.waitForURL(/\/records$/), leadPage.getByRole('link', { name: 'Go to the review’s records' }).click()]);
    expect(await leadPage.locator('#records-total').textContent()).toContain('21 records in this review');
    expect(await axeViolations(leadPage)).toEqual([]);
    await Promise.all([leadPage.waitForURL(/\/duplicates$/), leadPage.getByRole('link', { name: '1 possible duplicate to check' }).click()]);
    expect(await axeViolations(leadPage)).toEqual([]);
    await Promise.all([leadPage.waitForEvent('load'), leadPage.getByRole('button', { name: 'Merge pair 1' }).click()]);
    expect(await leadPage.locator('#no-candidates').textContent()).toContain('No pairs left');

    // Screening by keyboard: include the trials, exclude the rest with reason 1, until the model orders the records.
    await Promise.all([leadPage.waitForURL(/\/screen\/title_abstract$/), leadPage.getByRole('navigation', { name: 'Review' }).getByRole('link', { name: 'Title and abstract' }).click()]);
    expect(await leadPage.locator('#record-title mark.app-mark--include').count()).toBeGreaterThan(0);
    expect(await axeViolations(leadPage)).toEqual([]);
    // The lead screens every record; the order changes from the protocol's to the model's on the way.
    const orders: string[] = [];
    for (let step = 0; step < 25 && (await leadPage.locator('#screening-done').count()) === 0; step += 1) {
      // eslint-disable-next-line no-await-in-loop -- one record at a time
      orders.push(`${(await leadPage.locator('#order-reason').getAttribute('data-order-by')) ?? ''} ${(await leadPage.locator('#order-reason').getAttribute('data-model-version')) ?? ''}`);
      if (step === 12) {
        // eslint-disable-next-line no-await-in-loop -- checked once, mid-way
        expect(await leadPage.locator('#stopping').textContent()).toContain('Knee method');
      }
      // eslint-disable-next-line no-await-in-loop -- as above
      const title = (await leadPage.locator('#record-title').textContent()) ?? '';
      // eslint-disable-next-line no-await-in-loop -- as above
      await press(leadPage, title.includes('Home exercise') ? 'i' : '1');
      if (step === 5) {
        // U goes back to the record just screened, to change the decision; deciding again moves on.
        // eslint-disable-next-line no-await-in-loop -- checked once
        await Promise.all([leadPage.waitForURL(/\?record=/), leadPage.keyboard.press('u')]);
        // eslint-disable-next-line no-await-in-loop -- as above
        expect((await leadPage.locator('#record-title').textContent()) ?? '').toBe(title);
        // eslint-disable-next-line no-await-in-loop -- as above
        expect(await leadPage.locator('#order-reason').textContent()).toContain('Reopened to look again or change your decision.');
        // eslint-disable-next-line no-await-in-loop -- as above
        await press(leadPage, title.includes('Home exercise') ? 'i' : '1');
      }
    }
    expect(orders).toHaveLength(20);
    expect(orders[0]).toBe('protocol protocol');
    expect(orders.some((order) => /^model nb-v\d+$/.test(order))).toBe(true);

    // The second screener, blind to the lead, excludes the first record the lead included.
    const screenerPage = await signedIn(screener.email);
    await screenerPage.goto(`${reviewUrl}/screen/title_abstract`);
    expect(await screenerPage.locator('#others').count()).toBe(0);
    const contested = (await screenerPage.locator('#record-title').textContent()) ?? '';
    await press(screenerPage, contested.includes('Home exercise') ? '1' : 'i');

    // The arbiter settles the conflict.
    const arbiterPage = await signedIn(arbiter.email);
    await arbiterPage.goto(`${reviewUrl}/conflicts`);
    const conflict = arbiterPage.locator('.app-conflict');
    expect(await conflict.count()).toBe(1);
    expect(await conflict.locator('h3').textContent()).toBe(contested.trim());
    expect(await axeViolations(arbiterPage)).toEqual([]);
    await Promise.all([arbiterPage.waitForEvent('load'), conflict.getByRole('button', { name: 'Include' }).click()]);
    expect(await arbiterPage.locator('.app-conflict').count()).toBe(0);

    await leadPage.goto(reviewUrl);
    expect(await leadPage.locator('#agreement-title_abstract').textContent()).toContain('Cohen’s kappa');
    // The gain curve beside the stopping guidance: drawn, named for screen readers, and in words.
    expect(await leadPage.getByRole('img', { name: 'Inclusions found as titles and abstracts were screened' }).count()).toBe(1);
    expect(await leadPage.locator('#screening-curve-description').textContent()).toContain('20 records of 20 screened at title and abstract');
    expect(await axeViolations(leadPage)).toEqual([]);

    // The PRISMA diagram, from the real counts: 21 identified in MEDLINE, 1 duplicate removed, 20 screened.
    await Promise.all([leadPage.waitForURL(/\/prisma$/), leadPage.getByRole('navigation', { name: 'Review' }).getByRole('link', { name: 'PRISMA' }).click()]);
    const diagram = leadPage.locator('svg').filter({ hasText: 'Records screened' });
    expect(await diagram.count()).toBe(1);
    const text = (await diagram.textContent()) ?? '';
    expect(text).toContain('MEDLINE via Ovid');
    expect(text).toMatch(/n = 21/);
    expect(text).toMatch(/n = 20/);
    expect(await axeViolations(leadPage)).toEqual([]);

    // From the overview to a briefing on the review's included records, the form filled in from the review.
    // The researcher screening on the review does not write briefings, so is not offered the way there.
    await screenerPage.goto(reviewUrl);
    expect(await screenerPage.getByRole('link', { name: 'Write a briefing from this review' }).count()).toBe(0);
    await Promise.all([leadPage.waitForURL(reviewUrl), leadPage.getByRole('navigation', { name: 'Review' }).getByRole('link', { name: 'Overview' }).click()]);
    await Promise.all([leadPage.waitForURL(/\/briefings\/new\?reviewId=[0-9a-f-]{36}$/), leadPage.getByRole('link', { name: 'Write a briefing from this review' }).click()]);
    expect(await leadPage.locator('h1').textContent()).toBe('Start a briefing');
    expect(await leadPage.textContent('main')).toMatch(new RegExp(`From the review Home exercise and falls ${tag}, with its\\s+included records \\(0\\) as the evidence to cite`));
    expect(await leadPage.getByLabel('Title').inputValue()).toBe(`Home exercise and falls ${tag}`);
    expect(await leadPage.locator('input[name="reviewId"]').inputValue()).toBe(reviewUrl.split('/').pop());
    expect(await axeViolations(leadPage)).toEqual([]);
  });
});
