import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { buildActor, buildLibrary, recordEvents, TEST_PASSWORD, testHasher, widenedSearchRecords } from '../../test/support/builders.js';
import { expectRelatedSection } from '../../test/support/related.js';
import { buildApp, send, signInAs, type App } from '../../test/support/http.js';
import { createServices, type Services } from '../compose.js';
import type { RecordFields } from '../core/evidence/record.js';
import type { Database } from '../adapters/db/database.js';
import type { LibraryId } from '../core/shared/ids.js';

/**
 * A fellow with an API token and a running search over a library of its own holding `records`, so
 * that other tests' records on a shared database never match.
 */
const searchOver = async (db: Database, name: string, records: readonly Partial<RecordFields>[]) => {
  const services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
  const app = buildApp(services);
  const fellow = await buildActor(services, 'fellow');
  const token = (await services.accounts.createApiToken(fellow.actor, name)).token;
  await services.search.start();
  const library = await buildLibrary(db, name);
  await services.evidenceImport.importRecords(fellow.actor, {
    libraryId: library as LibraryId,
    fileName: 'search.ris',
    format: 'ris',
    events: recordEvents([...records]),
    fileSha256: () => 'x',
  });
  await services.search.catchUp();
  return { services, app, email: fellow.email, token, library };
};

describe.each(testDatabases)('search page and API on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  let token: string;
  let email: string;
  let library: string;
  const word = `zq${randomUUID().slice(0, 6)}`;
  // The trial and the cohort study hold the tag, anaemia and children equally often, in titles and
  // abstracts of equal lengths (six terms each): their relevance to those words ties whatever else
  // the index holds (its idf and average lengths come from every library, other files' too), so
  // only the boosts order them.
  const records: Partial<RecordFields>[] = [
    { title: `Paediatric anaemia ${word}: a randomised controlled trial`, abstract: 'Iron supplements for children with anaemia in primary care.', year: 2021 },
    { title: `Pediatric anemia ${word}: a retrospective cohort study`, abstract: 'Iron levels of children with anemia in primary care.', year: 2009 },
    { title: `Falls in care homes ${word}`, abstract: 'Exercise programmes for residents.', year: 2020 },
  ];

  beforeAll(async () => {
    db = await open();
    ({ services, app, email, token, library } = await searchOver(db, `Search ${word}`, records));
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
    // Not widened: words taken from the top results would weigh each record's own words by idf.
    const boosted = (await (await send(app, `/api/search?q=${word}%20anemia%20children&rank=boosted&expand=false&library=${library}`, { token })).json()) as { hits: { record: { title: string } }[] };
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

describe.each(testDatabases)('a widened search on $name: records with the words apart from related ones', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  let token: string;
  let email: string;
  let library: string;
  // The word the fellow searches for is in three records; two more share their other words without it.
  const word = `zq${randomUUID().slice(0, 6)}`;
  const { withWord, related, unrelated } = widenedSearchRecords(word);

  beforeAll(async () => {
    db = await open();
    ({ services, app, email, token, library } = await searchOver(db, `Widened ${word}`, [...withWord, ...related, unrelated]));
  });
  afterAll(async () => {
    await services.search.stop();
    await db.close();
  });

  interface Body {
    total: number;
    matching: number;
    expandedWith: string[];
    hits: { record: { title: string }; isRelated: boolean; explanation?: { expandedWith: string[] } }[];
  }

  it('answers /api/search with the records holding the words (matching) and marks the related hits; total keeps counting both', async () => {
    const response = await send(app, `/api/search?q=${word}&library=${library}&rank=plain`, { token });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Body;
    expect(body).toMatchObject({ total: 5, matching: 3 });
    expect(body.expandedWith).toEqual(expect.arrayContaining(['befriending', 'volunteers']));
    expect(body.hits.filter((hit) => !hit.isRelated).map((hit) => hit.record.title).sort()).toEqual(withWord.map((fields) => fields.title).sort());
    expect(body.hits.filter((hit) => hit.isRelated).map((hit) => hit.record.title).sort()).toEqual(related.map((fields) => fields.title).sort());
    expect(body.hits.map((hit) => hit.record.title)).not.toContain(unrelated.title);
    // Under the same filters: one of the three is from 2012.
    const recent = (await (await send(app, `/api/search?q=${word}&library=${library}&yearFrom=2015`, { token })).json()) as Body;
    expect(recent).toMatchObject({ total: 4, matching: 2 });
    // Not widened: the two counts agree and nothing is related.
    const narrow = (await (await send(app, `/api/search?q=${word}&library=${library}&expand=false`, { token })).json()) as Body;
    expect(narrow).toMatchObject({ total: 3, matching: 3, expandedWith: [] });
    expect(narrow.hits.some((hit) => hit.isRelated)).toBe(false);
  });

  it('documents matching, expandedWith and isRelated in the OpenAPI schema', async () => {
    const openapi = (await (await send(app, '/api/openapi.json')).json()) as {
      paths: Record<string, { get?: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, { description?: string; items?: { properties: Record<string, { description?: string }> } }> } }> }> } }>;
    };
    const schema = openapi.paths['/search']?.get?.responses['200']?.content['application/json']?.schema;
    expect(schema?.properties.matching?.description).toContain('own words');
    expect(schema?.properties.total?.description).toContain('widened');
    expect(schema?.properties.expandedWith?.description).toBeDefined();
    expect(schema?.properties.hits?.items?.properties.isRelated?.description).toContain('widening');
  });

  it('says on /search how many records hold the words and how many more are related, and marks where the related ones begin', async () => {
    const session = await signInAs(app, email, TEST_PASSWORD);
    const html = await (await send(app, `/search?q=${word}&library=${library}&rank=plain`, { session })).text();
    expect(html).toMatch(/3 records match your words; 2 more are related \(found through words from the top results: [^)]*befriending[^)]*\)\. Showing 1 to 5 of 5\./);
    expect(html).not.toContain('5 records found');
    expectRelatedSection(html, withWord, related);
    // The related list carries on the numbering of the first.
    expect(html).toContain('<ol class="app-results" start="4">');
    // A page that holds only related records still says where they come from.
    const second = await (await send(app, `/search?q=${word}&library=${library}&rank=plain&limit=2&offset=4`, { session })).text();
    expect(second).toContain('Showing 5 to 5 of 5.');
    expect(second).toContain('id="related-records"');
    // Not widened: the count reads as before.
    const narrow = await (await send(app, `/search?q=${word}&library=${library}&expand=false`, { session })).text();
    expect(narrow).toContain('3 records found, showing 1 to 3.');
    expect(narrow).not.toContain('id="related-records"');
  });
});
