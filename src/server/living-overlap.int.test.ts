import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { buildWorkspace, importRecords, needInput, testHasher } from '../../test/support/builders.js';
import { createServices, type Services } from '../compose.js';
import { createLivingRepo } from '../adapters/db/living-repo.js';
import { createNeedsRepo } from '../adapters/db/needs-repo.js';
import type { Database } from '../adapters/db/database.js';
import { WATCHED_MATCHES, createLivingEvidence } from '../core/matching/living.js';
import type { NeedLiveEvent } from '../core/needs/types.js';
import type { RecordId } from '../core/shared/ids.js';

/** A made-up word no other test's records contain. */
const word = () => `zo${randomUUID().replace(/-/g, '').slice(0, 10)}`;

/**
 * Overlapping refreshes of living needs and saved searches (they run in the background, one per
 * change the index applies): a record indexed while an earlier refresh runs must still alert, once,
 * even with two nodes. The stores are the real ones; each node's index and percolator are stand-ins,
 * so that the test decides what each search sees and when each refresh runs.
 */
describe.each(testDatabases)('overlapping living evidence refreshes on $name', ({ open }) => {
  let db: Database;
  let services: Services;

  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    await services.search.start();
  });
  afterAll(async () => {
    await services.search.stop();
    await db.close();
  });

  /** An app node on the same database whose index holds `visible` (best first) and whose refreshes can be held. */
  const buildNode = (watched: Set<string>) => {
    const visible: RecordId[] = [];
    const gates = new Map<string, Promise<void>>();
    const published: NeedLiveEvent[] = [];
    const living = createLivingEvidence({
      store: createLivingRepo(db),
      needs: createNeedsRepo(db),
      search: { search: () => Promise.resolve({ hits: visible.slice(0, WATCHED_MATCHES).map((id, index) => ({ id, score: 10 - index })), total: visible.length, matching: visible.length, expandedWith: [], terms: [] }) },
      // Only this test's searches: other tests share the database.
      percolator: {
        candidates: async (searches, changed) => {
          await gates.get(changed[0] ?? '');
          return searches.filter((search) => watched.has(search.id));
        },
      },
      publisher: { publish: (event) => published.push(event) },
      titles: () => Promise.resolve(new Map()),
      currentYear: () => 2025,
      expand: false,
    });
    const hold = (id: RecordId) => {
      let release: () => void = () => undefined;
      gates.set(id, new Promise<void>((resolve) => (release = resolve)));
      return release;
    };
    return { living, visible, published, hold };
  };

  it('alerts on a record an earlier refresh saw while it ran, once across two nodes, for saved searches and needs', async () => {
    const { requester, fellow } = await buildWorkspace(services);
    // Words the workspace's own need and search do not share, so this node's real refreshes leave them alone.
    const recordWord = word();
    const searchWord = word();
    const summary = await importRecords(
      services,
      'overlap.ris',
      { title: `${recordWord} older` },
      { title: `${recordWord} first` },
      { title: `${recordWord} second` },
    );
    expect(summary.imported).toBe(3);
    await services.search.catchUp();
    const { records } = await services.evidence.listRecords(fellow.actor, { text: recordWord, limit: 10, offset: 0 });
    const idOf = (suffix: string) => records.find((record) => record.title.endsWith(suffix))?.id as RecordId;
    const [older, first, second] = [idOf('older'), idOf('first'), idOf('second')];
    expect([older, first, second].every(Boolean)).toBe(true);

    const watched = new Set<string>();
    const one = buildNode(watched);
    const two = buildNode(watched);
    one.visible.push(older);
    const need = await services.needs.submitNeed(requester.actor, needInput({ title: `Overlap ${searchWord}`, question: `What does ${searchWord} show?` }));
    await services.triage.triageNeed(fellow.actor, need.id, { action: 'accept', tier: 'rapid_review', supportKinds: ['evidence_review'], fellowIds: [fellow.actor.userId] });
    const saved = await one.living.saveSearch(requester.actor, { name: `Overlap ${searchWord}`, query: searchWord, filters: {}, wantsEmail: false });
    watched.add(saved.id);
    const needSearch = (await createLivingRepo(db).listActiveSearches()).find((search) => search.needId === need.id);
    expect(needSearch).toBeDefined();
    watched.add(needSearch?.id ?? '');

    // Node one indexes the first record and starts its refresh, held before it searches; it then
    // indexes the second record (whose refresh is held too), so the first refresh sees both.
    one.visible.unshift(first);
    const releaseFirst = one.hold(first);
    const firstOnOne = one.living.refresh([first]);
    one.visible.unshift(second);
    const releaseSecond = one.hold(second);
    const secondOnOne = one.living.refresh([second]);
    releaseFirst();
    await firstOnOne;
    // Node two has both records (announced in order) and refreshes for the second before node one does.
    two.visible.push(second, first, older);
    await Promise.all([two.living.refresh([first]), two.living.refresh([second])]);
    releaseSecond();
    await secondOnOne;

    const alerted = async (actor: typeof requester.actor) =>
      (await services.living.listAlerts(actor))
        .filter((alert) => alert.record.title.startsWith(recordWord))
        .map((alert) => `${alert.savedSearch.id === saved.id ? 'search' : 'need'}: ${alert.record.title.slice(recordWord.length + 1)}`)
        .sort();
    expect(await alerted(requester.actor)).toEqual(['need: first', 'need: second', 'search: first', 'search: second']);
    expect(await alerted(fellow.actor)).toEqual(['need: first', 'need: second']);
    // The open need page heard of each new record once, from whichever node stored it first.
    const pushed = [...one.published, ...two.published].flatMap((event) => (event.type === 'matches' && event.needId === need.id ? event.records.map((record) => record.id) : []));
    expect(pushed.sort()).toEqual([first, second].sort());
  });
});
