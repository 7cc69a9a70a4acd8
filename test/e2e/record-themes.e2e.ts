import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.js';
import { browserAvailable, useBrowserSuite } from '../support/browser.js';
import { buildTheme, buildWorkspace, importRecords, needInput, unique } from '../support/builders.js';

describe.runIf(browserAvailable())('themes on evidence records in the browser', () => {
  const { server, signedIn } = useBrowserSuite();

  it('lets a fellow tag a record without JavaScript, then filter the library, search and a need’s evidence by theme, all passing axe', async () => {
    const tag = unique('zt').replace(' ', '');
    const [carers, falls] = [await buildTheme(server.services), await buildTheme(server.services)];
    const title = `Carer respite ${tag}: a mixed methods evaluation of short breaks`;
    const other = `Hospital discharge ${tag} for older adults`;
    await importRecords(server.services, 'themes-e2e.ris', { title, abstract: 'Short breaks eased carer strain.', year: 2023 }, { title: other, year: 2020 });
    const { requester, fellow } = await buildWorkspace(server.services);
    const need = await server.services.needs.submitNeed(
      requester.actor,
      needInput({ title: `Short breaks for carers ${tag}`, question: `Does carer respite ${tag} reduce carer strain?`, themeIds: [carers.id, falls.id] }),
    );
    const record = (await server.services.evidence.listRecords(fellow.actor, { text: title, limit: 1, offset: 0 })).records[0];
    if (!record) {
      throw new Error('the record was not imported');
    }

    // Without JavaScript: the themes form is a plain form post that comes back to the record page.
    const plain = await signedIn(fellow.email, { javaScriptEnabled: false });
    await plain.goto(`${server.url}/evidence/records/${record.id}`);
    expect((await plain.locator('body').getAttribute('class')) ?? '').not.toContain('js-enabled');
    const themesForm = plain.getByRole('group', { name: 'Themes this record is about' });
    await themesForm.getByRole('checkbox', { name: carers.name }).check();
    await Promise.all([plain.waitForURL(/#themes-heading$/), plain.getByRole('button', { name: 'Save themes' }).click()]);
    expect(await themesForm.getByRole('checkbox', { name: carers.name }).isChecked()).toBe(true);
    const themesRow = plain.locator('.nhsuk-summary-list__row', { has: plain.getByRole('term').filter({ hasText: /^\s*Themes\s*$/ }) });
    expect(await themesRow.getByRole('definition').textContent()).toBe(carers.name);

    // With JavaScript, every page with a theme control passes axe.
    const page = await signedIn(fellow.email);
    await page.goto(`${server.url}/evidence/records/${record.id}`);
    await page.getByRole('heading', { level: 2, name: 'Themes' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${server.url}/evidence?text=${encodeURIComponent(tag)}`);
    const filters = page.getByRole('form', { name: 'Filter records' });
    await filters.getByLabel('Theme').selectOption({ label: `${carers.name} (1)` });
    await Promise.all([page.waitForEvent('load'), filters.getByRole('button', { name: 'Filter' }).click()]);
    expect(new URL(page.url()).searchParams.get('themeId')).toBe(carers.id);
    await page.getByRole('heading', { name: title, exact: true }).waitFor();
    expect(await page.getByRole('heading', { name: other, exact: true }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${server.url}/evidence/import`);
    await page.getByRole('group', { name: 'Themes (optional)' }).getByRole('checkbox', { name: falls.name }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${server.url}/search?q=${encodeURIComponent(`respite ${tag}`)}&themeId=${carers.id}`);
    expect(await page.getByLabel('Theme').inputValue()).toBe(carers.id);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${server.url}/needs/${need.id}`);
    const needFilter = page.getByRole('form', { name: 'Filter the evidence that may help' });
    await needFilter.getByLabel('Theme').selectOption({ label: carers.name });
    await Promise.all([page.waitForURL(/#matches-heading$/), needFilter.getByRole('button', { name: 'Filter evidence' }).click()]);
    expect(new URL(page.url()).searchParams.get('themeId')).toBe(carers.id);
    const matches = page.locator('section', { has: page.getByRole('heading', { name: 'Evidence that may help' }) });
    await expect.poll(() => matches.textContent()).toContain(`on the theme ${carers.name}`);
    expect(await axeViolations(page)).toEqual([]);
  });
});
