import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.js';
import { buildActor, buildTheme, testHasher } from '../../../test/support/builders.js';
import { createServices } from '../../compose.js';
import type { Actor } from '../../core/accounts/roles.js';
import type { RecordId } from '../../core/shared/ids.js';
import { emptyRecord, type ParseEvent } from '../../core/evidence/record.js';
import type { Database } from '../db/database.js';
import { comparePositions, createIndexFeedRepo } from '../db/index-feed-repo.js';

async function* events(...items: ParseEvent[]): AsyncGenerator<ParseEvent> {
  yield* items;
}

describe.each(testDatabases)('evidence search on $name', ({ name, open }) => {
  let db: Database;
  let fellow: Actor;
  let dir: string;
  beforeAll(async () => {
    db = await open();
    fellow = (await buildActor(createServices(db, { hasher: testHasher }), 'fellow')).actor;
    dir = mkdtempSync(join(tmpdir(), 'mobilise-search-'));
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const importTitle = (services: ReturnType<typeof createServices>, title: string) =>
    services.evidenceImport.importRecords(fellow, {
      fileName: 'search.ris',
      format: 'ris',
      events: events({ kind: 'record', line: 1, fields: { ...emptyRecord(), title, abstract: 'Community navigators helped carers.', year: 2024 } }),
      fileSha256: () => 'x',
    });

  it('finds records imported after it started, at once, and after a merge removes the merged one', async () => {
    const services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    await services.search.start();
    const word = `zq${randomUUID().slice(0, 6)}`;
    await importTitle(services, `Dementia navigators ${word} for carers`);
    await services.search.catchUp();
    const found = await services.evidence.searchEvidence(fellow, { text: word, limit: 5 });
    expect(found.hits.map((hit) => hit.record.title)).toEqual([`Dementia navigators ${word} for carers`]);
    await services.search.stop();
  });

  it('starts from its snapshot plus the changes since, without reading the whole library again', async () => {
    const snapshotPath = join(dir, `index-${randomUUID()}.snapshot`);
    const first = createServices(db, { hasher: testHasher, indexPollMs: 0, snapshotPath });
    expect((await first.search.start()).source).toBe('database');
    await first.search.stop();
    const word = `zq${randomUUID().slice(0, 6)}`;
    await importTitle(first, `Respite care ${word} for carers`);
    const second = createServices(db, { hasher: testHasher, indexPollMs: 0, snapshotPath });
    const started = await second.search.start();
    expect(started.source).toBe('snapshot');
    expect((await second.evidence.searchEvidence(fellow, { text: word, limit: 5 })).total).toBe(1);
    await second.search.stop();
  });

  // Two nodes: on PostgreSQL a second connection pool that hears of changes only by LISTEN/NOTIFY;
  // on PGlite (one process by design) a second replica that polls the change feed.
  it(`keeps a second node's index current within a second (${name === 'postgres' ? 'LISTEN/NOTIFY' : 'polling'})`, async () => {
    const otherDb = name === 'postgres' ? await open() : db;
    const reader = createServices(otherDb, { hasher: testHasher, indexPollMs: name === 'postgres' ? 0 : 100 });
    const writer = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    await reader.search.start();
    const word = `zq${randomUUID().slice(0, 6)}`;
    const before = Date.now();
    await importTitle(writer, `Dementia cafes ${word}`);
    await expect.poll(async () => (await reader.evidence.searchEvidence(fellow, { text: word, limit: 5 })).total, { timeout: 1000, interval: 20 }).toBe(1);
    expect(Date.now() - before).toBeLessThan(1000);
    await reader.search.stop();
    if (otherDb !== db) {
      await otherDb.close();
    }
  });

  it('writes its snapshot only when the index moved on, and rebuilds when the feed was pruned past it', async () => {
    const snapshotPath = join(dir, `index-${randomUUID()}.snapshot`);
    const first = createServices(db, { hasher: testHasher, indexPollMs: 0, snapshotPath });
    await first.search.start();
    expect(first.search.saveSnapshot()).toBe(true);
    expect(first.search.saveSnapshot()).toBe(false);
    await first.search.stop();
    const word = `zq${randomUUID().slice(0, 6)}`;
    await importTitle(first, `Carers' breaks ${word}`);
    // The change is old enough to prune: a node starting from the older snapshot cannot replay it.
    const { xid, seq } = first.search.position();
    await db.query("update evidence_changes set changed_at = now() - interval '40 days' where (xid, seq) > ($1::xid8, $2::bigint)", [xid, seq]);
    expect(await first.search.pruneFeed(30)).toBeGreaterThan(0);
    // Pruning may have emptied the feed: a build still starts at or after what was pruned, or every
    // catch-up would take the fresh index for one the feed left behind and build it again.
    const feed = createIndexFeedRepo(db);
    expect(comparePositions(await feed.head(), await feed.prunedUpTo())).toBeGreaterThanOrEqual(0);
    const second = createServices(db, { hasher: testHasher, indexPollMs: 0, snapshotPath });
    const started = await second.search.start();
    expect(started.source).toBe('database');
    expect(comparePositions(second.search.position(), await feed.prunedUpTo())).toBeGreaterThanOrEqual(0);
    expect((await second.evidence.searchEvidence(fellow, { text: word, limit: 5 })).total).toBe(1);
    await second.search.stop();
  });

  it('filters by theme inside the search, follows retagging at once, and keeps the filter across a restart from the snapshot', async () => {
    const snapshotPath = join(dir, `index-${randomUUID()}.snapshot`);
    const services = createServices(db, { hasher: testHasher, indexPollMs: 0, snapshotPath });
    await services.search.start();
    const theme = await buildTheme(services);
    const word = `zq${randomUUID().slice(0, 6)}`;
    await importTitle(services, `Respite ${word} for carers of people with dementia`);
    await importTitle(services, `Respite ${word} for parent carers`);
    await services.search.catchUp();
    const [dementia, parents] = (await services.evidence.searchEvidence(fellow, { text: word, limit: 5 })).hits
      .map((hit) => hit.record)
      .sort((a, b) => a.title.localeCompare(b.title));
    await services.evidence.setRecordThemes(fellow, dementia?.id as RecordId, [theme.id]);
    await services.search.catchUp();
    const filtered = async (target: typeof services) => (await target.evidence.searchEvidence(fellow, { text: word, limit: 5, filters: { themeIds: [theme.id] } })).hits.map((hit) => hit.record.title);
    expect(await filtered(services)).toEqual([dementia?.title]);
    expect((await services.evidence.searchEvidence(fellow, { text: word, limit: 5 })).total).toBe(2);
    await services.evidence.setRecordThemes(fellow, parents?.id as RecordId, [theme.id]);
    await services.evidence.setRecordThemes(fellow, dementia?.id as RecordId, []);
    await services.search.catchUp();
    expect(await filtered(services)).toEqual([parents?.title]);
    await services.search.stop();
    const restarted = createServices(db, { hasher: testHasher, indexPollMs: 0, snapshotPath });
    expect((await restarted.search.start()).source).toBe('snapshot');
    expect(await filtered(restarted)).toEqual([parents?.title]);
    await restarted.search.stop();
  });
});
