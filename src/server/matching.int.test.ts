import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { TEST_PASSWORD, buildActor, buildTheme, buildWorkspace, needInput, recordEvents, testHasher, widenedSearchRecords } from '../../test/support/builders.js';
import { expectRelatedSection } from '../../test/support/related.js';
import { buildApp, send, signInAs, type App } from '../../test/support/http.js';
import { createServices, type Services } from '../compose.js';
import { emptyRecord, type ParseEvent, type RecordFields } from '../core/evidence/record.js';
import type { RecordId, ThemeId } from '../core/shared/ids.js';
import type { Database } from '../adapters/db/database.js';

async function* events(...items: ParseEvent[]): AsyncGenerator<ParseEvent> {
  yield* items;
}

describe.each(testDatabases)('matching needs to evidence on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  const tag = `zq${randomUUID().slice(0, 6)}`;
  const records: Partial<RecordFields>[] = [
    { title: `Telephone befriending ${tag} for isolated older adults living alone: randomised controlled trial`, abstract: 'Weekly befriending calls reduced loneliness in people over 65 living alone.', year: 2023 },
    { title: `Hip protectors ${tag} in nursing homes`, abstract: 'Hip protectors and fractures among residents.', year: 2016 },
  ];

  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    app = buildApp(services);
    await services.search.start();
    await services.evidenceImport.importRecords(undefined, {
      fileName: 'matching.ris',
      format: 'ris',
      events: recordEvents(records),
      fileSha256: () => 'x',
    });
    await services.search.catchUp();
  });
  afterAll(async () => {
    await services.search.stop();
    await db.close();
  });

  const lonelinessNeed = (extra: string) =>
    needInput({
      title: `Loneliness among older people living alone ${tag} ${extra}`,
      question: `Do befriending telephone calls ${tag} reduce loneliness for isolated older adults living alone?`,
      population: 'Adults over 65 living alone',
      decision: 'Whether to commission a telephone befriending service',
    });

  it('matches a need to the evidence that answers it, first, and lets a fellow pin it', async () => {
    const { requester, fellow } = await buildWorkspace(services);
    const need = await services.needs.submitNeed(requester.actor, lonelinessNeed('a'));
    const matches = await services.matching.matchEvidence(fellow.actor, need.id, { limit: 5 });
    expect(matches.hits[0]?.record.title).toBe(records[0]?.title);
    expect(matches.query).toContain('Adults over 65 living alone');
    const recordId = matches.hits[0]?.record.id as RecordId;
    await expect(services.matching.pinEvidence(requester.actor, need.id, recordId)).rejects.toMatchObject({ code: 'auth.forbidden' });
    await services.matching.pinEvidence(fellow.actor, need.id, recordId, 'Key trial');
    expect((await services.matching.listPinned(requester.actor, need.id)).map((pin) => [pin.record.id, pin.note])).toEqual([[recordId, 'Key trial']]);
    expect((await services.matching.matchEvidence(fellow.actor, need.id, { limit: 5 })).hits[0]?.isPinned).toBe(true);
    await services.matching.unpinEvidence(fellow.actor, need.id, recordId);
    expect(await services.matching.listPinned(fellow.actor, need.id)).toEqual([]);
  });

  it('finds similar needs the actor may see, and not private needs of other organisations', async () => {
    const first = await buildWorkspace(services);
    const second = await buildWorkspace(services);
    const mine = await services.needs.submitNeed(first.requester.actor, lonelinessNeed('mine'));
    const sibling = await services.needs.submitNeed(first.requester.actor, lonelinessNeed('sibling'));
    const hidden = await services.needs.submitNeed(second.requester.actor, lonelinessNeed('hidden'));
    const shared = await services.needs.submitNeed(second.requester.actor, { ...lonelinessNeed('shared'), isPublic: true });
    const forRequester = (await services.matching.similarNeeds(first.requester.actor, mine.id, 20)).map((need) => need.id);
    expect(forRequester).toEqual(expect.arrayContaining([sibling.id, shared.id]));
    expect(forRequester).not.toContain(hidden.id);
    expect(forRequester).not.toContain(mine.id);
    const forFellow = (await services.matching.similarNeeds(first.fellow.actor, mine.id, 20)).map((need) => need.id);
    expect(forFellow).toContain(hidden.id);
  });

  it('shows matched evidence on the need page, with Pin for staff only, and pins by form', async () => {
    const { requester, fellow } = await buildWorkspace(services);
    const need = await services.needs.submitNeed(requester.actor, lonelinessNeed('page'));
    const fellowSession = await signInAs(app, fellow.email, TEST_PASSWORD);
    const staffPage = await (await send(app, `/needs/${need.id}`, { session: fellowSession })).text();
    expect(staffPage).toContain('Evidence that may help');
    expect(staffPage).toContain(records[0]?.title ?? '');
    expect(staffPage).toContain('to this need</button>');
    const requesterSession = await signInAs(app, requester.email, TEST_PASSWORD);
    expect(await (await send(app, `/needs/${need.id}`, { session: requesterSession })).text()).not.toContain('to this need</button>');
    const recordId = (await services.matching.matchEvidence(fellow.actor, need.id, { limit: 1 })).hits[0]?.record.id ?? '';
    const pinned = await send(app, `/needs/${need.id}/evidence/${recordId}/pin`, { session: fellowSession, form: {} });
    expect(pinned.status).toBe(303);
    const after = await (await send(app, `/needs/${need.id}`, { session: requesterSession })).text();
    expect(after).toMatch(/id="pinned"[\s\S]*Telephone befriending/);
    expect((await send(app, `/needs/${need.id}/evidence/${recordId}/pin`, { session: requesterSession, form: {} })).status).toBe(403);
  });

  it('finds people by their expertise and by the records they wrote, and researchers edit their profile on their account page', async () => {
    const { requester, fellow } = await buildWorkspace(services);
    const expert = await buildActor(services, 'researcher');
    const author = await buildActor(services, 'researcher');
    const bystander = await buildActor(services, 'researcher');
    const session = await signInAs(app, expert.email, TEST_PASSWORD);
    const saved = await send(app, '/account/profile', { session, form: { expertise: `telephone befriending ${tag}, loneliness in later life` } });
    expect(saved.status).toBe(303);
    expect(await (await send(app, '/account', { session })).text()).toContain(`telephone befriending ${tag}`);
    await services.directory.updateMyProfile(bystander.actor, { expertise: 'orthopaedic surgery', themeIds: [] });
    // The author has no expertise text, only a theme and a record under their name ("Family, Given").
    const theme = await services.directory.createTheme(undefined, { name: `Ageing ${tag}` });
    await services.directory.updateMyProfile(author.actor, { expertise: '', themeIds: [theme.id] });
    const [family, given] = [author.user.name.split(' ').at(-1) ?? '', author.user.name.split(' ')[0] ?? ''];
    await services.evidenceImport.importRecords(undefined, {
      fileName: 'authored.ris',
      format: 'ris',
      events: events({ kind: 'record', line: 1, fields: { ...emptyRecord(), title: `Isolated older adults ${tag} and befriending services`, authors: [`${family}, ${given}`] } }),
      fileSha256: () => 'x',
    });
    const need = await services.needs.submitNeed(requester.actor, lonelinessNeed('people'));
    const people = await services.matching.matchPeople(requester.actor, need.id, 10);
    const names = people.map((person) => person.name);
    expect(names).toEqual(expect.arrayContaining([expert.user.name, author.user.name]));
    expect(names).not.toContain(bystander.user.name);
    expect(people.find((person) => person.name === expert.user.name)?.matched).toEqual(expect.arrayContaining(['befriending']));
    // Email addresses are for staff only, here as in the directory.
    expect(people.map((person) => person.email)).toEqual(people.map(() => undefined));
    const forStaff = await services.matching.matchPeople(fellow.actor, need.id, 10);
    expect(forStaff.find((person) => person.name === expert.user.name)?.email).toBe(expert.email);
    // A researcher cannot open another organisation's private need; its requester sees who could help.
    expect((await send(app, `/needs/${need.id}`, { session })).status).toBe(403);
    const requesterSession = await signInAs(app, requester.email, TEST_PASSWORD);
    const page = await (await send(app, `/needs/${need.id}`, { session: requesterSession })).text();
    expect(page).toMatch(new RegExp(`People with matching expertise[\\s\\S]*${expert.user.name}`));
  });
});

