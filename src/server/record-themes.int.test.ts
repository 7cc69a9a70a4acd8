import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { buildActor, buildLibrary, buildTheme, buildWorkspace, needInput, TEST_PASSWORD, testHasher } from '../../test/support/builders.js';
import { apiError, buildApp, csrfFieldOf, send, signInAs, type App, type Session } from '../../test/support/http.js';
import { createServices, type Services } from '../compose.js';
import type { Actor } from '../core/accounts/roles.js';
import { emptyRecord, type ParseEvent, type RecordFields } from '../core/evidence/record.js';
import type { EvidenceRecord, ImportSummary } from '../core/evidence/types.js';
import type { LibraryId, RecordId } from '../core/shared/ids.js';
import type { Database } from '../adapters/db/database.js';

async function* events(...items: Partial<RecordFields>[]): AsyncGenerator<ParseEvent> {
  let line = 1;
  for (const fields of items) {
    yield { kind: 'record', line, fields: { ...emptyRecord(), title: '', ...fields } };
    line += 10;
  }
}
const unique = () => randomUUID().slice(0, 8);
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const risOf = (titles: string[]): Uint8Array =>
  new TextEncoder().encode(titles.map((title, index) => `TY  - JOUR\nTI  - ${title}\nAU  - Okoro${index}, Ada\nPY  - 2021\nER  - \n`).join('\n'));

