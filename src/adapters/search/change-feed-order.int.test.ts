import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.js';
import { importRecords, testHasher } from '../../../test/support/builders.js';
import { createServices } from '../../compose.js';
import type { Database } from '../db/database.js';
import { createIndexFeedRepo } from '../db/index-feed-repo.js';
import { createEvidenceSearch } from './evidence-search.js';

/**
 * The change feed under concurrent writers (PostgreSQL only: PGlite has one connection, so its
 * transactions cannot interleave). A sequence number is taken when a change is written, not when it
 * commits; these interleavings made a node read a later number first and then move past an earlier
 * one for good. Each writer is a raw connection, so the test controls when each transaction begins,
 * writes and commits.
 */
const postgres = testDatabases.find((database) => database.name === 'postgres');

describe.runIf(postgres)('the change feed with concurrent writers on postgres', () => {
  let db: Database;
  let services: ReturnType<typeof createServices>;
  const connections: pg.Client[] = [];

  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    connections.push(client);
    return client;
  };

  /** A node that hears of changes only when the test calls `catchUp` (no LISTEN, no polling). */
  const startNode = async () => {
    const node = createEvidenceSearch({ feed: createIndexFeedRepo(db), pollMs: 0 });
    await node.start();
    return node;
  };

  const found = async (node: Awaited<ReturnType<typeof startNode>>, word: string): Promise<number> => (await node.search({ text: word, limit: 5 })).total;

  /** Two records to edit, with their ids. */
  const twoRecords = async (): Promise<[string, string]> => {
    const tag = `zq${randomUUID().slice(0, 8)}`;
    await importRecords(services, 'feed.ris', { title: `First ${tag}`, year: 2024 }, { title: `Second ${tag}`, year: 2024 });
    const rows = await db.query<{ id: string }>('select id from evidence_records where title in ($1, $2) order by title', [`First ${tag}`, `Second ${tag}`]);
    return [rows[0]?.id as string, rows[1]?.id as string];
  };

  const retitle = (client: pg.Client, id: string, title: string) => client.query('update evidence_records set title = $2 where id = $1', [id, title]);

  beforeAll(async () => {
    db = await (postgres as NonNullable<typeof postgres>).open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
  });
  afterEach(async () => {
    for (const client of connections.splice(0)) {
      await client.query('rollback').catch(() => undefined);
      await client.end();
    }
  });
  afterAll(async () => {
    await db.close();
  });

  it('applies a change whose lower sequence number commits after a higher one was read', async () => {
    const [first, second] = await twoRecords();
    const node = await startNode();
    const [early, late] = [await connect(), await connect()];
    const [earlyWord, lateWord] = [`zqearly${randomUUID().slice(0, 6)}`, `zqlate${randomUUID().slice(0, 6)}`];
    // `early` takes the lower sequence number but commits last.
    await early.query('begin');
    await retitle(early, second, `Edited ${earlyWord}`);
    await late.query('begin');
    await retitle(late, first, `Edited ${lateWord}`);
    await late.query('commit');
    await node.catchUp();
    await early.query('commit');
    await node.catchUp();
    expect(await found(node, lateWord)).toBe(1);
    expect(await found(node, earlyWord)).toBe(1);
    await node.stop();
  });

  it('applies it too when the transaction that commits first took its id first but its sequence number last', async () => {
    const [first, second] = await twoRecords();
    const node = await startNode();
    const [older, newer] = [await connect(), await connect()];
    const [olderWord, newerWord] = [`zqolder${randomUUID().slice(0, 6)}`, `zqnewer${randomUUID().slice(0, 6)}`];
    // `older` has the lower transaction id; `newer` writes first, so has the lower sequence number,
    // and commits last. Reading by sequence number among finished transactions alone missed this one.
    await older.query('begin');
    await older.query('select pg_current_xact_id()');
    await newer.query('begin');
    await retitle(newer, second, `Edited ${newerWord}`);
    await retitle(older, first, `Edited ${olderWord}`);
    await older.query('commit');
    await node.catchUp();
    expect(await found(node, olderWord)).toBe(1);
    await newer.query('commit');
    await node.catchUp();
    expect(await found(node, newerWord)).toBe(1);
    await node.stop();
  });

  it('reads again by itself when a committed change waited behind a transaction that ends without announcing anything', async () => {
    const [first] = await twoRecords();
    const node = await startNode();
    const [blocker, writer] = [await connect(), await connect()];
    const word = `zqheld${randomUUID().slice(0, 6)}`;
    await blocker.query('begin');
    await blocker.query('select pg_current_xact_id()');
    await retitle(writer, first, `Edited ${word}`);
    // The announcement of the change comes while it still waits behind the blocker.
    await node.catchUp();
    expect(await found(node, word)).toBe(0);
    await blocker.query('rollback');
    // No announcement and no polling from here: the node's own retry brings the change in.
    await expect.poll(() => found(node, word), { timeout: 3000, interval: 20 }).toBe(1);
    await node.stop();
  });
});
