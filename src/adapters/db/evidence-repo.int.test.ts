import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.js';
import { buildActor, buildLibrary, testHasher } from '../../../test/support/builders.js';
import { createServices, type Services } from '../../compose.js';
import type { Actor } from '../../core/accounts/roles.js';
import { emptyRecord, type ParseEvent, type RecordFields } from '../../core/evidence/record.js';
import type { CandidateId, LibraryId, RecordId } from '../../core/shared/ids.js';
import { createEvidenceImport } from '../../core/evidence/import.js';
import { createEvidenceRepo } from './evidence-repo.js';
import type { Database } from './database.js';

// Each test imports into a library of its own, so tests never see each other's records.
const newLibrary = buildLibrary;

async function* events(...items: ParseEvent[]): AsyncGenerator<ParseEvent> {
  yield* items;
}
const record = (line: number, overrides: Partial<RecordFields>): ParseEvent => ({ kind: 'record', line, fields: { ...emptyRecord(), ...overrides } });
const unique = () => randomUUID().slice(0, 8);

describe.each(testDatabases)('evidence import on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let fellow: Actor;
  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher });
    fellow = (await buildActor(services, 'fellow')).actor;
  });
  afterAll(async () => {
    await db.close();
  });

  const importInto = (libraryId: LibraryId, items: ParseEvent[], options: { skipInvalid?: boolean; isDryRun?: boolean } = {}) =>
    services.evidenceImport.importRecords(fellow, { fileName: 'test.ris', format: 'ris', events: events(...items), fileSha256: () => 'abc', libraryId, ...options });

  it('imports records with their fields, classification and provenance, and finds them in the library', async () => {
    const libraryId = await newLibrary(db);
    const title = `Befriending for lonely older people ${unique()}: a randomised controlled trial`;
    const summary = await importInto(libraryId, [
      record(1, { title, authors: ['Smith, Jane', 'Jones, K'], year: 2021, doi: `10.1000/${unique()}`, journal: 'BMJ', keywords: ['loneliness'], meshTerms: ['Aged'], sourceDatabase: 'Embase' }),
      record(12, { title: `Social prescribing ${unique()}`, year: 2019 }),
    ]);
    expect(summary).toMatchObject({ parsed: 2, imported: 2, duplicates: 0, errors: [], isCommitted: true });
    const { records, total, facets } = await services.evidence.listRecords(fellow, { libraryId, limit: 10, offset: 0 });
    expect(total).toBe(2);
    const trial = records.find((item) => item.title === title);
    expect(trial).toMatchObject({ authors: ['Smith, Jane', 'Jones, K'], year: 2021, journal: 'BMJ', studyDesign: 'rct', evidenceLevel: 2, sourceDatabases: ['Embase'] });
    expect(facets.designs).toEqual(expect.arrayContaining([{ design: 'rct', count: 1 }]));
    const detail = await services.evidence.getRecord(fellow, trial?.id as RecordId);
    expect(detail.sources).toMatchObject([{ line: 1, fileName: 'test.ris', format: 'ris', sourceDatabase: 'Embase' }]);
    const batches = await services.evidence.listBatches(fellow, libraryId);
    expect(batches).toMatchObject([{ fileName: 'test.ris', parsed: 2, imported: 2, duplicates: 0, fileSha256: 'abc' }]);
  });

  it('adds nothing when the same file is imported again, and enriches records from duplicates', async () => {
    const libraryId = await newLibrary(db);
    const doi = `10.1000/${unique()}`;
    const file = [
      record(1, { title: `Falls prevention ${unique()}`, doi, year: 2020, authors: ['Lee, A'] }),
      record(9, { title: `Home care ${unique()}`, year: 2018, authors: ['Khan, B'] }),
      // A news item with no authors and no identifier: matched on its whole citation.
      record(17, { title: `Rofecoxib ${unique()}: new preparation`, year: 1999, journal: 'Lancet', volume: '354', pages: '1187' }),
      // And one with no year.
      record(25, { title: `Befriending schemes ${unique()}`, authors: ['Smith, John'], journal: 'Age and Ageing' }),
    ];
    await importInto(libraryId, file);
    const again = await importInto(libraryId, file);
    expect(again).toMatchObject({ parsed: 4, imported: 0, duplicates: 4, candidates: 0 });
    const richer = await importInto(libraryId, [record(1, { title: 'Any title at all', doi: doi.toUpperCase().replace('10.1000', '10.1000'), abstract: 'Now with an abstract.', sourceDatabase: 'MEDLINE', keywords: ['falls'] })]);
    expect(richer).toMatchObject({ imported: 0, duplicates: 1 });
    const { records, total } = await services.evidence.listRecords(fellow, { libraryId, limit: 10, offset: 0 });
    expect(total).toBe(4);
    const enriched = records.find((item) => item.doi === doi);
    expect(enriched).toMatchObject({ abstract: 'Now with an abstract.', sourceDatabases: ['MEDLINE'], keywords: ['falls'] });
    expect((await services.evidence.getRecord(fellow, enriched?.id as RecordId)).sources).toHaveLength(3);
  });

  it('fills a record in from every copy the file holds: each field from the first copy in file order that has it, lists in file order', async () => {
    const libraryId = await newLibrary(db);
    const paper = { title: `Befriending for carers ${unique()}`, year: 2020, authors: ['Okoro, Ada'] };
    const doi = `10.1000/${unique()}`;
    const pmid = String(Date.now()).slice(-8);
    // A record with no authors, matched on its DOI.
    const anonymous = { title: `Loneliness in later life ${unique()}`, doi: `10.1000/${unique()}`, year: 2019 };
    await importInto(libraryId, [record(1, { ...paper, keywords: ['older people'], sourceDatabase: 'PsycINFO' }), record(2, anonymous)]);
    const summary = await importInto(libraryId, [
      record(1, { ...paper, journal: 'Age and Ageing', keywords: ['loneliness'], sourceDatabase: 'Embase' }),
      record(9, { ...paper, journal: 'A later journal', doi, abstract: 'Short.', keywords: ['befriending', 'loneliness'], meshTerms: ['Aged'], sourceDatabase: 'MEDLINE' }),
      record(17, { ...paper, pmid, abstract: 'A longer abstract, which wins.', keywords: ['carers', 'Loneliness', 'Older People'], meshTerms: ['Humans', 'Aged'], publicationTypes: ['Journal Article'], sourceDatabase: 'Embase' }),
      // Spellings that differ only in case join the record once, as the first copy in file order spells them.
      record(21, { ...paper, keywords: ['Digital inclusion', 'digital Inclusion'], meshTerms: ['aged'], sourceDatabase: 'medline' }),
      record(25, { ...paper, abstract: 'The same length, but too late.' }),
      record(33, { ...anonymous, title: 'Any title at all', journal: 'Ageing and Society' }),
      record(41, { ...anonymous, title: 'Any title at all', authors: ['Patel, Ravi', 'Smith, Jo'] }),
      record(49, { ...anonymous, title: 'Any title at all', authors: ['Someone, Else'] }),
    ]);
    expect(summary).toMatchObject({ parsed: 8, imported: 0, duplicates: 8, candidates: 0, isCommitted: true });
    const { records, total } = await services.evidence.listRecords(fellow, { libraryId, limit: 10, offset: 0 });
    expect(total).toBe(2);
    expect(records.find((item) => item.title === paper.title)).toMatchObject({
      journal: 'Age and Ageing',
      doi,
      pmid,
      abstract: 'A longer abstract, which wins.',
      keywords: ['older people', 'loneliness', 'befriending', 'carers', 'Digital inclusion'],
      meshTerms: ['Aged', 'Humans'],
      publicationTypes: ['Journal Article'],
      sourceDatabases: ['PsycINFO', 'Embase', 'MEDLINE'],
    });
    expect(records.find((item) => item.title === anonymous.title)).toMatchObject({ journal: 'Ageing and Society', authors: ['Patel, Ravi', 'Smith, Jo'] });
    expect((await services.evidence.listBatches(fellow, libraryId))[0]).toMatchObject({ parsed: 8, imported: 0, duplicates: 8 });
  });

  it('fills in and files its sources under the record that survived when the record its copies duplicate is merged while the file is staged', async () => {
    const libraryId = await newLibrary(db);
    const tag = unique();
    const doi = `10.1000/${tag}`;
    // Two records a fellow will merge: the second, with the abstract and journal, is richer, so it is kept.
    await importInto(libraryId, [
      record(1, { title: `Strength training ${tag} for frail older adults`, authors: ['Okafor, A'], year: 2020, doi }),
      record(9, { title: `Strength training ${tag} for frail older adults.`, year: 2020, journal: 'Age and Ageing', abstract: 'Twelve weeks of strength training improved gait speed and reduced falls in frail older adults.' }),
    ]);
    const [candidate] = (await services.evidence.listCandidates(fellow, { limit: 5, offset: 0 }, libraryId)).candidates;
    expect(candidate).toBeDefined();
    const repo = createEvidenceRepo(db);
    // The merge lands after the file was staged and before it is promoted.
    const racing = createEvidenceImport({
      store: {
        ...repo,
        promoteStaged: async (...args: Parameters<typeof repo.promoteStaged>) => {
          await services.evidence.mergeCandidate(fellow, candidate?.id as CandidateId);
          return repo.promoteStaged(...args);
        },
      },
      ids: { newId: randomUUID },
    });
    const summary = await racing.importRecords(fellow, {
      fileName: 'later.ris',
      format: 'ris',
      events: events(record(4, { title: `Strength training ${tag} for frail older adults`, doi, keywords: ['resistance exercise'], sourceDatabase: 'CINAHL' })),
      fileSha256: () => 'later',
      libraryId,
    });
    expect(summary).toMatchObject({ imported: 0, duplicates: 1, isCommitted: true });
    const { records: live, total } = await services.evidence.listRecords(fellow, { libraryId, limit: 10, offset: 0 });
    expect(total).toBe(1);
    expect(live[0]).toMatchObject({ journal: 'Age and Ageing', keywords: ['resistance exercise'], sourceDatabases: expect.arrayContaining(['CINAHL']) });
    const detail = await services.evidence.getRecord(fellow, live[0]?.id as RecordId);
    expect(detail.sources.map((source) => source.fileName).sort()).toEqual(['later.ris', 'test.ris', 'test.ris']);
  });

  it('writes no record that a duplicate adds nothing to: an identical re-import changes no updated_at and adds nothing to the change feed', async () => {
    const libraryId = await newLibrary(db);
    const paper = { title: `Falls prevention ${unique()}`, year: 2020, authors: ['Lee, A'] };
    const file = [
      record(1, paper),
      // A copy in the same file that fills the first in, then records with every kind of field.
      record(9, { ...paper, abstract: 'Falls fell.', doi: `10.1000/${unique()}`, keywords: ['falls'], meshTerms: ['Aged'], sourceDatabase: 'MEDLINE' }),
      record(17, { title: `Home care ${unique()}`, year: 2018, authors: ['Khan, B'], journal: 'BMJ', publicationTypes: ['Journal Article'], sourceDatabase: 'Embase' }),
      record(25, { title: `Rofecoxib ${unique()}: new preparation`, year: 1999, journal: 'Lancet', volume: '354', pages: '1187' }),
    ];
    const first = await importInto(libraryId, file);
    expect(first).toMatchObject({ parsed: 4, imported: 3, duplicates: 1 });
    const written = () =>
      db.query<{ id: string; updated_at: Date; changes: number }>(
        `select r.id, r.updated_at, (select count(*)::int from evidence_changes c where c.record_id = r.id) as changes
         from evidence_records r where r.library_id = $1 order by r.id`,
        [libraryId],
      );
    const before = await written();
    expect(before).toHaveLength(3);

    const again = await importInto(libraryId, file);
    expect(again).toMatchObject({ parsed: 4, imported: 0, duplicates: 4, candidates: 0, isCommitted: true });
    expect(await written()).toEqual(before);
    expect((await services.evidence.listBatches(fellow, libraryId)).map((batch) => [batch.imported, batch.duplicates])).toEqual(expect.arrayContaining([[3, 1], [0, 4]]));

    // A file that adds to one record writes that one, once.
    const richer = await importInto(libraryId, [record(1, { ...paper, keywords: ['falls', 'exercise'] }), record(2, { ...paper, abstract: 'Short.' })]);
    expect(richer).toMatchObject({ imported: 0, duplicates: 2 });
    const after = await written();
    const changed = after.filter((row, index) => row.changes !== before[index]?.changes || row.updated_at.getTime() !== before[index]?.updated_at.getTime());
    expect(changed.map((row) => [row.id, row.changes])).toEqual(
      before.filter((row) => changed.some((each) => each.id === row.id)).map((row) => [row.id, row.changes + 1]),
    );
    expect(changed).toHaveLength(1);
    expect((await services.evidence.getRecord(fellow, changed[0]?.id as RecordId)).record).toMatchObject({ title: paper.title, keywords: ['falls', 'exercise'], abstract: 'Falls fell.' });
  });

  it('imports nothing from a file with an invalid record unless asked to skip it, and then reports the line', async () => {
    const libraryId = await newLibrary(db);
    const items = [record(1, { title: `Good ${unique()}` }), { kind: 'invalid' as const, line: 7, message: 'record has no title' }, record(9, { title: `Also good ${unique()}` })];
    const refused = await importInto(libraryId, items);
    expect(refused).toMatchObject({ parsed: 2, imported: 0, isCommitted: false, errors: [{ line: 7, message: 'record has no title' }] });
    expect((await services.evidence.listRecords(fellow, { libraryId, limit: 10, offset: 0 })).total).toBe(0);
    const skipped = await importInto(libraryId, items, { skipInvalid: true });
    expect(skipped).toMatchObject({ imported: 2, isCommitted: true, errors: [{ line: 7 }] });
  });

  it('writes nothing on a dry run but reports what it would do', async () => {
    const libraryId = await newLibrary(db);
    const summary = await importInto(libraryId, [record(1, { title: `Dry ${unique()}` })], { isDryRun: true });
    expect(summary).toMatchObject({ parsed: 1, imported: 1, isCommitted: false });
    expect((await services.evidence.listRecords(fellow, { libraryId, limit: 10, offset: 0 })).total).toBe(0);
    expect(await db.query('select 1 from import_staging')).toEqual([]);
  });

  it('finds duplicates within one file across chunks, and leaves uncertain pairs for a fellow to merge', async () => {
    const libraryId = await newLibrary(db);
    const title = `Exercise and sleep in older adults ${unique()}`;
    const filler = Array.from({ length: 600 }, (_, index) => record(100 + index, { title: `Filler ${unique()} ${index}`, year: 2000 + (index % 20) }));
    const summary = await importInto(libraryId, [
      record(1, { title, year: 2020, authors: ['Okafor, T'] }),
      ...filler,
      record(900, { title: `${title}.`, year: 2020, authors: ['T Okafor'], abstract: 'Longer.' }),
      record(950, { title, year: 2021, authors: ['Okafor, T'] }),
    ]);
    expect(summary).toMatchObject({ parsed: 603, imported: 602, duplicates: 1, candidates: 1 });
    const { candidates } = await services.evidence.listCandidates(fellow, { limit: 10, offset: 0 }, libraryId);
    expect(candidates).toHaveLength(1);
    const [pair] = candidates;
    expect(pair?.reasons).toEqual(['same_title', 'same_author', 'year_differs']);
    const merged = await services.evidence.mergeCandidate(fellow, pair?.id as never);
    expect(merged.abstract).toBe('Longer.');
    expect((await services.evidence.getRecord(fellow, merged.id)).sources).toHaveLength(3);
    expect((await services.evidence.listRecords(fellow, { libraryId, limit: 1, offset: 0 })).total).toBe(601);
    await expect(services.evidence.mergeCandidate(fellow, pair?.id as never)).rejects.toMatchObject({ code: 'candidate.already_decided' });
  });

  it('refuses imports by requesters', async () => {
    const requester = (await buildActor(services, 'requester')).actor;
    await expect(
      services.evidenceImport.importRecords(requester, { fileName: 'x.ris', format: 'ris', events: events(), fileSha256: () => 'x' }),
    ).rejects.toMatchObject({ code: 'auth.forbidden' });
  });
});

