import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { TEST_PASSWORD, buildWorkspace, needInput, testHasher } from '../../test/support/builders.js';
import { buildApp, send, signInAs } from '../../test/support/http.js';
import { createServices, type Services } from '../compose.js';
import { emptyRecord, type ParseEvent, type RecordFields } from '../core/evidence/record.js';
import type { NeedLiveEvent } from '../core/needs/types.js';
import type { RecordId } from '../core/shared/ids.js';
import type { Database } from '../adapters/db/database.js';
import { comparePositions } from '../adapters/db/index-feed-repo.js';

async function* events(...items: ParseEvent[]): AsyncGenerator<ParseEvent> {
  yield* items;
}

describe.each(testDatabases)('living needs on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let second: Services;
  const tag = `zq${randomUUID().slice(0, 6)}`;

  const importRecords = async (target: Services, ...records: Partial<RecordFields>[]) => {
    const before = target.search.position();
    const summary = await target.evidenceImport.importRecords(undefined, {
      fileName: 'living.ris',
      format: 'ris',
      events: events(...records.map((fields, index): ParseEvent => ({ kind: 'record', line: index + 1, fields: { ...emptyRecord(), title: '', ...fields } }))),
      fileSha256: () => 'x',
    });
    await expect.poll(() => comparePositions(target.search.position(), before), { timeout: 5000 }).toBeGreaterThan(0);
    return summary;
  };

  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    // A second node on the same database, so that alerts are shown to be created once.
    second = createServices(db, { hasher: testHasher, indexPollMs: 50 });
    await Promise.all([services.search.start(), second.search.start()]);
  });
  afterAll(async () => {
    await Promise.all([services.search.stop(), second.search.stop()]);
    await db.close();
  });

  it('alerts the requester and fellows once when new evidence enters a need’s best matches, and pushes it to the open page', async () => {
    const { requester, fellow } = await buildWorkspace(services);
    await importRecords(services, { title: `Day centres ${tag} for people with dementia`, abstract: 'Older evidence that already answers part of the question.' });
    const need = await services.needs.submitNeed(requester.actor, needInput({ title: `Dementia day centres ${tag}`, question: `Do day centres ${tag} delay care home admission for people with dementia?` }));
    await services.triage.triageNeed(fellow.actor, need.id, { action: 'accept', tier: 'rapid_review', supportKinds: ['evidence_review'], fellowIds: [fellow.actor.userId] });
    expect(await services.living.listAlerts(requester.actor)).toEqual([]);

    // Whichever node records the new match first announces it; each test node has its own bus.
    const pushed: NeedLiveEvent[] = [];
    const unsubscribes = [services.bus, second.bus].map((bus) => bus.subscribe(need.id, (event) => pushed.push(event)));
    await importRecords(services, { title: `Day centres ${tag} and care home admission in dementia: cohort study`, abstract: 'Attending day centres delayed care home admission.' });
    await expect.poll(async () => (await services.living.listAlerts(requester.actor)).map((alert) => alert.record.title), { timeout: 5000 }).toEqual([
      `Day centres ${tag} and care home admission in dementia: cohort study`,
    ]);
    await expect.poll(async () => (await services.living.listAlerts(fellow.actor)).length, { timeout: 5000 }).toBe(1);
    await expect
      .poll(() => pushed.flatMap((event) => (event.type === 'matches' ? event.records.map((record) => record.title) : [])), { timeout: 5000 })
      .toEqual([`Day centres ${tag} and care home admission in dementia: cohort study`]);
    for (const unsubscribe of unsubscribes) {
      unsubscribe();
    }
    // The second node saw the same change; the alert still exists once.
    await expect.poll(() => comparePositions(second.search.position(), services.search.position()), { timeout: 5000 }).toBeGreaterThanOrEqual(0);
    expect(await services.living.listAlerts(requester.actor)).toHaveLength(1);
    expect(await services.living.countUnseen(requester.actor)).toBe(1);
    await services.living.markSeen(requester.actor);
    expect(await services.living.countUnseen(requester.actor)).toBe(0);
  });

  it('re-runs only the searches a change might affect', async () => {
    const { requester } = await buildWorkspace(services);
    await services.needs.submitNeed(requester.actor, needInput({ title: `Hoarding ${tag}`, question: `What helps people who hoard ${tag} keep their tenancy?` }));
    const summary = await services.evidenceImport.importRecords(undefined, {
      fileName: 'unrelated.ris',
      format: 'ris',
      events: events({ kind: 'record', line: 1, fields: { ...emptyRecord(), title: `Volcanic ash ${randomUUID()}`, abstract: 'Geology.' } }),
      fileSha256: () => 'x',
    });
    expect(summary.imported).toBe(1);
    const [record] = (await services.evidence.listRecords(requester.actor, { text: 'Volcanic ash', limit: 1, offset: 0 })).records;
    const result = await services.living.refresh([record?.id as RecordId]);
    expect(result.rerun).toBe(0);
    expect(result.searches).toBeGreaterThan(0);
  });

  it('alerts the owner of a saved search, and lists it on the alerts page', async () => {
    const { requester } = await buildWorkspace(services);
    await services.living.saveSearch(requester.actor, { name: `Sensory gardens ${tag}`, query: `sensory gardens ${tag}`, filters: {}, wantsEmail: false });
    await importRecords(services, { title: `Sensory gardens ${tag} in care homes`, abstract: 'Residents used sensory gardens.' });
    await expect.poll(async () => (await services.living.listAlerts(requester.actor)).map((alert) => alert.savedSearch.name), { timeout: 5000 }).toEqual([`Sensory gardens ${tag}`]);
    const app = buildApp(services);
    const session = await signInAs(app, requester.email, TEST_PASSWORD);
    const page = await (await send(app, '/alerts', { session })).text();
    expect(page).toContain(`Sensory gardens ${tag} in care homes`);
    expect(page).toContain('New evidence (1)');
    expect((await send(app, '/alerts/seen', { session, form: {} })).status).toBe(303);
    expect(await (await send(app, '/alerts', { session })).text()).not.toContain('New evidence (1)');
  });
});
