import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.js';
import { buildActor, buildLibrary, testHasher } from '../../../test/support/builders.js';
import { createServices, type Services } from '../../compose.js';
import type { Actor } from '../../core/accounts/roles.js';
import { classificationRulesVersion, type StudyDesign } from '../../core/evidence/classify.js';
import { emptyRecord, type ParseEvent, type RecordFields } from '../../core/evidence/record.js';
import type { LibraryId, RecordId } from '../../core/shared/ids.js';
import { createReclassification } from '../../core/evidence/reclassify.js';
import type { Database } from './database.js';
import { createEvidenceRepo } from './evidence-repo.js';

async function* events(...items: ParseEvent[]): AsyncGenerator<ParseEvent> {
  yield* items;
}
const record = (line: number, overrides: Partial<RecordFields>): ParseEvent => ({ kind: 'record', line, fields: { ...emptyRecord(), ...overrides } });

// Stored designs follow the classification rules: records classified by older rules are classified
// again (at start when the workspace's rules version is older, or on demand, and a record an import
// enriches, when what the rules read changed), designs set by hand are not, and the change reaches the evidence index through the change feed as any edit does. Other test
// files may write to the same PostgreSQL database meanwhile, so whole-workspace runs are checked on
// this test's records; runs over this test's own library are checked exactly.
describe.each(testDatabases)('reclassifying stored study designs on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let fellow: Actor;
  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    fellow = (await buildActor(services, 'fellow')).actor;
  });
  afterAll(async () => {
    await services.search.stop();
    await db.close();
  });

  const newLibrary = (): Promise<LibraryId> => buildLibrary(db);
  const stored = async (id: RecordId) => {
    const [row] = await db.query<{ study_design: StudyDesign; evidence_level: number | null; study_design_set_by_hand: boolean }>(
      'select study_design, evidence_level, study_design_set_by_hand from evidence_records where id = $1',
      [id],
    );
    return row;
  };
  const feedEntries = async (id: RecordId) => (await db.query<{ count: number }>('select count(*)::int as count from evidence_changes where record_id = $1', [id]))[0]?.count ?? 0;
  /** Stores a design as older rules left it, behind the use cases' back. */
  const storeDesign = (id: RecordId, design: StudyDesign, level: number | null) =>
    db.query('update evidence_records set study_design = $2, evidence_level = $3 where id = $1', [id, design, level]);
  const searchIds = async (text: string, designs: StudyDesign[], libraryId: LibraryId) => {
    await services.search.catchUp();
    const result = await services.search.search({ text, limit: 10, filters: { designs, libraryIds: [libraryId] } });
    return result.hits.map((hit) => hit.id);
  };

  /** Three records: a non-randomised trial older rules graded an RCT, one whose design a person set, one already right. */
  const library = async () => {
    const tag = `zqrc${randomUUID().slice(0, 8)}`;
    const libraryId = await newLibrary();
    await services.evidenceImport.importRecords(fellow, {
      fileName: 'reclassify.ris',
      format: 'ris',
      fileSha256: () => 'abc',
      libraryId,
      events: events(
        record(1, { title: `Befriending for carers ${tag}: a non-randomised controlled trial`, year: 2020 }),
        record(2, { title: `Telephone support for carers ${tag}: a randomised controlled trial`, year: 2021 }),
        record(3, { title: `Loneliness among carers ${tag}: a cross-sectional survey`, year: 2022 }),
      ),
    });
    const rows = await db.query<{ id: string; title: string }>('select id, title from evidence_records where library_id = $1 order by year', [libraryId]);
    const [stale, byHand, current] = rows.map((row) => row.id as RecordId) as [RecordId, RecordId, RecordId];
    // As imported with the current rules: other, RCT, cross-sectional.
    expect([(await stored(stale))?.study_design, (await stored(byHand))?.study_design, (await stored(current))?.study_design]).toEqual(['other', 'rct', 'cross_sectional']);
    await storeDesign(stale, 'rct', 2);
    await services.evidence.setStudyDesign(fellow, byHand, 'qualitative');
    return { tag, libraryId, stale, byHand, current };
  };

  it('at start, classifies again the records stored by older rules, leaves hand-set designs alone, updates the index, and then has nothing to do', async () => {
    const { tag, libraryId, stale, byHand, current } = await library();
    await services.search.start();
    expect(await searchIds(tag, ['rct'], libraryId)).toContain(stale);
    await db.query('update classification_state set rules_version = 0');
    const feedBefore = await Promise.all([stale, byHand, current].map(feedEntries));

    const result = await services.reclassification.reclassifyIfOutdated();
    expect(result).toMatchObject({ rulesVersion: classificationRulesVersion, previousVersion: 0, dryRun: false, complete: true });
    expect(result?.changes).toContainEqual(expect.objectContaining({ from: 'rct', to: 'other' }));
    expect(result?.examples.map((example) => example.id)).not.toContain(byHand);
    expect(await stored(stale)).toEqual({ study_design: 'other', evidence_level: null, study_design_set_by_hand: false });
    expect(await stored(byHand)).toEqual({ study_design: 'qualitative', evidence_level: null, study_design_set_by_hand: true });
    expect(await stored(current)).toMatchObject({ study_design: 'cross_sectional', evidence_level: 5 });
    const [row] = await db.query<{ rules_version: number }>('select rules_version from classification_state');
    expect(row?.rules_version).toBe(classificationRulesVersion);

    // Only the record that changed went to the change feed, and the index has its new design.
    expect(await Promise.all([stale, byHand, current].map(feedEntries))).toEqual([(feedBefore[0] ?? 0) + 1, feedBefore[1], feedBefore[2]]);
    expect(await searchIds(tag, ['rct'], libraryId)).not.toContain(stale);
    expect(await searchIds(tag, ['other'], libraryId)).toContain(stale);
    expect(await searchIds(tag, ['qualitative'], libraryId)).toEqual([byHand]);
    // The record page's design and its reasoning now agree.
    const page = await services.evidence.getRecord(fellow, stale);
    expect(page.record.studyDesign).toBe(page.classification.design);

    // The workspace follows the current rules: nothing to do at the next start.
    expect(await services.reclassification.reclassifyIfOutdated()).toBeUndefined();
  });

  it('on demand: a dry run says what would change and writes nothing; a run changes it; a second run changes nothing', async () => {
    const { libraryId, stale, byHand } = await library();
    const feedBefore = await feedEntries(stale);

    const dryRun = await services.reclassification.reclassify(undefined, { libraryId, dryRun: true });
    expect(dryRun).toMatchObject({ dryRun: true, complete: true, records: 2, changed: 1, changes: [{ from: 'rct', to: 'other', count: 1 }], examples: [{ id: stale, from: 'rct', to: 'other' }] });
    expect(await stored(stale)).toMatchObject({ study_design: 'rct', evidence_level: 2 });
    expect(await feedEntries(stale)).toBe(feedBefore);

    const run = await services.reclassification.reclassify(fellow, { libraryId });
    expect(run).toMatchObject({ dryRun: false, records: 2, changed: 1, changes: [{ from: 'rct', to: 'other', count: 1 }] });
    expect(await stored(stale)).toMatchObject({ study_design: 'other', evidence_level: null });
    expect(await stored(byHand)).toMatchObject({ study_design: 'qualitative', study_design_set_by_hand: true });

    const again = await services.reclassification.reclassify(fellow, { libraryId });
    expect(again).toMatchObject({ records: 2, changed: 0, changes: [], examples: [] });
    expect(await feedEntries(stale)).toBe(feedBefore + 1);
  });

  it('reads the library in batches, each its own transaction, and counts every record once', async () => {
    const libraryId = await newLibrary();
    const tag = `zqbt${randomUUID().slice(0, 8)}`;
    await services.evidenceImport.importRecords(fellow, {
      fileName: 'batches.ris',
      format: 'ris',
      fileSha256: () => 'abc',
      libraryId,
      events: events(...Array.from({ length: 7 }, (_, index) => record(index + 1, { title: `Exercise ${tag} ${index}: a non-randomized study`, year: 2000 + index }))),
    });
    await db.query("update evidence_records set study_design = 'rct', evidence_level = 2 where library_id = $1", [libraryId]);
    let told = 0;
    const small = createReclassification({ store: createEvidenceRepo(db), batchSize: 3, onChanged: () => (told += 1) });
    // Stopped after its first batch (the app stopping): the rest waits for the next run.
    let batches = 0;
    expect(await small.reclassify(undefined, { libraryId, shouldStop: () => (batches += 1) > 1 })).toMatchObject({ complete: false, records: 3, changed: 3 });
    expect(told).toBe(1);
    expect(await small.reclassify(undefined, { libraryId })).toMatchObject({ complete: true, records: 7, changed: 4, changes: [{ from: 'rct', to: 'other', count: 4 }] });
    expect(told).toBe(3);
    expect(await small.reclassify(undefined, { libraryId })).toMatchObject({ records: 7, changed: 0 });
  });

  it('refuses requesters, researchers and contributors, and an unknown library', async () => {
    const requester = (await buildActor(services, 'requester')).actor;
    await expect(services.reclassification.reclassify(requester, { dryRun: true })).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(services.reclassification.reclassify(undefined, { libraryId: randomUUID() as LibraryId })).rejects.toMatchObject({ code: 'library.not_found' });
  });

  describe('when an import enriches a record', () => {
    const importInto = (libraryId: LibraryId, fileName: string, ...items: Partial<RecordFields>[]) =>
      services.evidenceImport.importRecords(fellow, { fileName, format: 'ris', fileSha256: () => 'abc', libraryId, events: events(...items.map((item, index) => record(index + 1, item))) });
    const idOf = async (libraryId: LibraryId, title: string) =>
      (await db.query<{ id: string }>('select id from evidence_records where library_id = $1 and title = $2 and merged_into_id is null', [libraryId, title]))[0]?.id as RecordId;
    const designsIn = async (libraryId: LibraryId, designs: StudyDesign[]) =>
      (await services.evidence.listRecords(fellow, { libraryId, designs, limit: 50, offset: 0 })).records.map((each) => each.id);

    it('grades it again with the current rules when the duplicate fills in what the rules read, and the filters, facets and index follow', async () => {
      const libraryId = await newLibrary();
      const tag = `zqen${randomUUID().slice(0, 8)}`;
      // Graded from their titles alone: no design named, and a randomised trial.
      const titleOnly = { title: `Telephone befriending for carers ${tag}`, authors: ['Okoro, Ada'], year: 2021 };
      const trial = { title: `Peer support for carers ${tag}: a randomised controlled trial`, authors: ['Achterberg, Wim'], year: 2022 };
      await importInto(libraryId, 'first.ris', titleOnly, trial);
      const [plain, protocol] = [await idOf(libraryId, titleOnly.title), await idOf(libraryId, trial.title)];
      expect([(await stored(plain))?.study_design, (await stored(protocol))?.study_design]).toEqual(['other', 'rct']);
      await services.search.start();
      expect(await searchIds(tag, ['other'], libraryId)).toEqual([plain]);

      // The second copies bring an abstract that reports a trial, and the publication type of a protocol.
      const second = await importInto(
        libraryId,
        'second.ris',
        { ...titleOnly, abstract: 'Carers were randomly assigned to telephone befriending or usual care; loneliness fell with befriending.' },
        { ...trial, publicationTypes: ['Journal Article', 'Clinical Trial Protocol'] },
      );
      expect(second).toMatchObject({ imported: 0, duplicates: 2 });
      expect(await stored(plain)).toEqual({ study_design: 'rct', evidence_level: 2, study_design_set_by_hand: false });
      expect(await stored(protocol)).toEqual({ study_design: 'other', evidence_level: null, study_design_set_by_hand: false });

      expect(await designsIn(libraryId, ['rct'])).toEqual([plain]);
      expect(await designsIn(libraryId, ['other'])).toEqual([protocol]);
      expect((await services.evidence.listRecords(fellow, { libraryId, limit: 1, offset: 0 })).facets.designs).toEqual(
        expect.arrayContaining([{ design: 'rct', count: 1 }, { design: 'other', count: 1 }]),
      );
      expect(await searchIds(tag, ['rct'], libraryId)).toEqual([plain]);
      expect(await searchIds(tag, ['other'], libraryId)).toEqual([protocol]);
      // The record page's design and its reasoning agree.
      const page = await services.evidence.getRecord(fellow, plain);
      expect([page.record.studyDesign, page.classification.design]).toEqual(['rct', 'rct']);
    });

    it('grades a record again when a later copy in the same file fills it in', async () => {
      const libraryId = await newLibrary();
      const paper = { title: `Befriending for carers ${randomUUID().slice(0, 8)}`, authors: ['Patel, Ravi'], year: 2020 };
      expect(await importInto(libraryId, 'both.ris', paper, { ...paper, abstract: 'A systematic review of befriending for carers.' })).toMatchObject({ imported: 1, duplicates: 1 });
      expect(await stored(await idOf(libraryId, paper.title))).toMatchObject({ study_design: 'systematic_review', evidence_level: 1 });
    });

    it('grades a record again when only the third of three copies in a file brings the abstract', async () => {
      const libraryId = await newLibrary();
      const tag = randomUUID().slice(0, 8);
      const abstract = 'Carers were randomly assigned to telephone befriending or usual care; loneliness fell with befriending.';
      // A record already in the library, and one the file brings itself, each graded from its title alone.
      const existing = { title: `Telephone befriending for carers ${tag}`, authors: ['Okoro, Ada'], year: 2021 };
      const fresh = { title: `Befriending for carers ${tag}`, authors: ['Patel, Ravi'], year: 2020 };
      await importInto(libraryId, 'first.ris', existing);
      const summary = await importInto(
        libraryId,
        'copies.ris',
        { ...existing, keywords: ['befriending'] },
        { ...existing, journal: 'Age and Ageing' },
        { ...existing, abstract },
        fresh,
        { ...fresh, keywords: ['carers'] },
        { ...fresh, abstract: 'A systematic review of befriending for carers.' },
      );
      expect(summary).toMatchObject({ parsed: 6, imported: 1, duplicates: 5, candidates: 0 });
      const [existingId, freshId] = [await idOf(libraryId, existing.title), await idOf(libraryId, fresh.title)];
      expect(await stored(existingId)).toEqual({ study_design: 'rct', evidence_level: 2, study_design_set_by_hand: false });
      expect(await stored(freshId)).toEqual({ study_design: 'systematic_review', evidence_level: 1, study_design_set_by_hand: false });
      expect((await services.evidence.getRecord(fellow, existingId)).record).toMatchObject({ abstract, keywords: ['befriending'], journal: 'Age and Ageing' });
      expect((await services.evidence.getRecord(fellow, freshId)).record).toMatchObject({ abstract: 'A systematic review of befriending for carers.', keywords: ['carers'] });
      expect(await designsIn(libraryId, ['rct'])).toEqual([existingId]);
    });

    it('keeps a design set by hand, though it fills the record in', async () => {
      const libraryId = await newLibrary();
      const paper = { title: `Dementia cafés ${randomUUID().slice(0, 8)}`, authors: ['Achterberg, Wim'], year: 2021 };
      await importInto(libraryId, 'first.ris', paper);
      const id = await idOf(libraryId, paper.title);
      await services.evidence.setStudyDesign(fellow, id, 'qualitative');
      await importInto(libraryId, 'second.ris', { ...paper, abstract: 'Carers were randomly allocated to cafés or usual care.', publicationTypes: ['Randomized Controlled Trial'] });
      expect(await stored(id)).toEqual({ study_design: 'qualitative', evidence_level: null, study_design_set_by_hand: true });
      expect((await services.evidence.getRecord(fellow, id)).record).toMatchObject({ abstract: 'Carers were randomly allocated to cafés or usual care.', publicationTypes: ['Randomized Controlled Trial'] });
    });

    it('changes no design when the duplicate fills in nothing the rules read, even one older rules left', async () => {
      const libraryId = await newLibrary();
      const tag = randomUUID().slice(0, 8);
      const stale = { title: `Befriending for carers ${tag}: a non-randomised controlled trial`, authors: ['Okoro, Ada'], year: 2020, abstract: 'Carers chose befriending or usual care.' };
      const unchanged = { title: `Loneliness among carers ${tag}`, authors: ['Patel, Ravi'], year: 2021 };
      await importInto(libraryId, 'first.ris', stale, unchanged);
      const [staleId, unchangedId] = [await idOf(libraryId, stale.title), await idOf(libraryId, unchanged.title)];
      await storeDesign(staleId, 'rct', 2);
      const feedBefore = await Promise.all([staleId, unchangedId].map(feedEntries));

      // Only a DOI, keywords and a shorter abstract for one; an abstract the rules find no design in for the other.
      await importInto(
        libraryId,
        'second.ris',
        { ...stale, abstract: 'Befriending.', doi: `10.1000/${tag}`, keywords: ['befriending'] },
        { ...unchanged, abstract: 'Carers in London told us about loneliness.' },
      );
      expect(await stored(staleId)).toEqual({ study_design: 'rct', evidence_level: 2, study_design_set_by_hand: false });
      expect(await stored(unchangedId)).toEqual({ study_design: 'other', evidence_level: null, study_design_set_by_hand: false });
      expect((await services.evidence.getRecord(fellow, staleId)).record).toMatchObject({ doi: `10.1000/${tag}`, keywords: ['befriending'], abstract: stale.abstract });
      // Each record was written once, by the enrichment: no design was written after it.
      expect(await Promise.all([staleId, unchangedId].map(feedEntries))).toEqual(feedBefore.map((count) => count + 1));
    });
  });

  it('keeps a design set by hand when its record absorbs a duplicate', async () => {
    const libraryId = await newLibrary();
    const title = `Peer support for carers ${randomUUID().slice(0, 8)}: a randomised controlled trial`;
    // Two copies of one work inserted behind the importer's back; a scan keeps the first, whose design a person set.
    for (const abstract of ['Short.', 'A longer abstract.']) {
      // eslint-disable-next-line no-await-in-loop -- two rows, in order
      await db.query(
        `insert into evidence_records (library_id, title, abstract, authors, year, title_key, author_key, block_keys, study_design, study_design_set_by_hand,
           study_design_set_at, created_at)
         values ($1, $2, $3, '{"Patel, R"}', 2022, $4, 'patel', $5, $6, $7, case when $7 then now() end, now() - $8::interval)`,
        [libraryId, title, abstract, title.toLowerCase(), [`t:${title.toLowerCase().slice(0, 24)}`, 'a:patel:2022'], ...(abstract === 'Short.' ? ['qualitative', true, '1 minute'] : ['rct', false, '0 minutes'])],
      );
    }
    expect(await services.evidence.scanForDuplicates(fellow, libraryId)).toMatchObject({ merged: 1 });
    const [kept] = (await services.evidence.listRecords(fellow, { libraryId, limit: 10, offset: 0 })).records;
    // The merged fields alone would make it a randomised trial.
    expect(kept).toMatchObject({ abstract: 'A longer abstract.', studyDesign: 'qualitative' });
    expect(kept?.evidenceLevel).toBeUndefined();
    expect(await stored(kept?.id as RecordId)).toMatchObject({ study_design_set_by_hand: true });
  });
});
