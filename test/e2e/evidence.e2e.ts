import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.js';
import { browserAvailable, useBrowserSuite } from '../support/browser.js';
import { buildActor, unique } from '../support/builders.js';
import { studyDesignLabels } from '../../src/core/evidence/classify.js';
import { emptyRecord, type RecordFields } from '../../src/core/evidence/record.js';
import type { EvidenceRecord } from '../../src/core/evidence/types.js';
import { openFileSource } from '../../src/adapters/formats/file-source.js';
import { parseRis } from '../../src/adapters/formats/ris.js';
import { DuplicatesPage, EvidenceLibraryPage, ImportReferencesPage } from './pages/evidence-pages.js';

/** A real Scopus export (from ASReview's tests): six records of several study designs. */
const fixturePath = new URL('../../../shared/data/formats/asreview_tests_demo_data/scopus.ris', import.meta.url).pathname;
const hasFixture = existsSync(fixturePath);
if (!hasFixture) {
  console.warn(`Evidence journey skipped: ${fixturePath} is absent (it holds the shared sample exports).`);
}

async function* once(fields: RecordFields[]) {
  let line = 1;
  for (const item of fields) {
    yield { kind: 'record' as const, line, fields: item };
    line += 10;
  }
}

describe.runIf(browserAvailable())('evidence journey', () => {
  const { server, signedIn } = useBrowserSuite();

  it.skipIf(!hasFixture)('lets a fellow import a file, browse by design, merge a duplicate and export chosen records', async () => {
    const { services } = server;
    const fellow = await buildActor(services, 'fellow');
    const importAs = (fields: RecordFields[], fileName: string) =>
      services.evidenceImport.importRecords(fellow.actor, { fileName, format: 'ris', events: once(fields), fileSha256: () => '0'.repeat(64) });

    // Set up through the use cases: an uncertain pair (same title and first author, a year apart) and two records to export.
    const token = unique('Journey').replace(' ', '-');
    const pairTitle = `Dementia cafés and carer wellbeing ${token}: a realist evaluation`;
    const author = `Achterberg${token.slice(-8)}, Wim`;
    await importAs([{ ...emptyRecord(), title: pairTitle, authors: [author], year: 2021, sourceDatabase: 'PsycINFO' }], 'pair-first.ris');
    expect(await importAs([{ ...emptyRecord(), title: pairTitle, authors: [author], year: 2022, sourceDatabase: 'CINAHL', abstract: 'Carers described cafés as a lifeline.' }], 'pair-second.ris')).toMatchObject({ candidates: 1 });
    const exportTitles = [`Befriending by telephone ${token}`, `Men's sheds and mental health ${token}`];
    await importAs(exportTitles.map((title, index) => ({ ...emptyRecord(), title, authors: [`Exporter${index}, E`], year: 2020 })), 'export-me.ris');

    const page = await signedIn(fellow.email);
    const library = new EvidenceLibraryPage(page, server.url);
    await library.openFromMenu();
    expect(await axeViolations(page)).toEqual([]);

    // Import a real export through the file input.
    await library.openLink('Import references');
    const importPage = new ImportReferencesPage(page);
    await page.getByRole('heading', { level: 1, name: 'Import references' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await importPage.upload(fixturePath);
    await page.getByRole('heading', { level: 1, name: 'Import complete' }).waitFor();
    expect(await importPage.count('Records read')).toBe(6);
    // On a shared PostgreSQL database an earlier run may have imported the file already: then its records are duplicates.
    expect((await importPage.count('New records')) + (await importPage.count('Duplicates merged'))).toBe(6);
    expect(await axeViolations(page)).toEqual([]);

    // Filter the library by the study design of one of the file's records.
    const source = await openFileSource(fixturePath);
    const fileTitles: string[] = [];
    for await (const event of parseRis(source.chunks)) {
      if (event.kind === 'record') {
        fileTitles.push(event.fields.title);
      }
    }
    const stored = (
      await Promise.all(fileTitles.map(async (title) => (await services.evidence.listRecords(fellow.actor, { text: title, limit: 5, offset: 0 })).records.find((record) => record.title === title)))
    ).filter((record): record is EvidenceRecord => record !== undefined);
    expect(stored).toHaveLength(6);
    const target = stored.find((record) => record.studyDesign !== 'other') ?? (stored[0] as EvidenceRecord);
    const otherDesigns = stored.filter((record) => record.studyDesign !== target.studyDesign);
    await page.getByRole('link', { name: 'Go to the evidence library' }).click();
    await library.heading.waitFor();
    await library.filter({ design: target.studyDesign });
    expect(new URL(page.url()).searchParams.get('design')).toBe(target.studyDesign);
    await library.record(target.title).waitFor();
    for (const other of otherDesigns) {
      expect(await library.record(other.title).count(), other.title).toBe(0);
    }
    expect(await axeViolations(page)).toEqual([]);

    // Open the record.
    await library.openRecord(target.title);
    await page.getByText(studyDesignLabels[target.studyDesign], { exact: true }).first().waitFor();
    await page.getByRole('cell', { name: 'scopus.ris (ris)' }).first().waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // Merge the uncertain pair on Possible duplicates.
    await library.openFromMenu();
    await library.openLink(/^Possible duplicates/);
    const duplicates = new DuplicatesPage(page);
    await duplicates.heading.waitFor();
    await duplicates.pair(pairTitle).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await duplicates.merge(pairTitle);
    const merged = await services.evidence.listRecords(fellow.actor, { text: token, limit: 10, offset: 0 });
    expect(merged.records.filter((record) => record.title === pairTitle).map((record) => record.sourceDatabases.sort())).toEqual([['CINAHL', 'PsycINFO']]);

    // Export two chosen records as CSV.
    await library.openFromMenu();
    await library.filter({ text: token });
    for (const title of [...exportTitles, pairTitle]) {
      await library.record(title).waitFor();
    }
    const download = await library.exportChosen(exportTitles, 'CSV');
    expect(download.suggestedFilename()).toMatch(/^mobilise-evidence-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split(/\r?\n/)[0]).toMatch(/^title,/);
    for (const title of exportTitles) {
      expect(csv).toContain(title);
    }
    expect(csv).not.toContain(pairTitle);

    // The import is on the history with its file's fingerprint.
    await library.openLink('Import history');
    await page.getByRole('heading', { level: 1, name: 'Import history' }).waitFor();
    await page.getByRole('row').filter({ has: page.getByRole('link', { name: 'scopus.ris', exact: true }) }).first().getByText(/SHA-256 [0-9a-f]{12}…/).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