describe.each(testDatabases)('a need’s matched evidence, widened with words from its top results, on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  let fellow: Awaited<ReturnType<typeof buildWorkspace>>['fellow'];
  let requester: Awaited<ReturnType<typeof buildWorkspace>>['requester'];
  let needId: string;
  let theme: { id: string; name: string };
  let wordsOnly: { id: string; name: string };
  // The need's words are in three records; two more share those records' other words without them. Each
  // theme narrows the matches to this test's records (other tests share the main library on PostgreSQL).
  const word = `zq${randomUUID().slice(0, 6)}`;
  const { withWord, related, unrelated } = widenedSearchRecords(word);

  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    app = buildApp(services);
    ({ fellow, requester } = await buildWorkspace(services));
    await services.search.start();
    theme = await buildTheme(services);
    wordsOnly = await buildTheme(services);
    const importTagged = (themeIds: string[], items: Partial<RecordFields>[]) =>
      services.evidenceImport.importRecords(fellow.actor, {
        fileName: 'widened-need.ris',
        format: 'ris',
        events: recordEvents(items),
        fileSha256: () => 'x',
        themeIds: themeIds as ThemeId[],
      });
    await importTagged([theme.id, wordsOnly.id], withWord);
    await importTagged([theme.id], [...related, unrelated]);
    await services.search.catchUp();
    // Words no record of the themes holds, besides the one they share with three of them.
    const need = await services.needs.submitNeed(
      requester.actor,
      needInput({ title: `The ${word} offer`, question: `Which kinds of ${word} fit best here?`, population: `Everyone ${word}`, setting: '', decision: `Whether to fund ${word}`, themeIds: [theme.id, wordsOnly.id] }),
    );
    needId = need.id;
  });
  afterAll(async () => {
    await services.search.stop();
    await db.close();
  });

  interface Body {
    total: number;
    matching: number;
    expandedWith: string[];
    evidence: { record: { title: string }; isRelated: boolean }[];
  }
  const matches = async (themeId: string) => {
    const token = (await services.accounts.createApiToken(fellow.actor, 'matches test')).token;
    const response = await send(app, `/api/needs/${needId}/matches?themeId=${themeId}`, { token });
    expect(response.status).toBe(200);
    return (await response.json()) as Body;
  };

  it('answers /api/needs/{id}/matches with the records holding the need’s words (matching) and marks the related ones; total keeps counting both', async () => {
    const body = await matches(theme.id);
    expect(body).toMatchObject({ total: 5, matching: 3 });
    expect(body.expandedWith).toEqual(expect.arrayContaining(['befriending', 'volunteers']));
    expect(body.evidence.filter((hit) => !hit.isRelated).map((hit) => hit.record.title).sort()).toEqual(withWord.map((fields) => fields.title).sort());
    expect(body.evidence.filter((hit) => hit.isRelated).map((hit) => hit.record.title).sort()).toEqual(related.map((fields) => fields.title).sort());
    expect(body.evidence.map((hit) => hit.record.title)).not.toContain(unrelated.title);
    // Where the widening finds nothing more, the counts agree and nothing is related.
    const narrow = await matches(wordsOnly.id);
    expect(narrow).toMatchObject({ total: 3, matching: 3 });
    expect(narrow.evidence.some((hit) => hit.isRelated)).toBe(false);
  });

  it('documents matching, expandedWith and isRelated on /needs/{id}/matches in the OpenAPI schema, as on /search', async () => {
    const openapi = (await (await send(app, '/api/openapi.json')).json()) as {
      paths: Record<string, { get?: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, { description?: string; items?: { properties: Record<string, { description?: string }> } }> } }> }> } }>;
    };
    const schemaOf = (path: string) => openapi.paths[path]?.get?.responses['200']?.content['application/json']?.schema;
    const needs = schemaOf('/needs/{id}/matches');
    const search = schemaOf('/search');
    expect(needs?.properties.matching?.description).toContain('own words');
    expect(needs?.properties.total?.description).toContain('widened');
    expect(needs?.properties.expandedWith?.description).toBeDefined();
    expect(needs?.properties.evidence?.items?.properties.isRelated?.description).toContain('widening');
    for (const field of ['total', 'matching', 'expandedWith'] as const) {
      expect(needs?.properties[field]?.description).toBe(search?.properties[field]?.description);
    }
  });

  it('says on the need page how many records hold the need’s words and how many more are related, and marks where the related ones begin', async () => {
    const session = await signInAs(app, fellow.email, TEST_PASSWORD);
    const html = await (await send(app, `/needs/${needId}?themeId=${theme.id}`, { session })).text();
    expect(html).toMatch(
      new RegExp(
        `On the theme ${theme.name}, 3 records match this need’s words; 2 more are related \\(found through words from the top results: [^)]*befriending[^)]*\\)\\. The best of them, ranked by how well they answer the question`,
      ),
    );
    expect(html).not.toContain('The best of 5 matching records');
    expectRelatedSection(html, withWord, related);
    // Nothing related: the count reads as before.
    const narrow = await (await send(app, `/needs/${needId}?themeId=${wordsOnly.id}`, { session })).text();
    expect(narrow).toContain(`The best of 3 matching records on the theme ${wordsOnly.name}, ranked by how well they answer the question`);
    expect(narrow).not.toContain('id="related-records"');
  });
});