describe.each(testDatabases)('whole-library duplicate scan on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let fellow: Actor;
  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher });
    fellow = (await buildActor(services, 'fellow')).actor;
  });
  afterAll(async () => {
    await db.close();
  });

  it('merges exact duplicates that slipped in, lists uncertain pairs once, and leaves decided pairs decided', async () => {
    const libraryId = await newLibrary(db);
    const title = `Community navigators for people with dementia ${unique()}`;
    // Two records of the same work inserted behind the importer's back (as two concurrent imports could).
    for (const abstract of ['Short.', 'A longer abstract.']) {
      // eslint-disable-next-line no-await-in-loop -- two rows, in order
      await db.query(
        `insert into evidence_records (library_id, title, abstract, authors, year, title_key, author_key, block_keys)
         values ($1, $2, $3, '{"Patel, R"}', 2022, $4, 'patel', $5)`,
        [libraryId, title, abstract, title.toLowerCase(), [`t:${title.toLowerCase().slice(0, 24)}`, 'a:patel:2022']],
      );
    }
    await services.evidenceImport.importRecords(fellow, {
      fileName: 'later.ris',
      format: 'ris',
      events: events(record(1, { title: `${title} follow-up study`, authors: ['Patel, R'], year: 2022 })),
      fileSha256: () => 'x',
      libraryId,
    });
    const first = await services.evidence.scanForDuplicates(fellow, libraryId);
    expect(first).toMatchObject({ records: 3, merged: 1 });
    const { records } = await services.evidence.listRecords(fellow, { libraryId, limit: 10, offset: 0 });
    expect(records).toHaveLength(2);
    expect(records.find((item) => item.title === title)?.abstract).toBe('A longer abstract.');
    const again = await services.evidence.scanForDuplicates(fellow, libraryId);
    expect(again).toEqual({ records: 2, merged: 0, candidates: 0 });
  });
});