describe.each(testDatabases)('themes on records over HTTP on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  let fellow: Actor;
  let fellowSession: Session;
  let fellowToken: string;
  let requesterSession: Session;
  let requesterToken: string;

  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    app = buildApp(services);
    await services.search.start();
    const builtFellow = await buildActor(services, 'fellow');
    fellow = builtFellow.actor;
    fellowSession = await signInAs(app, builtFellow.email, TEST_PASSWORD);
    fellowToken = (await services.accounts.createApiToken(fellow, 'tests')).token;
    const requester = await buildActor(services, 'requester');
    requesterSession = await signInAs(app, requester.email, TEST_PASSWORD);
    requesterToken = (await services.accounts.createApiToken(requester.actor, 'tests')).token;
  });
  afterAll(async () => {
    await services.search.stop();
    await db.close();
  });

  const newLibrary = (): Promise<LibraryId> => buildLibrary(db);
  const importRecords = async (libraryId: LibraryId | undefined, ...items: Partial<RecordFields>[]): Promise<EvidenceRecord[]> => {
    await services.evidenceImport.importRecords(fellow, { fileName: 'themes.ris', format: 'ris', events: events(...items), fileSha256: () => 'x', libraryId });
    const titles = new Set(items.map((item) => item.title));
    const { records } = await services.evidence.listRecords(fellow, { libraryId, limit: 200, offset: 0, text: undefined });
    return records.filter((record) => titles.has(record.title));
  };
  const recordsIn = async (libraryId: LibraryId) => (await services.evidence.listRecords(fellow, { libraryId, limit: 200, offset: 0 })).records;

  describe('the record page', () => {
    it('shows staff a themes form with a CSRF token, saves it, and shows the themes', async () => {
      const [carers, falls] = [await buildTheme(services), await buildTheme(services)];
      const [record] = await importRecords(await newLibrary(), { title: `Carer breaks <and> respite ${unique()}`, year: 2020 });
      const path = `/evidence/records/${record?.id}`;
      const before = await (await send(app, path, { session: fellowSession })).text();
      expect(before).toContain(`action="${path}/themes"`);
      expect(before).toContain(escapeHtml(carers.name));
      expect(csrfFieldOf(before.slice(before.indexOf(`action="${path}/themes"`)))).toBe(fellowSession.csrfToken);
      expect(before).toContain('None yet');

      const saved = await send(app, `${path}/themes`, { session: fellowSession, form: { themeIds: [carers.id, falls.id] } });
      expect(saved.status).toBe(303);
      expect(saved.headers.get('location')).toBe(`${path}#themes-heading`);
      const after = await (await send(app, path, { session: fellowSession })).text();
      expect(after).toMatch(new RegExp(`value="${carers.id}" checked`));
      expect(after).toContain([carers.name, falls.name].sort((left, right) => left.toLowerCase().localeCompare(right.toLowerCase())).join(', '));
      expect((await services.evidence.getRecord(fellow, record?.id as RecordId)).record.themes.map((theme) => theme.id).sort()).toEqual([carers.id, falls.id].sort());

      // Clearing every box removes every theme.
      expect((await send(app, `${path}/themes`, { session: fellowSession, form: {} })).status).toBe(303);
      expect((await services.evidence.getRecord(fellow, record?.id as RecordId)).record.themes).toEqual([]);
    });

    it('refuses a save without the CSRF token, shows requesters no form and answers their save with 403', async () => {
      const theme = await buildTheme(services);
      const [record] = await importRecords(await newLibrary(), { title: `Dementia cafes ${unique()}`, year: 2019 });
      const path = `/evidence/records/${record?.id}`;
      expect((await send(app, `${path}/themes`, { session: fellowSession, form: { themeIds: theme.id }, csrf: null })).status).toBe(403);
      expect((await send(app, `${path}/themes`, { session: fellowSession, form: { themeIds: theme.id }, csrf: 'forged' })).status).toBe(403);
      const page = await send(app, path, { session: requesterSession });
      expect(page.status).toBe(200);
      expect(await page.text()).not.toContain(`${path}/themes`);
      const forbidden = await send(app, `${path}/themes`, { session: requesterSession, form: { themeIds: theme.id } });
      expect(forbidden.status).toBe(403);
      expect((await services.evidence.getRecord(fellow, record?.id as RecordId)).record.themes).toEqual([]);
    });

    it('shows the form again with an error when a theme does not exist', async () => {
      const [record] = await importRecords(await newLibrary(), { title: `Night sitting ${unique()}`, year: 2022 });
      const response = await send(app, `/evidence/records/${record?.id}/themes`, { session: fellowSession, form: { themeIds: [randomUUID(), 'not-an-id'] } });
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain('There is a problem');
      expect(html).toContain('<a href="#themeIds">Choose themes from the list</a>');
    });
  });

  describe('the JSON API', () => {
    it('refuses GET /api/search with a theme id that is not a UUID, naming the field, and accepts a real one', async () => {
      const response = await send(app, '/api/search?q=falls&themeId=not-a-uuid', { token: fellowToken });
      expect(response.status).toBe(422);
      const error = await apiError(response);
      expect(error.code).toBe('validation.failed');
      expect(error.details).toMatchObject({ fields: { themeId: 'Choose a theme from the list' } });
      const theme = await buildTheme(services);
      expect((await send(app, `/api/search?q=falls&themeId=${theme.id}`, { token: fellowToken })).status).toBe(200);
      expect((await send(app, '/api/search?q=falls&themeId=', { token: fellowToken })).status).toBe(200);
    });

    it('describes the theme filters in the OpenAPI document', async () => {
      const document = (await (await send(app, '/api/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
      for (const [path, method] of [['/search', 'get'], ['/evidence/records', 'get'], ['/evidence/imports', 'post'], ['/evidence/export', 'get']] as const) {
        expect(document.paths[path]?.[method]?.parameters?.map((parameter) => parameter.name)).toContain('themeId');
      }
      expect(document.paths['/evidence/records/{id}/themes']?.post).toBeDefined();
    });

    it('sets a record’s themes for staff and refuses requesters, then filters the records list by theme', async () => {
      const theme = await buildTheme(services);
      const libraryId = await newLibrary();
      const [tagged, untagged] = await importRecords(libraryId, { title: `Home adaptations ${unique()}`, year: 2018 }, { title: `Telecare ${unique()}`, year: 2017 });
      const path = `/api/evidence/records/${tagged?.id}/themes`;
      expect((await send(app, path, { token: requesterToken, json: { themeIds: [theme.id] } })).status).toBe(403);
      const bad = await send(app, path, { token: fellowToken, json: { themeIds: ['nope'] } });
      expect(bad.status).toBe(422);
      expect((await apiError(bad)).details).toMatchObject({ fields: { themeIds: 'Not a valid theme id' } });
      const saved = await send(app, path, { token: fellowToken, json: { themeIds: [theme.id] } });
      expect(saved.status).toBe(200);
      expect(((await saved.json()) as EvidenceRecord).themes).toEqual([{ id: theme.id, name: theme.name }]);
      const listed = (await (await send(app, `/api/evidence/records?library=${libraryId}&themeId=${theme.id}`, { token: fellowToken })).json()) as { records: EvidenceRecord[]; total: number };
      expect(listed.records.map((record) => record.id)).toEqual([tagged?.id]);
      expect(listed.total).toBe(1);
      const all = (await (await send(app, `/api/evidence/records?library=${libraryId}`, { token: fellowToken })).json()) as { records: EvidenceRecord[] };
      expect(all.records.map((record) => record.id).sort()).toEqual([tagged?.id, untagged?.id].sort());
      const exported = await (await send(app, `/api/evidence/export?format=ris&library=${libraryId}&themeId=${theme.id}`, { token: fellowToken })).text();
      expect(exported).toContain(tagged?.title);
      expect(exported).not.toContain(untagged?.title);
    });

    it('tags an uploaded file with every themeId given, and imports nothing when one is unknown', async () => {
      const [carers, falls] = [await buildTheme(services), await buildTheme(services)];
      const libraryId = await newLibrary();
      const titles = [`Carer wellbeing ${unique()}`, `Falls clinics ${unique()}`];
      const uploaded = await send(app, `/api/evidence/imports?fileName=tagged.ris&library=${libraryId}&themeId=${carers.id}&themeId=${falls.id}`, { token: fellowToken, bytes: risOf(titles) });
      expect(uploaded.status).toBe(201);
      expect(((await uploaded.json()) as ImportSummary).imported).toBe(2);
      for (const record of await recordsIn(libraryId)) {
        expect(record.themes.map((theme) => theme.id).sort()).toEqual([carers.id, falls.id].sort());
      }

      const other = await newLibrary();
      const unknown = randomUUID();
      const refused = await send(app, `/api/evidence/imports?fileName=refused.ris&library=${other}&themeId=${carers.id}&themeId=${unknown}`, { token: fellowToken, bytes: risOf([`Refused ${unique()}`]) });
      expect(refused.status).toBe(422);
      const error = await apiError(refused);
      expect(error.message).toContain(unknown);
      expect(error.details).toMatchObject({ fields: { themeIds: 'Choose themes from the list' } });
      const malformed = await send(app, `/api/evidence/imports?fileName=bad.ris&library=${other}&themeId=${carers.id}&themeId=nope`, { token: fellowToken, bytes: risOf([`Bad ${unique()}`]) });
      expect(malformed.status).toBe(422);
      expect((await apiError(malformed)).details).toMatchObject({ fields: { themeId: 'Not a valid theme id' } });
      expect(await recordsIn(other)).toEqual([]);
      expect(await services.evidence.listBatches(fellow, other)).toEqual([]);
    });
  });

  describe('pages', () => {
    it('offers themes on the import form and tags every record of the uploaded file', async () => {
      const theme = await buildTheme(services);
      const form = await (await send(app, '/evidence/import', { session: fellowSession })).text();
      expect(form).toContain('name="themeIds"');
      expect(form).toContain(escapeHtml(theme.name));
      const title = `Uploaded with a theme ${unique()}`;
      const multipart = new FormData();
      multipart.set('file', new File([risOf([title])], 'upload.ris'));
      multipart.append('themeIds', theme.id);
      const response = await send(app, '/evidence/import', { session: fellowSession, multipart });
      expect(response.status).toBe(200);
      const { records } = await services.evidence.listRecords(fellow, { text: title, limit: 5, offset: 0 });
      expect(records.map((record) => record.themes)).toEqual([[{ id: theme.id, name: theme.name }]]);

      const refusedTitle = `Uploaded with a missing theme ${unique()}`;
      const refusedForm = new FormData();
      refusedForm.set('file', new File([risOf([refusedTitle])], 'upload.ris'));
      refusedForm.append('themeIds', randomUUID());
      const refused = await send(app, '/evidence/import', { session: fellowSession, multipart: refusedForm });
      expect(refused.status).toBe(422);
      expect(await refused.text()).toContain('<a href="#themeIds">Choose themes from the list</a>');
      expect((await services.evidence.listRecords(fellow, { text: refusedTitle, limit: 5, offset: 0 })).total).toBe(0);
    });

    it('filters the library page by theme, with a count per theme', async () => {
      const theme = await buildTheme(services);
      const libraryId = await newLibrary();
      const [tagged, untagged] = await importRecords(libraryId, { title: `Reablement ${unique()}`, year: 2021 }, { title: `Hospital discharge ${unique()}`, year: 2020 });
      await services.evidence.setRecordThemes(fellow, tagged?.id as RecordId, [theme.id]);
      const html = await (await send(app, `/evidence?library=${libraryId}&themeId=${theme.id}`, { session: fellowSession })).text();
      expect(html).toContain(`<option value="${theme.id}" selected="">${escapeHtml(theme.name)} (1)</option>`);
      expect(html).toContain(escapeHtml(tagged?.title ?? ''));
      expect(html).not.toContain(escapeHtml(untagged?.title ?? ''));
      expect(html).toContain(`themeId=${theme.id}`);
      const everything = await (await send(app, `/evidence?library=${libraryId}&themeId=nonsense`, { session: fellowSession })).text();
      expect(everything).toContain(escapeHtml(untagged?.title ?? ''));
    });

    it('offers a theme filter on /search that keeps the chosen theme', async () => {
      const theme = await buildTheme(services);
      const html = await (await send(app, `/search?q=falls&themeId=${theme.id}`, { session: fellowSession })).text();
      expect(html).toContain('<label class="nhsuk-label" for="themeId">Theme</label>');
      expect(html).toContain(`<option value="${theme.id}" selected="">${escapeHtml(theme.name)}</option>`);
    });

    it('offers the need’s own themes as a filter on its matched evidence, and says pinning tags the record', async () => {
      const [carers, falls, unrelated] = [await buildTheme(services), await buildTheme(services), await buildTheme(services)];
      const { requester, fellow: needFellow } = await buildWorkspace(services);
      const need = await services.needs.submitNeed(requester.actor, needInput({ themeIds: [carers.id, falls.id] }));
      const staff = await signInAs(app, needFellow.email, TEST_PASSWORD);
      const [answer] = await importRecords(undefined, { title: `${need.title}: exercise reduces falls among care home residents`, year: 2024 });
      await services.evidence.setRecordThemes(fellow, answer?.id as RecordId, [falls.id]);
      await services.search.catchUp();
      const unfiltered = await (await send(app, `/needs/${need.id}`, { session: staff })).text();
      expect(unfiltered).toContain(escapeHtml(answer?.title ?? ''));
      expect(unfiltered).toContain('Pinning a record also tags it with this need’s themes.');
      const html = await (await send(app, `/needs/${need.id}?themeId=${falls.id}`, { session: staff })).text();
      expect(html).toContain(`action="/needs/${need.id}#matches-heading"`);
      expect(html).toContain(`<option value="${falls.id}" selected="">${escapeHtml(falls.name)}</option>`);
      expect(html).toContain(`<option value="${carers.id}">${escapeHtml(carers.name)}</option>`);
      expect(html).not.toContain(`value="${unrelated.id}"`);
      expect(html).toContain(`on the theme ${escapeHtml(falls.name)}`);
      // A theme that is not the need's is ignored rather than offered.
      const ignored = await (await send(app, `/needs/${need.id}?themeId=${unrelated.id}`, { session: staff })).text();
      expect(ignored).not.toContain(`on the theme ${escapeHtml(unrelated.name)}`);
      const plain = await (await send(app, `/needs/${(await services.needs.submitNeed(requester.actor, needInput())).id}`, { session: staff })).text();
      expect(plain).not.toContain('Filter the evidence that may help');
    });
  });
});
