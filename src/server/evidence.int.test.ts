import { createHash, randomInt, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { buildActor, buildLibrary, TEST_PASSWORD, testHasher } from '../../test/support/builders.js';
import { apiError, buildApp, send, signInAs, type App, type Session } from '../../test/support/http.js';
import type { Actor } from '../core/accounts/roles.js';
import { emptyRecord, exportFormats, type ParseEvent, type RecordFields } from '../core/evidence/record.js';
import type { DuplicateCandidate, EvidenceRecord, ImportSummary } from '../core/evidence/types.js';
import { isAppError } from '../core/shared/errors.js';
import type { CandidateId, LibraryId, RecordId } from '../core/shared/ids.js';
import { createServices, type Services } from '../compose.js';
import type { Database } from '../adapters/db/database.js';
import { detectFormat } from '../adapters/formats/detect.js';
import { openFileSource } from '../adapters/formats/file-source.js';
import { FormatError } from '../adapters/formats/format-error.js';
import { parsers, writers } from '../adapters/formats/registry.js';

/** Real exports collected from other projects' test suites (ASReview, rispy, JabRef, colrev, Biopython). */
const formatsDir = new URL('../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`Evidence fixture tests skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}
const fixture = (path: string): Uint8Array => readFileSync(join(formatsDir, path));
const fixtureFiles = (): string[] =>
  hasFixtures ? readdirSync(formatsDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => relative(formatsDir, join(entry.parentPath, entry.name))).sort() : [];

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const tag = (): string => randomUUID().slice(0, 8);

/** Every field the issue requires an export to carry through our own import unchanged. */
const roundTripFields = [
  'title',
  'abstract',
  'authors',
  'year',
  'journal',
  'volume',
  'issue',
  'pages',
  'doi',
  'pmid',
  'pmcid',
  'url',
  'language',
  'publicationTypes',
  'keywords',
  'meshTerms',
  'sourceDatabase',
] as const satisfies readonly (keyof RecordFields)[];
const roundTripPart = (record: RecordFields) => Object.fromEntries(roundTripFields.map((field) => [field, record[field]]));

/** Two records with every field set, the second with the characters formats like to mangle. */
const completeRecords = (): RecordFields[] => {
  const id = tag();
  return [
    {
      title: `Befriending for lonely older people ${id}: a randomised controlled trial`,
      abstract: 'Background: loneliness harms health.\nMethods: we randomly assigned 200 people, some "quoted", with commas; and semicolons.',
      authors: ['Smith, Jane', 'van der Berg, Jan A.', "O'Neill, K"],
      year: 2021,
      journal: 'BMJ Open',
      volume: '11',
      issue: '3',
      pages: '296-302',
      doi: `10.1136/bmjopen-${id}`,
      pmid: String(randomInt(10_000_000, 39_999_999)),
      pmcid: `PMC${randomInt(1_000_000, 9_999_999)}`,
      url: `https://example.org/articles/${id}?view=full&lang=en`,
      language: 'eng',
      publicationTypes: ['Journal Article', 'Randomized Controlled Trial'],
      keywords: ['loneliness', 'befriending', 'older people'],
      meshTerms: ['Aged', 'Loneliness/psychology', '*Social Support'],
      sourceDatabase: 'Embase',
    },
    {
      title: `Müller’s café study ${id} — 95% of “carers” & {their} needs`,
      abstract: 'Über 50% of carers reported strain.\nA second paragraph & more.',
      authors: ['Müller, Jürgen', 'Øberg, Åsa', 'World Health Organization'],
      year: 2019,
      journal: 'Health & Social Care in the Community',
      volume: '27 Suppl 1',
      issue: '4-5',
      pages: 'e0815',
      doi: `10.1111/hsc.${id}`,
      pmid: String(randomInt(10_000_000, 39_999_999)),
      pmcid: `PMC${randomInt(1_000_000, 9_999_999)}`,
      url: `https://example.org/hsc/${id}`,
      language: 'ger',
      publicationTypes: ['Journal Article', 'Research Support, Non-U.S. Gov\'t'],
      keywords: ['carers', 'Pflege'],
      meshTerms: ['Caregivers/psychology', 'Aged, 80 and over', 'Humans'],
      sourceDatabase: 'MEDLINE',
    },
  ];
};

async function* eventsOf(fields: RecordFields[]): AsyncGenerator<ParseEvent> {
  let line = 1;
  for (const item of fields) {
    yield { kind: 'record', line, fields: item };
    line += 10;
  }
}

/** A small RIS file whose records no other test has: imports of it count the same on every run. */
const uniqueRis = (titles: string[]): string =>
  titles.map((title, index) => `TY  - JOUR\nTI  - ${title}\nAU  - Fenwick${index}, Anna\nPY  - 2020\nJO  - Age and Ageing\nER  - \n`).join('\n');

describe.each(testDatabases)('evidence library over HTTP on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  let fellow: Actor;
  let fellowEmail: string;
  let fellowToken: string;
  let session: Session;

  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher });
    app = buildApp(services);
    const built = await buildActor(services, 'fellow');
    fellow = built.actor;
    fellowEmail = built.email;
    fellowToken = (await services.accounts.createApiToken(fellow, 'tests')).token;
    session = await signInAs(app, fellowEmail, TEST_PASSWORD);
  });
  afterAll(async () => {
    await db.close();
  });

  /** A review library of its own, so that counts do not depend on what else is in the database. */
  const newLibrary = (): Promise<LibraryId> => buildLibrary(db);
  const importInto = (libraryId: LibraryId | undefined, fields: RecordFields[], fileName = 'built.ris') =>
    services.evidenceImport.importRecords(fellow, { fileName, format: 'ris', events: eventsOf(fields), fileSha256: () => 'f'.repeat(64), libraryId });
  const recordsIn = async (libraryId: LibraryId | undefined, text?: string): Promise<EvidenceRecord[]> =>
    (await services.evidence.listRecords(fellow, { libraryId, text, limit: 200, offset: 0 })).records;
  const upload = (query: string, bytes: Uint8Array, token = fellowToken, target = app) => send(target, `/api/evidence/imports?${query}`, { token, bytes });
  const summaryOf = async (response: Response) => (await response.json()) as ImportSummary;

  describe.skipIf(!hasFixtures)('uploading through the API', () => {
    it('imports an Embase RIS export, then finds every record of the same search exported as CSV to be a duplicate', async () => {
      const libraryId = await newLibrary();
      const ris = await upload(`fileName=embase.ris&library=${libraryId}`, fixture('asreview_tests_demo_data/embase.ris'));
      expect(ris.status).toBe(201);
      expect(await summaryOf(ris)).toEqual({
        file: 'embase.ris',
        format: 'ris',
        parsed: 6,
        imported: 6,
        duplicates: 0,
        candidates: 0,
        errors: [],
        isCommitted: true,
        batchId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      const csv = await upload(`fileName=embase.csv&library=${libraryId}`, fixture('asreview_tests_demo_data/embase.csv'));
      expect(csv.status).toBe(201);
      expect(await summaryOf(csv)).toMatchObject({ format: 'csv', parsed: 6, imported: 0, duplicates: 6, errors: [], isCommitted: true });
      const records = await recordsIn(libraryId);
      expect(records).toHaveLength(6);
      // Each record now has two sources: the RIS line and the CSV row.
      const detail = await services.evidence.getRecord(fellow, records[0]?.id as RecordId);
      expect(detail.sources.map((source) => source.fileName).sort()).toEqual(['embase.csv', 'embase.ris']);
    });

    it('refuses a corrupt file with 422 import.unreadable naming the line, and imports nothing', async () => {
      const libraryId = await newLibrary();
      const response = await upload(`fileName=RisImporterCorrupted.ris&library=${libraryId}`, fixture('jabref_importer_fileformat/RisImporterCorrupted.ris'));
      expect(response.status).toBe(422);
      const error = await apiError(response);
      expect(error.code).toBe('import.unreadable');
      expect(error.details).toMatchObject({ file: 'RisImporterCorrupted.ris', line: 2 });
      expect(error.message).toContain('line 2');
      expect(await recordsIn(libraryId)).toEqual([]);
      expect(await services.evidence.listBatches(fellow, libraryId)).toEqual([]);
    });

    it('refuses a file in no bibliographic format with 422 import.unsupported_format', async () => {
      const response = await upload('fileName=xlsx_data.xlsx', fixture('colrev_loader_data/xlsx_data.xlsx'));
      expect(response.status).toBe(422);
      const error = await apiError(response);
      expect(error.code).toBe('import.unsupported_format');
      expect(error.details).toMatchObject({ file: 'xlsx_data.xlsx' });
    });

    it('imports nothing from a file with an invalid record and names its line, unless skipInvalid=true', async () => {
      const libraryId = await newLibrary();
      const bytes = fixture('colrev_loader_data/bib_data.bib');
      const refused = await upload(`fileName=bib_data.bib&library=${libraryId}`, bytes);
      expect(refused.status).toBe(201);
      expect(await summaryOf(refused)).toMatchObject({
        format: 'bibtex',
        parsed: 5,
        imported: 0,
        isCommitted: false,
        errors: [{ line: 47, message: expect.stringContaining('ICRC2015') }],
      });
      expect(await recordsIn(libraryId)).toEqual([]);

      const skipped = await upload(`fileName=bib_data.bib&library=${libraryId}&skipInvalid=true`, bytes);
      expect(skipped.status).toBe(201);
      expect(await summaryOf(skipped)).toMatchObject({ parsed: 5, imported: 5, duplicates: 0, isCommitted: true, errors: [{ line: 47 }] });
      expect(await recordsIn(libraryId)).toHaveLength(5);
      const [batch] = await services.evidence.listBatches(fellow, libraryId);
      expect(batch).toMatchObject({ fileName: 'bib_data.bib', parsed: 5, imported: 5, invalid: 1, fileSha256: createHash('sha256').update(bytes).digest('hex') });
    });

    it('forbids a requester to import (403) and writes nothing', async () => {
      const libraryId = await newLibrary();
      const requester = await buildActor(services, 'requester');
      const token = (await services.accounts.createApiToken(requester.actor, 'tests')).token;
      const response = await upload(`fileName=embase.ris&library=${libraryId}`, fixture('asreview_tests_demo_data/embase.ris'), token);
      expect(response.status).toBe(403);
      expect((await apiError(response)).code).toBe('auth.forbidden');
      expect(await recordsIn(libraryId)).toEqual([]);
    });

    it('refuses an upload over the import limit with 413 request.too_large', async () => {
      const libraryId = await newLibrary();
      const bytes = fixture('asreview_tests_demo_data/embase.ris');
      const limited = buildApp(services, { importLimitBytes: 1024 });
      expect(bytes.length).toBeGreaterThan(1024);
      const response = await upload(`fileName=embase.ris&library=${libraryId}`, bytes, fellowToken, limited);
      expect(response.status).toBe(413);
      const error = await apiError(response);
      expect(error).toMatchObject({ code: 'request.too_large', details: { limit: 1024 } });
      expect(await recordsIn(libraryId)).toEqual([]);
    });
  });

  describe('uploading through the web form', () => {
    const multipart = (file: File | undefined, fields: Record<string, string> = {}): FormData => {
      const form = new FormData();
      if (file) {
        form.append('file', file);
      }
      for (const [name, value] of Object.entries(fields)) {
        form.append(name, value);
      }
      return form;
    };

    it('shows a summary with the counts, and lists the import with its SHA-256 on the import history', async () => {
      const id = tag();
      const titles = [`Intergenerational programmes in care homes ${id}`, `Volunteer drivers for rural older people ${id}`];
      const text = uniqueRis(titles);
      const fileName = `web-${id}.ris`;
      const query = `loneliness AND rural ${id}`;
      const response = await send(app, '/evidence/import', { session, multipart: multipart(new File([text], fileName), { format: '', query }) });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('Import complete');
      expect(html).toMatch(/id="summary-parsed">\s*2\s*</);
      expect(html).toMatch(/id="summary-imported">\s*2\s*</);
      expect(html).toMatch(/id="summary-duplicates">\s*0\s*</);
      for (const title of titles) {
        expect((await recordsIn(undefined, title)).map((record) => record.title)).toEqual([title]);
      }

      const again = await send(app, '/evidence/import', { session, multipart: multipart(new File([text], fileName)) });
      expect(again.status).toBe(200);
      const againHtml = await again.text();
      expect(againHtml).toMatch(/id="summary-imported">\s*0\s*</);
      expect(againHtml).toMatch(/id="summary-duplicates">\s*2\s*</);

      const history = await send(app, '/evidence/imports', { session });
      expect(history.status).toBe(200);
      const historyHtml = await history.text();
      const sha = createHash('sha256').update(text).digest('hex');
      expect(historyHtml).toContain(escapeHtml(fileName));
      expect(historyHtml).toContain(`SHA-256 ${sha.slice(0, 12)}…`);
      expect(historyHtml).toContain(escapeHtml(query));
    });

    it('re-renders the form with 422 and the field error when no file is chosen', async () => {
      const response = await send(app, '/evidence/import', { session, multipart: multipart(undefined, { format: '', query: 'kept' }) });
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain('nhsuk-error-summary');
      expect(html).toContain('<a href="#file">Choose a file to import</a>');
      expect(html).toContain('id="file-error"');
      expect(html).toContain('value="kept"');
    });

    it('re-renders the form with 422 naming the line of a file it cannot read', async () => {
      const response = await send(app, '/evidence/import', { session, multipart: multipart(new File(['JF  - Journal\nT1  - Lost its TY line\nER  - \n'], `broken-${tag()}.ris`)) });
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain('id="file-error"');
      expect(html).toContain('line 1');
    });

    it('says a file holds no records, with 422, rather than "Import complete" with 0 read', async () => {
      const response = await send(app, '/evidence/import', { session, multipart: multipart(new File(['% Encoding: UTF-8\n'], `empty-${tag()}.bib`)) });
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain('<h1>No records in this file</h1>');
      expect(html).toContain('holds no records');
      expect(html).not.toContain('Import complete');
    });

    it('shows a 422 summary listing the problem lines when records are invalid, and imports nothing', async () => {
      const id = tag();
      const text = `${uniqueRis([`Good record ${id}`])}\nTY  - JOUR\nAU  - Nobody, A\nER  - \n`;
      const response = await send(app, '/evidence/import', { session, multipart: multipart(new File([text], `invalid-${id}.ris`)) });
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain('Nothing was imported');
      expect(html).toContain('Records with problems');
      expect(await recordsIn(undefined, `Good record ${id}`)).toEqual([]);
    });

    it('refuses the upload without the CSRF token', async () => {
      const response = await send(app, '/evidence/import', { session, csrf: null, multipart: multipart(new File([uniqueRis([`No token ${tag()}`])], 'x.ris')) });
      expect(response.status).toBe(403);
    });
  });

  describe('browsing the library', () => {
    const build = async () => {
      const libraryId = await newLibrary();
      const id = tag();
      const base = (title: string, fields: Partial<RecordFields>): RecordFields => ({ ...emptyRecord(), title: `${title} ${id}`, authors: [`Author${randomInt(1e6)}, A`], ...fields });
      const trial = base('Befriending volunteers for isolated older adults', { year: 2020, publicationTypes: ['Randomized Controlled Trial'], sourceDatabase: 'Embase', doi: `10.1000/trial.${id}`, journal: 'Age and Ageing' });
      const review = base('Social prescribing outcomes', { year: 2018, publicationTypes: ['Systematic Review'], sourceDatabase: 'MEDLINE' });
      const cohort = base('Home adaptations and hospital admissions', { year: 2015, meshTerms: ['Cohort Studies', 'Aged'], sourceDatabase: 'Embase' });
      const caseReport = base('Scurvy in a man living alone', { year: 2023, publicationTypes: ['Case Reports'], sourceDatabase: 'Scopus' });
      const summary = await importInto(libraryId, [trial, review, cohort, caseReport], `browse-${id}.ris`);
      expect(summary).toMatchObject({ imported: 4, isCommitted: true });
      const records = await recordsIn(libraryId);
      const byTitle = (fields: RecordFields) => records.find((record) => record.title === fields.title) as EvidenceRecord;
      return { libraryId, id, trial: byTitle(trial), review: byTitle(review), cohort: byTitle(cohort), caseReport: byTitle(caseReport) };
    };

    const titlesOn = (html: string, records: EvidenceRecord[]) => records.filter((record) => html.includes(`>${escapeHtml(record.title)}</a>`)).map((record) => record.title);

    it('filters by year range, design, level and source, and counts each facet over the library', async () => {
      const { libraryId, trial, review, cohort, caseReport } = await build();
      const all = [trial, review, cohort, caseReport];
      expect(all.map((record) => [record.studyDesign, record.evidenceLevel])).toEqual([
        ['rct', 2],
        ['systematic_review', 1],
        ['cohort', 3],
        ['case_report', 5],
      ]);
      const cases: [string, EvidenceRecord[]][] = [
        ['', all],
        ['yearFrom=2017&yearTo=2021', [trial, review]],
        ['yearFrom=2019', [trial, caseReport]],
        ['design=rct', [trial]],
        ['design=cohort', [cohort]],
        ['level=1', [review]],
        ['level=5', [caseReport]],
        ['source=Embase', [trial, cohort]],
        ['source=Embase&yearTo=2016', [cohort]],
        ['design=rct&source=MEDLINE', []],
      ];
      for (const [query, expected] of cases) {
        const response = await send(app, `/evidence?library=${libraryId}&${query}`, { session });
        expect(response.status, query).toBe(200);
        const html = await response.text();
        expect(titlesOn(html, all).sort(), query).toEqual(expected.map((record) => record.title).sort());
        expect(html, query).toContain(expected.length === 1 ? '1 record' : `${expected.length} records`);
      }
      // Facets count the whole library, whatever the filter, so each choice shows what it would find.
      const html = await (await send(app, `/evidence?library=${libraryId}&design=rct`, { session })).text();
      for (const option of ['Randomised controlled trial (1)', 'Systematic review or meta-analysis (1)', 'Cohort study (1)', 'Case report or series (1)', 'Embase (2)', 'MEDLINE (1)', 'Scopus (1)']) {
        expect(html).toContain(`>${option}</option>`);
      }
      expect(html).toMatch(/<option value="rct" selected(="")?>/);
    });

    it('filters the same way through the API', async () => {
      const { libraryId, trial, cohort } = await build();
      const response = await send(app, `/api/evidence/records?library=${libraryId}&source=Embase&yearTo=2016`, { token: fellowToken });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { records: EvidenceRecord[]; total: number };
      expect(body.total).toBe(1);
      expect(body.records.map((record) => record.title)).toEqual([cohort.title]);
      const byDesign = (await (await send(app, `/api/evidence/records?library=${libraryId}&design=rct`, { token: fellowToken })).json()) as { records: EvidenceRecord[] };
      expect(byDesign.records.map((record) => record.id)).toEqual([trial.id]);
    });

    it('shows a record with its fields, the reason for its classification and where it came from', async () => {
      const { trial, id } = await build();
      const response = await send(app, `/evidence/records/${trial.id}`, { session });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain(`<h1 class="nhsuk-heading-l">${escapeHtml(trial.title)}</h1>`);
      expect(html).toContain(escapeHtml(trial.authors[0] ?? ''));
      expect(html).toContain('Age and Ageing');
      expect(html).toContain(trial.doi);
      expect(html).toContain(escapeHtml('Randomised controlled trial (graded automatically: publication type "Randomized Controlled Trial")'));
      expect(html).toContain('Level 2: randomised controlled trials');
      expect(html).toContain(`browse-${id}.ris (ris)`);
      // Built records sit on lines 1, 11, 21 and 31: the trial is the first.
      expect(html).toMatch(/<td class="nhsuk-table__cell">1<\/td>\s*<td class="nhsuk-table__cell">Embase<\/td>/);

      const api = await send(app, `/api/evidence/records/${trial.id}`, { token: fellowToken });
      expect(api.status).toBe(200);
      expect(await api.json()).toMatchObject({
        record: { id: trial.id, studyDesign: 'rct', evidenceLevel: 2 },
        classification: { design: 'rct', level: 2, reason: 'publication type "Randomized Controlled Trial"' },
        sources: [{ fileName: `browse-${id}.ris`, format: 'ris', line: 1, sourceDatabase: 'Embase' }],
      });
    });

    it('answers an unknown or malformed record id with 404', async () => {
      for (const id of [randomUUID(), 'not-a-uuid']) {
        const page = await send(app, `/evidence/records/${id}`, { session });
        expect(page.status, id).toBe(404);
      }
      const api = await send(app, `/api/evidence/records/${randomUUID()}`, { token: fellowToken });
      expect(api.status).toBe(404);
      expect((await apiError(api)).code).toBe('record.not_found');
    });
  });

  describe('exporting', () => {
    it.each(exportFormats)('exports %s as an attachment that re-imports into a fresh library with every field intact', async (format) => {
      const source = await newLibrary();
      const originals = completeRecords();
      expect(await importInto(source, originals)).toMatchObject({ imported: 2, isCommitted: true });
      const ids = (await recordsIn(source)).map((record) => record.id);

      const response = await send(app, `/api/evidence/export?format=${format}&ids=${ids.join(',')}`, { token: fellowToken });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(writers[format].contentType);
      expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="mobilise-evidence-\\d{4}-\\d{2}-\\d{2}\\.${writers[format].extension}"$`));
      const bytes = new Uint8Array(await response.arrayBuffer());

      const target = await newLibrary();
      const reimport = await upload(`fileName=export.${writers[format].extension}&library=${target}`, bytes);
      expect(reimport.status).toBe(201);
      expect(await summaryOf(reimport)).toMatchObject({ format, parsed: 2, imported: 2, duplicates: 0, errors: [], isCommitted: true });
      const reimported = await recordsIn(target);
      for (const original of originals) {
        const copy = reimported.find((record) => record.doi === original.doi);
        expect(copy, original.title).toBeDefined();
        expect(roundTripPart(copy as EvidenceRecord)).toEqual(roundTripPart(original));
      }
    });

    it('exports exactly the chosen records, whether ids come comma-separated or as repeated checkboxes', async () => {
      const libraryId = await newLibrary();
      const [first, second] = completeRecords();
      const third = { ...emptyRecord(), title: `Not chosen ${tag()}`, authors: ['Nobody, N'], year: 2001 };
      await importInto(libraryId, [first as RecordFields, second as RecordFields, third]);
      const records = await recordsIn(libraryId);
      const idOf = (fields: RecordFields | undefined) => records.find((record) => record.title === fields?.title)?.id as RecordId;
      const chosen = [idOf(first), idOf(second)];

      const repeated = await send(app, `/api/evidence/export?format=ris&ids=${chosen[0]}&ids=${chosen[1]}`, { token: fellowToken });
      expect(repeated.status).toBe(200);
      const ris = await repeated.text();
      expect(ris.match(/^TY {2}- /gm)).toHaveLength(2);
      expect(ris).toContain(first?.title);
      expect(ris).toContain(second?.title);
      expect(ris).not.toContain(third.title);

      // The library page's checkbox form sends ids=…&ids=…&format=…
      const page = await send(app, `/evidence/export?ids=${chosen[0]}&ids=${chosen[1]}&format=csv`, { session });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe(writers.csv.contentType);
      const csv = await page.text();
      expect(csv).toContain(first?.title);
      expect(csv).toContain(second?.title);
      expect(csv).not.toContain(third.title);

      // A selection with something that is not a record id is refused, not taken as "the whole library".
      const garbled = await send(app, `/api/evidence/export?format=ris&ids=garbage`, { token: fellowToken });
      expect(garbled.status).toBe(422);
      expect(await garbled.text()).toContain('Not a record id: garbage');
      expect((await send(app, `/evidence/export?ids=${chosen[0]},nonsense&format=csv`, { session })).status).toBe(422);

      const one = await send(app, `/evidence/export?ids=${chosen[1]}&format=bibtex`, { session });
      const bib = await one.text();
      expect(bib.match(/^@/gm)).toHaveLength(1);
    });

    it('exports the filtered library when no ids are given, and refuses an unknown format', async () => {
      const libraryId = await newLibrary();
      const [first, second] = completeRecords();
      await importInto(libraryId, [first as RecordFields, second as RecordFields]);
      const filtered = await send(app, `/api/evidence/export?format=csl-json&library=${libraryId}&source=MEDLINE`, { token: fellowToken });
      expect(filtered.status).toBe(200);
      const items = JSON.parse(await filtered.text()) as { title: string }[];
      expect(items.map((item) => item.title)).toEqual([second?.title]);
      const unknown = await send(app, `/api/evidence/export?format=docx&library=${libraryId}`, { token: fellowToken });
      expect(unknown.status).toBe(422);
      expect((await apiError(unknown)).code).toBe('validation.failed');
    });
  });

  describe('deciding on possible duplicates', () => {
    /**
     * Two records of one work a year apart (a republication, or one database's wrong year): same title
     * and first author, so a candidate, never merged automatically. In the main library, where the
     * duplicates page and the candidates API look.
     */
    const uncertainPair = async () => {
      const id = tag();
      const title = `Peer support groups for carers of people with dementia ${id}: a mixed methods evaluation`;
      const author = `Okafor${id}, Chidi`;
      const first = await importInto(undefined, [{ ...emptyRecord(), title, authors: [author], year: 2019, sourceDatabase: 'MEDLINE', journal: 'Dementia' }], `first-${id}.ris`);
      const second = await importInto(
        undefined,
        [{ ...emptyRecord(), title, authors: [author, 'Patel, R'], year: 2020, sourceDatabase: 'Embase', abstract: 'We interviewed 40 carers.', keywords: ['dementia'] }],
        `second-${id}.ris`,
      );
      expect(first).toMatchObject({ imported: 1 });
      expect(second).toMatchObject({ imported: 1, duplicates: 0, candidates: 1 });
      const records = await recordsIn(undefined, id);
      expect(records).toHaveLength(2);
      const ids = records.map((record) => record.id);
      const { candidates } = await services.evidence.listCandidates(fellow, { limit: 200, offset: 0 });
      const candidate = candidates.find((item) => ids.includes(item.left.id) && ids.includes(item.right.id)) as DuplicateCandidate;
      expect(candidate).toBeDefined();
      return { id, title, records, candidate };
    };

    const openCandidateIds = async () => {
      const response = await send(app, '/api/evidence/candidates?limit=200', { token: fellowToken });
      expect(response.status).toBe(200);
      return ((await response.json()) as { candidates: DuplicateCandidate[] }).candidates.map((candidate) => candidate.id);
    };

    it('lists an uncertain pair on the duplicates page and in the API, with the reasons', async () => {
      const { title, candidate } = await uncertainPair();
      const page = await send(app, '/evidence/duplicates', { session });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html.split(escapeHtml(title)).length - 1).toBe(2);
      expect(html).toContain(`action="/evidence/duplicates/${candidate.id}/merge"`);
      expect(html).toContain(`action="/evidence/duplicates/${candidate.id}/keep-apart"`);

      const response = await send(app, '/api/evidence/candidates?limit=200', { token: fellowToken });
      const listed = ((await response.json()) as { candidates: DuplicateCandidate[] }).candidates.find((item) => item.id === candidate.id);
      expect(listed).toMatchObject({ status: 'open', left: { title }, right: { title } });
      expect(listed?.reasons).toEqual(expect.arrayContaining(['same_title', 'same_author', 'year_differs']));
    });

    it('merges a pair from the page: one record remains, with both sources and both databases', async () => {
      const { id, title, candidate } = await uncertainPair();
      const refused = await send(app, `/evidence/duplicates/${candidate.id}/merge`, { session, csrf: null, form: {} });
      expect(refused.status).toBe(403);
      expect(await recordsIn(undefined, id)).toHaveLength(2);

      const response = await send(app, `/evidence/duplicates/${candidate.id}/merge`, { session, form: {} });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/evidence/duplicates');
      const remaining = await recordsIn(undefined, id);
      expect(remaining).toHaveLength(1);
      const [kept] = remaining;
      expect(kept).toMatchObject({ title, abstract: 'We interviewed 40 carers.', journal: 'Dementia', keywords: ['dementia'] });
      expect(kept?.sourceDatabases.sort()).toEqual(['Embase', 'MEDLINE']);
      const { sources } = await services.evidence.getRecord(fellow, kept?.id as RecordId);
      expect(sources.map((source) => source.fileName).sort()).toEqual([`first-${id}.ris`, `second-${id}.ris`]);
      expect(await openCandidateIds()).not.toContain(candidate.id);
      expect(await (await send(app, '/evidence/duplicates', { session })).text()).not.toContain(escapeHtml(title));

      const twice = await send(app, `/api/evidence/candidates/${candidate.id}/merge`, { method: 'POST', token: fellowToken });
      expect(twice.status).toBe(409);
      expect((await apiError(twice)).code).toBe('candidate.already_decided');
    });

    it('keeps a pair apart from the page: both records stay, the pair leaves the list, and a second decision is 409', async () => {
      const { id, title, candidate } = await uncertainPair();
      const response = await send(app, `/evidence/duplicates/${candidate.id}/keep-apart`, { session, form: {} });
      expect(response.status).toBe(303);
      expect(await recordsIn(undefined, id)).toHaveLength(2);
      expect(await openCandidateIds()).not.toContain(candidate.id);
      expect(await (await send(app, '/evidence/duplicates', { session })).text()).not.toContain(escapeHtml(title));

      const againPage = await send(app, `/evidence/duplicates/${candidate.id}/merge`, { session, form: {} });
      expect(againPage.status).toBe(409);
      const againApi = await send(app, `/api/evidence/candidates/${candidate.id}/keep-apart`, { method: 'POST', token: fellowToken });
      expect(againApi.status).toBe(409);
      expect((await apiError(againApi)).code).toBe('candidate.already_decided');
      expect(await recordsIn(undefined, id)).toHaveLength(2);
    });

    it('scans the library through the API without reopening pairs already decided', async () => {
      const kept = await uncertainPair();
      const open = await uncertainPair();
      await services.evidence.keepApart(fellow, kept.candidate.id);
      const response = await send(app, '/api/evidence/scan', { method: 'POST', token: fellowToken });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { records: number; merged: number; candidates: number };
      expect(body).toEqual({ records: expect.any(Number), merged: expect.any(Number), candidates: expect.any(Number) });
      expect(body.records).toBeGreaterThanOrEqual(4);
      const ids = await openCandidateIds();
      expect(ids).toContain(open.candidate.id);
      expect(ids).not.toContain(kept.candidate.id);
      expect(await recordsIn(undefined, kept.id)).toHaveLength(2);
      expect(await recordsIn(undefined, open.id)).toHaveLength(2);
    });

    it('forbids a requester to scan or decide', async () => {
      const { candidate } = await uncertainPair();
      const requester = await buildActor(services, 'requester');
      const token = (await services.accounts.createApiToken(requester.actor, 'tests')).token;
      for (const path of ['/api/evidence/scan', `/api/evidence/candidates/${candidate.id}/merge`, `/api/evidence/candidates/${candidate.id}/keep-apart`]) {
        const response = await send(app, path, { method: 'POST', token });
        expect(response.status, path).toBe(403);
      }
      const unknown = await send(app, `/api/evidence/candidates/${randomUUID() as CandidateId}/merge`, { method: 'POST', token: fellowToken });
      expect(unknown.status).toBe(404);
      expect(await openCandidateIds()).toContain(candidate.id);
    });
  });

  describe.skipIf(!hasFixtures)('every real export among the fixtures', () => {
    const files = fixtureFiles();

    it('has fixtures to check', () => {
      expect(files.length).toBeGreaterThan(100);
    });

    it.each(files)('%s imports (dry run) with as many records as its parser yields, or fails naming the line', async (file) => {
      const path = join(formatsDir, file);
      const probe = await openFileSource(path);
      const format = detectFormat(probe.head, probe.name);
      if (!format) {
        // Not a format we read: importing it is refused, never guessed at.
        await expect(services.importFile(fellow, probe, { isDryRun: true })).rejects.toMatchObject({ code: 'import.unsupported_format' });
        return;
      }
      let records = 0;
      let invalid = 0;
      let formatError: FormatError | undefined;
      try {
        for await (const event of parsers[format](probe.chunks)) {
          if (event.kind === 'record') {
            records += 1;
          } else {
            invalid += 1;
          }
        }
      } catch (error) {
        if (!(error instanceof FormatError)) {
          throw error;
        }
        formatError = error;
      }

      const libraryId = await newLibrary();
      const source = await openFileSource(path);
      const attempt = services.importFile(fellow, source, { isDryRun: true, libraryId });
      if (formatError) {
        const error = await attempt.then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(isAppError(error) && error.code, file).toBe('import.unreadable');
        expect(isAppError(error) && error.details, file).toMatchObject({ file: source.name, line: formatError.line });
        expect(String((error as Error).message)).toContain(`line ${formatError.line}`);
        return;
      }
      const summary = await attempt;
      expect(summary).toMatchObject({ file: source.name, format, parsed: records, isCommitted: false, batchId: undefined });
      expect(summary.errors).toHaveLength(invalid);
      expect(summary.imported + summary.duplicates).toBe(records);
      expect(await recordsIn(libraryId)).toEqual([]);
    });
  });
});
