import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.js';
import { buildWorkspace, needInput, testHasher } from '../../../test/support/builders.js';
import { createServices, type Services } from '../../compose.js';
import type { NeedLiveEvent } from '../../core/needs/types.js';
import type { Database } from '../db/database.js';

// Two app nodes: on PostgreSQL each has its own connection pool and hears the other only through
// LISTEN/NOTIFY. PGlite is one process by design, so there the bus is in process.
describe.each(testDatabases)('live events across nodes on $name', ({ name, open }) => {
  let firstDb: Database;
  let secondDb: Database;
  let first: Services;
  let second: Services;
  beforeAll(async () => {
    firstDb = await open();
    secondDb = name === 'postgres' ? await open() : firstDb;
    first = createServices(firstDb, { hasher: testHasher, indexPollMs: 0 });
    second = createServices(secondDb, { hasher: testHasher, indexPollMs: 0 });
    await Promise.all([first.bus.start(), second.bus.start()]);
  });
  afterAll(async () => {
    await Promise.all([first.bus.stop(), second.bus.stop()]);
    await firstDb.close();
    if (secondDb !== firstDb) {
      await secondDb.close();
    }
  });

  it('pushes a message written on one node to the page open on the other, once and in order', async () => {
    const { requester, fellow } = await buildWorkspace(first);
    const need = await first.needs.submitNeed(requester.actor, needInput());
    const heardHere: NeedLiveEvent[] = [];
    const heardThere: NeedLiveEvent[] = [];
    const unsubscribe = [first.bus.subscribe(need.id, (event) => heardHere.push(event)), second.bus.subscribe(need.id, (event) => heardThere.push(event))];
    // Longer than a NOTIFY payload may be (8,000 bytes), so the relay must not send it inline.
    const long = `A long reply. ${'Evidence from three trials. '.repeat(340)}`;
    const bodies = ['First reply', long, 'Third reply'];
    for (const body of bodies) {
      // eslint-disable-next-line no-await-in-loop -- the order of writing is what is tested
      await first.needs.addComment(fellow.actor, need.id, { body, isInternal: false });
    }
    const comments = (events: NeedLiveEvent[]) => events.flatMap((event) => (event.type === 'comment' ? [event.comment] : []));
    expect(comments(heardHere).map((comment) => comment.body)).toEqual(bodies);
    if (name === 'postgres') {
      await expect.poll(() => comments(heardThere).map((comment) => comment.body), { timeout: 2000, interval: 20 }).toEqual(bodies);
      const [relayed] = comments(heardThere);
      // The renderers need real dates after the JSON round trip.
      expect(relayed?.createdAt).toBeInstanceOf(Date);
      expect(relayed?.createdAt.getTime()).toBe(comments(heardHere)[0]?.createdAt.getTime());
      expect(relayed?.author.name).toBe(fellow.actor.name);
    } else {
      // One process: both services share the database but each bus is its own; nothing is relayed.
      expect(heardThere).toEqual([]);
    }
    // A node never hears its own events twice.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(comments(heardHere)).toHaveLength(bodies.length);
    for (const stop of unsubscribe) {
      stop();
    }
  });
});
