import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { TEST_PASSWORD, buildActor, testHasher } from '../../test/support/builders.js';
import { buildApp, send, signInAs, type App } from '../../test/support/http.js';
import { createServices, type Services } from '../compose.js';
import { emptyRecord, type ParseEvent, type RecordFields } from '../core/evidence/record.js';
import type { Database } from '../adapters/db/database.js';
import type { LibraryId } from '../core/shared/ids.js';

async function* events(...items: ParseEvent[]): AsyncGenerator<ParseEvent> {
  yield* items;
}

describe.each(testDatabases)('search page and API on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  let token: string;
  let email: string;
  let library: string;
  const word = `zq${randomUUID().slice(0, 6)}`;
  const records: Partial<RecordFields>[] = [
    { title: `Paediatric anaemia ${word}: a randomised controlled trial`, abstract: 'Iron supplements for children with anaemia in primary care.', year: 2021 },
    { title: `Pediatric anemia ${word} in general practice: cohort study`, abstract: 'A retrospective cohort of children.', year: 2009 },
    { title: `Falls in care homes ${word}`, abstract: 'Exercise programmes for residents.', year: 2020 },
  ];

  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    app = buildApp(services);
    const fellow = await buildActor(services, 'fellow');
    email = fellow.email;
    token = (await services.accounts.createApiToken(fellow.actor, 'search test')).token;
    await services.search.start();
    // A library of its own, so that other tests' records on a shared database never match.
    const [row] = await db.query<{ id: string }>("insert into libraries (name, kind) values ($1, 'review') returning id", [`Search ${word}`]);
    library = row?.id ?? '';
    await services.evidenceImport.importRecords(fellow.actor, {
      libraryId: library as LibraryId,
      fileName: 'search.ris',
      format: 'ris',
      events: events(...records.map((fields, index): ParseEvent => ({ kind: 'record', line: index * 10 + 1, fields: { ...emptyRecord(), title: '', ...fields } }))),
      fileSha256: () => 'x',
    });
    await services.search.catchUp();
  });
  afterAll(async () => {
    await services.search.stop();
    await db.close();
  });

  it('answers GET /api/search with records, snippets, explanations, and both spellings', async () => {
    const response = await send(app, `/api/search?q=${encodeURIComponent(`pediatric anemia ${word}`)}&rank=plain&library=${library}`, { token });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { total: number; hits: { record: { title: string }; snippet: { text: string; isMatch: boolean }[]; explanation?: { terms: { term: string }[] } }[] };
    // Words are ORed: the unique tag matches all three, and the two about anaemia in any spelling rank first.
    expect(body.total).toBe(3);
    expect(body.hits.slice(0, 2).map((hit) => hit.record.title).sort()).toEqual([records[0]?.title, records[1]?.title].sort());
    expect(body.hits[2]?.record.title).toBe(records[2]?.title);
    const trial = body.hits.find((hit) => hit.record.title.startsWith('Paediatric'));
    expect(trial?.snippet.filter((part) => part.isMatch).map((part) => part.text)).toContain('anaemia');
    expect(trial?.explanation?.terms.map((term) => term.term)).toEqual(expect.arrayContaining(['pediatric', 'anemia']));
  });

  it('filters inside the search and ranks stronger and newer evidence first when boosted', async () => {
    const filtered = (await (await send(app, `/api/search?q=${word}%20anemia&design=cohort&library=${library}`, { token })).json()) as { total: number; hits: { record: { title: string } }[] };
    expect(filtered.hits.map((hit) => hit.record.title)).toEqual([records[1]?.title]);
    const boosted = (await (await send(app, `/api/search?q=${word}%20anemia%20children&rank=boosted&library=${library}`, { token })).json()) as { hits: { record: { title: string } }[] };
    expect(boosted.hits[0]?.record.title).toBe(records[0]?.title);
  });

  it('refuses an empty query with a field error, and unauthenticated callers', async () => {
    const empty = await send(app, '/api/search?q=', { token });
    expect(empty.status).toBe(422);
    expect((await send(app, `/api/search?q=${word}`)).status).toBe(401);
  });

  it('shows results on /search with highlighted matches and why each ranks, and a form that keeps the query', async () => {
    const session = await signInAs(app, email, TEST_PASSWORD);
    const page = await send(app, `/search?q=${encodeURIComponent(`"falls in care homes" ${word}`)}&library=${library}`, { session });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('1 record found');
    expect(html).toContain(`Falls in care homes ${word}`);
    expect(html).toContain('Why this ranks');
    expect(html).toContain(`value="&quot;falls in care homes&quot; ${word}"`);
    const blank = await (await send(app, '/search', { session })).text();
    expect(blank).not.toContain('found');
    // A page past the last result says so, rather than "showing 11 to 1".
    const past = await (await send(app, `/search?q=${encodeURIComponent(`"falls in care homes" ${word}`)}&library=${library}&offset=10`, { session })).text();
    expect(past).toMatch(/1 record found\s*; this page is past the last result\./);
  });
});
