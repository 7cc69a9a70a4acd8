import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { TEST_PASSWORD, buildActor, buildTheme, buildWorkspace, needInput, testHasher } from '../../test/support/builders.js';
import { apiError, buildApp, send, signInAs, type App, type Session } from '../../test/support/http.js';
import { createServices, type Services } from '../compose.js';
import type { Actor } from '../core/accounts/roles.js';
import { emptyRecord, type ParseEvent, type RecordFields } from '../core/evidence/record.js';
import type { EvidenceRecord } from '../core/evidence/types.js';
import { activeFilters, deletedThemeCount } from '../core/matching/living.js';
import type { RecordId, ThemeId } from '../core/shared/ids.js';
import type { Database } from '../adapters/db/database.js';

async function* events(...items: Partial<RecordFields>[]): AsyncGenerator<ParseEvent> {
  for (const [index, fields] of items.entries()) {
    yield { kind: 'record', line: index + 1, fields: { ...emptyRecord(), title: '', ...fields } };
  }
}
/** A made-up word no other test's records contain, so a query finds only this test's records. */
const word = () => `zt${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The theme filter on saved searches (kept in their JSON filters, re-run and alerted within the theme;
 * a deleted theme falls away) and on `GET /api/needs/{id}/matches?themeId=`.
 */
describe.each(testDatabases)('the theme filter on saved searches and need matches on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  let fellow: Actor;
  let fellowSession: Session;

  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    app = buildApp(services);
    await services.search.start();
    const built = await buildActor(services, 'fellow');
    fellow = built.actor;
    fellowSession = await signInAs(app, built.email, TEST_PASSWORD);
  });
  afterAll(async () => {
    await services.search.stop();
    await db.close();
  });

  /** Imports records into the main library (tagged with `themeIds` when given) and waits for this node's index. */
  const importRecords = async (themeIds: ThemeId[], ...items: Partial<RecordFields>[]): Promise<EvidenceRecord[]> => {
    await services.evidenceImport.importRecords(fellow, { fileName: 'themed.ris', format: 'ris', events: events(...items), fileSha256: () => 'x', themeIds });
    await services.search.catchUp();
    const titles = new Set(items.map((item) => item.title));
    const found: EvidenceRecord[] = [];
    for (const title of titles) {
      // eslint-disable-next-line no-await-in-loop -- a couple of lookups
      found.push(...(await services.evidence.listRecords(fellow, { text: title, limit: 5, offset: 0 })).records.filter((record) => record.title === title));
    }
    return found;
  };
  /**
   * Re-runs the searches these records might affect and waits for it (the index does the same in the
   * background; alerts are created once either way).
   */
  const refreshFor = async (records: readonly EvidenceRecord[]) => {
    await services.search.catchUp();
    await services.living.refresh(records.map((record) => record.id));
  };
  const matchedRecords = async (savedSearchId: string) =>
    (await db.query<{ record_id: string }>('select record_id from search_matches where saved_search_id = $1', [savedSearchId])).map((row) => row.record_id).sort();
  /** The saved search's entry on the alerts page, from its `<li>` to its `</li>`. */
  const listItemOf = (html: string, name: string): string => {
    const at = html.indexOf(`>${escapeHtml(name)}</a>`);
    expect(at).toBeGreaterThan(0);
    return html.slice(html.lastIndexOf('<li>', at), html.indexOf('</li>', at));
  };
  const alertedTitles = async (actor: Actor, searchName: string) =>
    (await services.living.listAlerts(actor)).filter((alert) => alert.savedSearch.name === searchName).map((alert) => alert.record.title).sort();

  describe('saved searches', () => {
    it('saves the theme from the search page, lists it, and re-runs with only that theme’s records', async () => {
      const theme = await buildTheme(services);
      const tag = word();
      const [inTheme] = await importRecords([theme.id], { title: `Befriending ${tag} for carers: a trial`, year: 2022 });
      const [outside] = await importRecords([], { title: `Befriending ${tag} in prisons: a survey`, year: 2023 });
      expect(inTheme?.themes).toEqual([{ id: theme.id, name: theme.name }]);
      expect(outside?.themes).toEqual([]);

      // The search page carries the theme into its save form and says what saving keeps.
      const page = await (await send(app, `/search?q=${tag}&themeId=${theme.id}`, { session: fellowSession })).text();
      const saveForm = page.slice(page.indexOf('action="/search/save"'));
      expect(saveForm).toContain(`<input type="hidden" name="themeId" value="${theme.id}"/>`);
      expect(saveForm).toContain(`The search keeps its theme, ${escapeHtml(theme.name)}`);

      const name = `Themed befriending ${tag}`;
      const saved = await send(app, '/search/save', { session: fellowSession, form: { q: tag, themeId: theme.id, name } });
      expect(saved.status).toBe(303);
      const [search] = (await services.living.listSavedSearches(fellow)).filter((candidate) => candidate.name === name);
      expect(search?.filters.themeIds).toEqual([theme.id]);
      expect(search?.themes).toEqual([{ id: theme.id, name: theme.name }]);
      // Saving ran it once: its baseline holds the record on the theme, not the other one that matches the words.
      expect(await matchedRecords(search?.id ?? '')).toEqual([inTheme?.id]);

      // The alerts page lists it with its theme, and its link re-runs it with the theme.
      const alerts = await (await send(app, '/alerts', { session: fellowSession })).text();
      const item = listItemOf(alerts, name);
      expect(item).toContain(`(theme: ${escapeHtml(theme.name)})`);
      expect(item).not.toContain('has been deleted');
      const href = /href="(\/search\?[^"]*)"/.exec(item)?.[1]?.replace(/&amp;/g, '&');
      expect(new URLSearchParams(href?.split('?')[1]).get('themeId')).toBe(theme.id);
      const rerun = await (await send(app, href ?? '/search', { session: fellowSession })).text();
      expect(rerun).toContain(escapeHtml(inTheme?.title ?? ''));
      expect(rerun).not.toContain(escapeHtml(outside?.title ?? ''));
      expect(rerun).toContain(`<option value="${theme.id}" selected="">${escapeHtml(theme.name)}</option>`);
    });

    it('keeps the library and a plain ranking from the search page, says so, and its link re-runs with both', async () => {
      const tag = word();
      // Made-up words only: the saved search runs with query expansion (see below).
      const [record] = await importRecords([], { title: `${tag} ${word()} ${word()}`, year: 2021 });
      const library = record?.libraryId as string;
      const page = await (await send(app, `/search?q=${tag}&library=${library}&rank=plain`, { session: fellowSession })).text();
      const saveForm = page.slice(page.indexOf('action="/search/save"'));
      expect(saveForm).toContain(`<input type="hidden" name="library" value="${library}"/>`);
      expect(saveForm).toContain('<input type="hidden" name="rank" value="plain"/>');

      const name = `Plain peer support ${tag}`;
      expect((await send(app, '/search/save', { session: fellowSession, form: { q: tag, library, rank: 'plain', name } })).status).toBe(303);
      const [search] = (await services.living.listSavedSearches(fellow)).filter((candidate) => candidate.name === name);
      expect(search?.filters.libraryIds).toEqual([library]);
      expect(search?.ranking).toBe('plain');
      expect(await matchedRecords(search?.id ?? '')).toEqual([record?.id]);

      const item = listItemOf(await (await send(app, '/alerts', { session: fellowSession })).text(), name);
      expect(item).toContain('(plain ranking)');
      const href = /href="(\/search\?[^"]*)"/.exec(item)?.[1]?.replace(/&amp;/g, '&');
      const params = new URLSearchParams(href?.split('?')[1]);
      expect([params.get('library'), params.get('rank')]).toEqual([library, 'plain']);

      // Saved without choosing: boosted, as the search page ranks by default, and no library.
      const defaultName = `Default ranking ${tag}`;
      expect((await send(app, '/search/save', { session: fellowSession, form: { q: tag, name: defaultName } })).status).toBe(303);
      const [boosted] = (await services.living.listSavedSearches(fellow)).filter((candidate) => candidate.name === defaultName);
      expect([boosted?.ranking, boosted?.filters.libraryIds]).toEqual(['boosted', undefined]);
      expect(listItemOf(await (await send(app, '/alerts', { session: fellowSession })).text(), defaultName)).not.toContain('plain ranking');
    });

    it('refuses to save a search with a theme that does not exist or is not a theme id, and saves nothing', async () => {
      const tag = word();
      const unknown = await send(app, '/search/save', { session: fellowSession, form: { q: tag, themeId: randomUUID(), name: `Unknown theme ${tag}` } });
      expect(unknown.status).toBe(422);
      const malformed = await send(app, '/search/save', { session: fellowSession, form: { q: tag, themeId: 'not-a-theme', name: `Malformed theme ${tag}` } });
      expect(malformed.status).toBe(422);
      expect((await services.living.listSavedSearches(fellow)).filter((search) => search.query === tag)).toEqual([]);
      // Blank is "any theme", as on the search page.
      expect((await send(app, '/search/save', { session: fellowSession, form: { q: tag, themeId: '', name: `Any theme ${tag}` } })).status).toBe(303);
      const [anyTheme] = (await services.living.listSavedSearches(fellow)).filter((search) => search.query === tag);
      expect(anyTheme?.filters.themeIds).toBeUndefined();
      expect(anyTheme?.themes).toEqual([]);
    });

    // Titles of made-up words only: saved searches run with query expansion, which must find no other
    // test's records in the shared database. Each step waits for its own refresh; the background refresh
    // of an earlier step may still be running, so every step's new records are in the change it reports.
    it('alerts a themed saved search only to new records on its theme, while the same search without it hears of both', async () => {
      const { requester } = await buildWorkspace(services);
      const theme = await buildTheme(services);
      const tag = word();
      const themedName = `Themed ${tag}`;
      const plainName = `Any theme ${tag}`;
      await services.living.saveSearch(requester.actor, { name: themedName, query: tag, filters: { themeIds: [theme.id] }, wantsEmail: false });
      await services.living.saveSearch(requester.actor, { name: plainName, query: tag, filters: {}, wantsEmail: false });

      const [first, second] = await importRecords([], { title: `${tag} ${word()} ${word()}` }, { title: `${tag} ${word()} ${word()}` });
      await refreshFor([first, second] as EvidenceRecord[]);
      expect(await alertedTitles(requester.actor, plainName)).toEqual([first?.title, second?.title].sort());
      expect(await alertedTitles(requester.actor, themedName)).toEqual([]);

      // Tagging a record with the theme brings it onto the theme: news for the themed search, and only it.
      await services.evidence.setRecordThemes(fellow, first?.id as RecordId, [theme.id]);
      await refreshFor([first] as EvidenceRecord[]);
      await refreshFor([first, second] as EvidenceRecord[]);
      expect(await alertedTitles(requester.actor, themedName)).toEqual([first?.title]);
      const [themed] = (await services.living.listSavedSearches(requester.actor)).filter((search) => search.name === themedName);
      expect(await matchedRecords(themed?.id ?? '')).toEqual([first?.id]);
      expect(await alertedTitles(requester.actor, plainName)).toEqual([first?.title, second?.title].sort());
    });

    it('carries on across every theme once its theme is deleted, and says so on the alerts page', async () => {
      const theme = await buildTheme(services);
      const tag = word();
      const name = `Deleted theme ${tag}`;
      const saved = await services.living.saveSearch(fellow, { name, query: tag, filters: { themeIds: [theme.id] }, wantsEmail: false });
      const before = (await services.living.listSavedSearches(fellow)).find((search) => search.name === name);
      expect(before && deletedThemeCount(before)).toBe(0);
      expect(before && activeFilters(before).themeIds).toEqual([theme.id]);

      await db.query('delete from themes where id = $1', [theme.id]);
      const after = (await services.living.listSavedSearches(fellow)).find((search) => search.name === name);
      // The saved filter still names the theme; it no longer exists, so it no longer filters.
      expect(after?.filters.themeIds).toEqual([theme.id]);
      expect(after?.themes).toEqual([]);
      expect(after && deletedThemeCount(after)).toBe(1);
      expect(after && activeFilters(after).themeIds).toBeUndefined();

      const alerts = await (await send(app, '/alerts', { session: fellowSession })).text();
      const item = listItemOf(alerts, name);
      expect(item).toContain('its theme has been deleted, so it now searches every theme');
      expect(item).not.toContain('themeId=');

      // A new record on no theme at all now matches it and is news.
      const untagged = await importRecords([], { title: `${tag} ${word()} ${word()}` });
      await refreshFor(untagged);
      expect(await alertedTitles(fellow, name)).toEqual([untagged[0]?.title]);
      expect(await matchedRecords(saved.id)).toEqual([untagged[0]?.id]);
    });
  });

  describe('GET /api/needs/{id}/matches', () => {
    it('filters the matched evidence by themeId, and refuses a malformed one naming the parameter', async () => {
      const { requester, fellow: needFellow } = await buildWorkspace(services);
      const token = (await services.accounts.createApiToken(needFellow.actor, 'tests')).token;
      const theme = await buildTheme(services);
      const tag = word();
      const need = await services.needs.submitNeed(requester.actor, needInput({ title: `Hospital at home ${tag}`, question: `Does hospital at home ${tag} avoid admissions for frail older people?` }));
      const [inTheme] = await importRecords([theme.id], { title: `Hospital at home ${tag} for frail older people: a randomised trial`, year: 2023 });
      const [outside] = await importRecords([], { title: `Hospital at home ${tag} avoided admissions: a cohort study`, year: 2022 });
      type Matches = { total: number; evidence: { record: EvidenceRecord }[] };
      const matchesOf = async (query: string) => {
        const response = await send(app, `/api/needs/${need.id}/matches${query}`, { token });
        expect(response.status).toBe(200);
        return (await response.json()) as Matches;
      };

      const all = await matchesOf('?limit=100');
      expect(all.evidence.map((hit) => hit.record.id)).toEqual(expect.arrayContaining([inTheme?.id, outside?.id]));
      const themed = await matchesOf(`?limit=100&themeId=${theme.id}`);
      expect(themed.evidence.map((hit) => hit.record.id)).toContain(inTheme?.id);
      expect(themed.evidence.map((hit) => hit.record.id)).not.toContain(outside?.id);
      expect(themed.evidence.every((hit) => hit.record.themes.some((recordTheme) => recordTheme.id === theme.id))).toBe(true);
      expect(themed.total).toBeGreaterThanOrEqual(1);
      expect(themed.total).toBeLessThan(all.total);
      // The same core call the need page makes when its theme filter is set.
      const direct = await services.matching.matchEvidence(needFellow.actor, need.id, { limit: 100, filters: { themeIds: [theme.id] } });
      expect(themed.evidence.map((hit) => hit.record.id)).toEqual(direct.hits.map((hit) => hit.id));
      // Blank means any theme, as the filter forms send it.
      expect((await matchesOf('?limit=100&themeId=')).evidence.map((hit) => hit.record.id)).toEqual(expect.arrayContaining([inTheme?.id, outside?.id]));

      const malformed = await send(app, `/api/needs/${need.id}/matches?themeId=not-a-uuid`, { token });
      expect(malformed.status).toBe(422);
      const error = await apiError(malformed);
      expect(error.code).toBe('validation.failed');
      expect(error.details).toMatchObject({ fields: { themeId: 'Choose a theme from the list' } });
    });

    it('documents themeId in the OpenAPI document', async () => {
      const document = (await (await send(app, '/api/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters?: { name: string; required: boolean }[] }>> };
      const parameters = document.paths['/needs/{id}/matches']?.get?.parameters ?? [];
      expect(parameters.find((parameter) => parameter.name === 'themeId')).toMatchObject({ required: false });
    });
  });
});
