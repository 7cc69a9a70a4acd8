import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.js';
import { browserAvailable, useBrowserSuite } from '../support/browser.js';
import { buildActor, importRecords, unique } from '../support/builders.js';
import { EvidenceLibraryPage, EvidenceRecordPage } from './pages/evidence-pages.js';

describe.runIf(browserAvailable())('correcting a study design in the browser', () => {
  const { server, signedIn } = useBrowserSuite();

  it('lets a fellow correct a misgraded design from the keyboard, see it on the record and in the library’s design filter, and hand it back to the rules', async () => {
    const tag = unique('zsd').replace(' ', '');
    // The rules grade it a trial from its title; the fellow knows it is the trial's design paper.
    const title = `Befriending for carers ${tag}: a randomised controlled trial`;
    await importRecords(server.services, 'design-e2e.ris', { title, year: 2022 });
    const fellow = await buildActor(server.services, 'fellow');

    const page = await signedIn(fellow.email);
    const library = new EvidenceLibraryPage(page, server.url);
    await library.openFromMenu();
    await library.filter({ text: tag });
    await library.openRecord(title);
    const record = new EvidenceRecordPage(page);
    expect(await record.summaryValue('Study design').textContent()).toMatch(/^Randomised controlled trial \(graded automatically: .+\)$/);
    await record.designSection.waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await record.setStudyDesign('Other');
    expect(await record.summaryValue('Study design').textContent()).toMatch(new RegExp(`^Other \\(set by hand by ${fellow.actor.name} on \\d{1,2} \\w+ \\d{4}, .+\\)$`));
    expect(await record.summaryValue('Evidence level').textContent()).toBe('Not graded on the evidence pyramid');
    expect(await record.designSection.getByRole('combobox', { name: 'Study design' }).inputValue()).toBe('other');
    expect(await axeViolations(page)).toEqual([]);

    // The library's design filter follows the correction.
    await page.goto(`${server.url}/evidence`);
    await library.filter({ text: tag, design: 'other' });
    await library.record(title).waitFor();
    // No other record holds the tag, so nothing is left under its old design (which the filter may no longer offer).
    await page.goto(`${server.url}/evidence?text=${encodeURIComponent(tag)}&design=rct`);
    expect(await page.locator('#records-count').textContent()).toMatch(/^0 records/);

    // Handed back, the rules grade it again.
    await page.goto(`${server.url}/evidence?text=${encodeURIComponent(tag)}`);
    await library.openRecord(title);
    await record.useAutomaticGrade();
    expect(await record.summaryValue('Study design').textContent()).toMatch(/^Randomised controlled trial \(graded automatically: /);
    expect(await record.designSection.getByRole('button', { name: 'Use the automatic grade' }).count()).toBe(0);
  });
});
