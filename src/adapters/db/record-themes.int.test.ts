import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.js';
import { buildActor, buildLibrary, buildTheme, buildWorkspace, needInput, testHasher } from '../../../test/support/builders.js';
import { createServices, type Services } from '../../compose.js';
import type { Actor } from '../../core/accounts/roles.js';
import { emptyRecord, type ParseEvent, type RecordFields } from '../../core/evidence/record.js';
import type { LibraryId, RecordId, ThemeId } from '../../core/shared/ids.js';
import type { Database } from './database.js';
import { createIndexFeedRepo } from './index-feed-repo.js';

const newLibrary = buildLibrary;

async function* events(...items: ParseEvent[]): AsyncGenerator<ParseEvent> {
  yield* items;
}
const record = (line: number, overrides: Partial<RecordFields>): ParseEvent => ({ kind: 'record', line, fields: { ...emptyRecord(), ...overrides } });
const unique = () => randomUUID().slice(0, 8);

// Other test files may write to the same PostgreSQL database meanwhile, so feed checks look for
// this test's record among the changes rather than for the changes to be exactly it.
describe.each(testDatabases)('themes on evidence records on $name', ({ name, open }) => {
  let db: Database;
  let services: Services;
  let fellow: Actor;
  let feed: ReturnType<typeof createIndexFeedRepo>;
  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher });
    fellow = (await buildActor(services, 'fellow')).actor;
    feed = createIndexFeedRepo(db);
  });
  afterAll(async () => {
    await db.close();
  });

  const importInto = (libraryId: LibraryId, items: ParseEvent[], options: { themeIds?: ThemeId[]; skipInvalid?: boolean } = {}) =>
    services.evidenceImport.importRecords(fellow, { fileName: 'themes.ris', format: 'ris', events: events(...items), fileSha256: () => 'abc', libraryId, ...options });
  const recordsIn = async (libraryId: LibraryId, themeIds?: ThemeId[]) => (await services.evidence.listRecords(fellow, { libraryId, themeIds, limit: 50, offset: 0 })).records;
  const themeRowsIn = async (libraryId: LibraryId): Promise<number> => {
    const [row] = await db.query<{ count: number }>(
      'select count(*)::int as count from record_themes rt join evidence_records r on r.id = rt.record_id where r.library_id = $1',
      [libraryId],
    );
    return row?.count ?? 0;
  };
  const oneRecord = async () => {
    const libraryId = await newLibrary(db);
    await importInto(libraryId, [record(1, { title: `Peer support for carers ${unique()}`, year: 2021 })]);
    const [only] = await recordsIn(libraryId);
    return { libraryId, recordId: only?.id as RecordId };
  };

  it('appends the record to the change feed whenever its themes change, and the feed gives the index its theme ids', async () => {
    const [carers, dementia] = [await buildTheme(services), await buildTheme(services)];
    const { recordId } = await oneRecord();
    // How many times the record is in the feed (committed, final or not: other tests write too).
    const feedEntries = async () => (await db.query<{ count: number }>('select count(*)::bigint as count from evidence_changes where record_id = $1', [recordId]))[0]?.count ?? 0;

    let before = await feedEntries();
    await services.evidence.setRecordThemes(fellow, recordId, [carers.id, dementia.id]);
    expect(await feedEntries()).toBe(before + 1);
    const { live } = await feed.findDocuments([recordId]);
    expect([...(live[0]?.themeIds ?? [])].sort()).toEqual([carers.id, dementia.id].sort());

    before = await feedEntries();
    await services.evidence.setRecordThemes(fellow, recordId, [dementia.id]);
    expect(await feedEntries()).toBe(before + 1);
    expect((await feed.findDocuments([recordId])).live[0]?.themeIds).toEqual([dementia.id]);

    // Saving the same themes again changes nothing, so the feed hears of nothing.
    before = await feedEntries();
    await services.evidence.setRecordThemes(fellow, recordId, [dementia.id]);
    expect(await feedEntries()).toBe(before);

    // Deleting a theme takes it off its records, and the feed hears of that too.
    before = await feedEntries();
    await db.query('delete from themes where id = $1', [dementia.id]);
    expect(await feedEntries()).toBe(before + 1);
    expect((await services.evidence.getRecord(fellow, recordId)).record.themes).toEqual([]);
  });

  it('pages documents for the index build with their theme ids', async () => {
    const theme = await buildTheme(services);
    const { recordId } = await oneRecord();
    await services.evidence.setRecordThemes(fellow, recordId, [theme.id]);
    // The page that starts right after the record before this one (in id order) starts with this one.
    const [previous] = await db.query<{ id: string }>('select id from evidence_records where id < $1 order by id desc limit 1', [recordId]);
    const page = await feed.listDocuments(previous?.id, 50);
    expect(page[0]).toMatchObject({ id: recordId, themeIds: [theme.id] });
    expect(page.every((document) => Array.isArray(document.themeIds))).toBe(true);
  });

  // PGlite is one process: no other node to tell; the feed above is what its index reads.
  it.runIf(name === 'postgres')('announces theme changes on the evidence_changes channel', async () => {
    if (!db.listen) {
      throw new Error('PostgreSQL databases listen');
    }
    const theme = await buildTheme(services);
    const { recordId } = await oneRecord();
    const heard: string[] = [];
    const stop = await db.listen('evidence_changes', (payload) => heard.push(payload));
    try {
      await services.evidence.setRecordThemes(fellow, recordId, [theme.id]);
      const deadline = Date.now() + 5_000;
      while (!heard.includes(recordId) && Date.now() < deadline) {
        // eslint-disable-next-line no-await-in-loop -- waiting for a notification
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(heard).toContain(recordId);
    } finally {
      await stop();
    }
  });

  it('lets staff set a record’s themes, refuses requesters and researchers, and names unknown themes', async () => {
    const theme = await buildTheme(services);
    const { recordId } = await oneRecord();
    const requester = (await buildActor(services, 'requester')).actor;
    const researcher = (await buildActor(services, 'researcher')).actor;
    await expect(services.evidence.setRecordThemes(requester, recordId, [theme.id])).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(services.evidence.setRecordThemes(researcher, recordId, [theme.id])).rejects.toMatchObject({ code: 'auth.forbidden' });
    const missing = randomUUID() as ThemeId;
    await expect(services.evidence.setRecordThemes(fellow, recordId, [theme.id, missing])).rejects.toMatchObject({
      code: 'validation.failed',
      message: `No such theme: ${missing}`,
      details: { fields: { themeIds: 'Choose themes from the list' } },
    });
    await expect(services.evidence.setRecordThemes(fellow, randomUUID() as RecordId, [theme.id])).rejects.toMatchObject({ code: 'record.not_found' });
    expect((await services.evidence.getRecord(fellow, recordId)).record.themes).toEqual([]);
    const lead = (await buildActor(services, 'lead')).actor;
    const updated = await services.evidence.setRecordThemes(lead, recordId, [theme.id, theme.id]);
    expect(updated.themes).toEqual([{ id: theme.id, name: theme.name }]);
    const [row] = await db.query<{ added_by_id: string }>('select added_by_id from record_themes where record_id = $1', [recordId]);
    expect(row?.added_by_id).toBe(lead.userId);
  });

  it('filters the library by theme and counts records per theme in the facets', async () => {
    const [carers, falls] = [await buildTheme(services), await buildTheme(services)];
    const libraryId = await newLibrary(db);
    await importInto(libraryId, [1, 2, 3].map((line) => record(line, { title: `Respite care evaluation ${line} ${unique()}`, year: 2018 + line })));
    const [first, second, third] = await recordsIn(libraryId);
    await services.evidence.setRecordThemes(fellow, first?.id as RecordId, [carers.id]);
    await services.evidence.setRecordThemes(fellow, second?.id as RecordId, [carers.id, falls.id]);
    expect((await recordsIn(libraryId, [carers.id])).map((item) => item.id).sort()).toEqual([first?.id, second?.id].sort());
    expect((await recordsIn(libraryId, [falls.id])).map((item) => item.id)).toEqual([second?.id]);
    expect(await recordsIn(libraryId, [randomUUID() as ThemeId])).toEqual([]);
    expect(await recordsIn(libraryId, [])).toHaveLength(3);
    const { facets } = await services.evidence.listRecords(fellow, { libraryId, limit: 1, offset: 0 });
    expect(facets.themes).toEqual([
      { id: carers.id, name: carers.name, count: 2 },
      { id: falls.id, name: falls.name, count: 1 },
    ]);
    expect(third?.themes).toEqual([]);
  });

  it('keeps the union of both records’ themes when a duplicate pair is merged', async () => {
    const [carers, falls, sleep] = [await buildTheme(services), await buildTheme(services), await buildTheme(services)];
    const libraryId = await newLibrary(db);
    const title = `Exercise and sleep in older adults ${unique()}`;
    await importInto(libraryId, [record(1, { title, year: 2020, authors: ['Okafor, T'] }), record(2, { title, year: 2021, authors: ['Okafor, T'] })]);
    const [left, right] = await recordsIn(libraryId);
    await services.evidence.setRecordThemes(fellow, left?.id as RecordId, [carers.id, sleep.id]);
    await services.evidence.setRecordThemes(fellow, right?.id as RecordId, [falls.id, sleep.id]);
    const [pair] = (await services.evidence.listCandidates(fellow, { limit: 10, offset: 0 }, libraryId)).candidates;
    const from = await feed.head();
    const merged = await services.evidence.mergeCandidate(fellow, pair?.id as never);
    expect(merged.themes.map((theme) => theme.id).sort()).toEqual([carers.id, falls.id, sleep.id].sort());
    expect((await recordsIn(libraryId, [falls.id])).map((item) => item.id)).toEqual([merged.id]);
    // Read as a node reads it: the change may wait a moment behind another test's open transaction.
    await expect.poll(async () => (await feed.changesSince(from, 1000)).ids, { timeout: 5000 }).toContain(merged.id);
  });

  it('tags every record of an import with the chosen themes, new records and duplicates alike', async () => {
    const theme = await buildTheme(services);
    const libraryId = await newLibrary(db);
    const earlier = `Social prescribing for loneliness ${unique()}`;
    await importInto(libraryId, [record(1, { title: earlier, year: 2019, doi: `10.1000/${unique()}` })]);
    const [existing] = await recordsIn(libraryId);
    const summary = await importInto(
      libraryId,
      [record(1, { title: earlier, year: 2019, doi: existing?.doi ?? '' }), record(2, { title: `Link workers in primary care ${unique()}`, year: 2022 })],
      { themeIds: [theme.id] },
    );
    expect(summary).toMatchObject({ isCommitted: true, imported: 1, duplicates: 1 });
    const tagged = await recordsIn(libraryId, [theme.id]);
    expect(tagged).toHaveLength(2);
    expect(tagged.every((item) => item.themes.some((found) => found.id === theme.id))).toBe(true);
  });

  it('imports themes all or nothing: an invalid file, an unknown theme or a failed promotion leaves no theme rows', async () => {
    const theme = await buildTheme(services);
    const libraryId = await newLibrary(db);
    const titles: string[] = [];
    const valid = () => {
      titles.push(`Befriending ${unique()}`);
      return record(titles.length, { title: titles.at(-1) ?? '', year: 2020 });
    };

    const refused = await importInto(libraryId, [valid(), { kind: 'invalid', line: 9, message: 'No title' }], { themeIds: [theme.id] });
    expect(refused.isCommitted).toBe(false);

    const missing = randomUUID() as ThemeId;
    await expect(importInto(libraryId, [valid()], { themeIds: [theme.id, missing] })).rejects.toMatchObject({ code: 'validation.failed', message: `No such theme: ${missing}` });

    // The theme goes while the file is being read: promotion fails as one transaction and keeps nothing.
    const doomed = await buildTheme(services);
    async function* deletingTheTheme(): AsyncGenerator<ParseEvent> {
      yield valid();
      await db.query('delete from themes where id = $1', [doomed.id]);
      yield valid();
    }
    await expect(
      services.evidenceImport.importRecords(fellow, { fileName: 'doomed.ris', format: 'ris', events: deletingTheTheme(), fileSha256: () => 'abc', libraryId, themeIds: [doomed.id] }),
    ).rejects.toThrow();

    expect(await recordsIn(libraryId)).toEqual([]);
    expect(await themeRowsIn(libraryId)).toBe(0);
    expect(await services.evidence.listBatches(fellow, libraryId)).toEqual([]);
    const [staged] = await db.query<{ count: number }>("select count(*)::int as count from import_staging where fields->>'title' = any($1)", [titles]);
    expect(staged?.count).toBe(0);
  });

  it('tags a record with the need’s themes when it is pinned to the need', async () => {
    const [carers, falls] = [await buildTheme(services), await buildTheme(services)];
    const { requester, fellow: needFellow } = await buildWorkspace(services);
    const need = await services.needs.submitNeed(requester.actor, needInput({ themeIds: [carers.id, falls.id] }));
    const { recordId } = await oneRecord();
    const other = await buildTheme(services);
    await services.evidence.setRecordThemes(fellow, recordId, [other.id]);
    const from = await feed.head();
    await services.matching.pinEvidence(needFellow.actor, need.id, recordId, 'Key trial');
    const { record: pinned } = await services.evidence.getRecord(needFellow.actor, recordId);
    expect(pinned.themes.map((theme) => theme.id).sort()).toEqual([carers.id, falls.id, other.id].sort());
    await expect.poll(async () => (await feed.changesSince(from, 1000)).ids, { timeout: 5000 }).toContain(recordId);
    const [row] = await db.query<{ added_by_id: string }>('select added_by_id from record_themes where record_id = $1 and theme_id = $2', [recordId, carers.id]);
    expect(row?.added_by_id).toBe(needFellow.actor.userId);
  });
});
