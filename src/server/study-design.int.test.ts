import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { buildLibrary, recordEvents, testHasher } from '../../test/support/builders.js';
import { apiError, buildApp, buildClient, csrfFieldOf, send, type App, type Client } from '../../test/support/http.js';
import { createServices, type Services } from '../compose.js';
import type { EvidenceRecord } from '../core/evidence/types.js';
import type { LibraryId, RecordId } from '../core/shared/ids.js';
import type { Database } from '../adapters/db/database.js';
import { formatDateTime } from '../web/format.js';

describe.each(testDatabases)('study designs set by hand over HTTP on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  let fellow: Client;
  let requester: Client;
  let researcher: Client;

  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    app = buildApp(services);
    fellow = await buildClient(app, services, 'fellow');
    requester = await buildClient(app, services, 'requester');
    researcher = await buildClient(app, services, 'researcher');
  });
  afterAll(async () => {
    await db.close();
  });

  /** A record the rules grade a randomised trial (from its title), in a library of its own. */
  const trialPaper = async () => {
    const libraryId = await buildLibrary(db);
    const title = `Peer support for carers ${randomUUID().slice(0, 8)}: a randomised controlled trial`;
    await services.evidenceImport.importRecords(fellow.actor, { fileName: 'design.ris', format: 'ris', events: recordEvents([{ title, year: 2020 }]), fileSha256: () => 'x', libraryId });
    const [record] = (await services.evidence.listRecords(fellow.actor, { libraryId, limit: 5, offset: 0 })).records;
    expect(record?.studyDesign).toBe('rct');
    return { libraryId, title, id: record?.id as RecordId };
  };
  const designOf = async (id: RecordId) => (await services.evidence.getRecord(fellow.actor, id)).record;
  /** The value of the record page's "Study design" row. */
  const designRow = (html: string) => /<dt class="nhsuk-summary-list__key">Study design<\/dt>\s*<dd class="nhsuk-summary-list__value">([^<]*)<\/dd>/.exec(html)?.[1];
  const libraryPage = async (libraryId: LibraryId, design: string) => (await (await send(app, `/evidence?library=${libraryId}&design=${design}`, { session: fellow.session })).text());

  describe('the record page', () => {
    it('shows staff where the design came from and a form with a CSRF token, saves a design by hand, then hands it back to the rules', async () => {
      const { libraryId, title, id } = await trialPaper();
      const path = `/evidence/records/${id}`;
      const before = await (await send(app, path, { session: fellow.session })).text();
      expect(designRow(before)).toMatch(/^Randomised controlled trial \(graded automatically: .+\)$/);
      expect(before).toContain('<h2 id="design-heading">Study design</h2>');
      const form = before.slice(before.indexOf(`action="${path}/study-design"`));
      expect(csrfFieldOf(form)).toBe(fellow.session.csrfToken);
      expect(form).toContain('<label class="nhsuk-label" for="studyDesign">Study design</label>');
      expect(form).toMatch(/<option value="rct" selected="">Randomised controlled trial<\/option>/);
      expect(before).not.toContain('Use the automatic grade');

      const saved = await send(app, `${path}/study-design`, { session: fellow.session, form: { studyDesign: 'other' } });
      expect(saved.status).toBe(303);
      expect(saved.headers.get('location')).toBe(`${path}#design-heading`);
      const record = await designOf(id);
      expect(record).toMatchObject({ studyDesign: 'other', studyDesignSetByHand: { by: { id: fellow.actor.userId } } });
      const after = await (await send(app, path, { session: fellow.session })).text();
      expect(designRow(after)).toBe(`Other (set by hand by ${fellow.actor.name} on ${formatDateTime(record.studyDesignSetByHand?.at ?? new Date(0))})`);
      expect(after).toMatch(/<option value="other" selected="">Other<\/option>/);
      expect(after).toContain('The rules would grade it: Randomised controlled trial');
      expect(after).toContain('Use the automatic grade');
      // The library's design filter follows it.
      expect(await libraryPage(libraryId, 'other')).toContain(title);
      expect(await libraryPage(libraryId, 'rct')).not.toContain(title);

      const cleared = await send(app, `${path}/study-design`, { session: fellow.session, form: { studyDesign: 'automatic' } });
      expect(cleared.status).toBe(303);
      expect(await designOf(id)).toMatchObject({ studyDesign: 'rct', evidenceLevel: 2 });
      expect(designRow(await (await send(app, path, { session: fellow.session })).text())).toMatch(/^Randomised controlled trial \(graded automatically: /);
      expect(await libraryPage(libraryId, 'rct')).toContain(title);
    });

    it('refuses a save without the CSRF token, shows requesters the design’s source but no form, and answers their save with 403', async () => {
      const { id } = await trialPaper();
      const path = `/evidence/records/${id}`;
      expect((await send(app, `${path}/study-design`, { session: fellow.session, form: { studyDesign: 'other' }, csrf: null })).status).toBe(403);
      expect((await send(app, `${path}/study-design`, { session: fellow.session, form: { studyDesign: 'other' }, csrf: 'forged' })).status).toBe(403);
      const page = await send(app, path, { session: requester.session });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(designRow(html)).toMatch(/^Randomised controlled trial \(graded automatically: /);
      expect(html).not.toContain(`${path}/study-design`);
      expect((await send(app, `${path}/study-design`, { session: requester.session, form: { studyDesign: 'other' } })).status).toBe(403);
      expect(await designOf(id)).toMatchObject({ studyDesign: 'rct' });
      expect((await designOf(id)).studyDesignSetByHand).toBeUndefined();
    });

    it('shows the form again with an error naming the field when the design is not on the list', async () => {
      const { id } = await trialPaper();
      for (const studyDesign of ['trial', '']) {
        // eslint-disable-next-line no-await-in-loop -- one refused save after another
        const response = await send(app, `/evidence/records/${id}/study-design`, { session: fellow.session, form: { studyDesign } });
        expect(response.status).toBe(422);
        const html = await response.text();
        expect(html).toContain('There is a problem');
        expect(html).toContain('<a href="#studyDesign">Choose a study design from the list</a>');
        expect(html).toContain('<span class="nhsuk-u-visually-hidden">Error: </span>Choose a study design from the list');
        expect(html).toContain('aria-describedby="studyDesign-hint studyDesign-error"');
      }
      expect(await designOf(id)).toMatchObject({ studyDesign: 'rct' });
    });
  });

  describe('the JSON API', () => {
    it('sets a design by hand for staff, shows who and when beside the rules’ grade, and null hands it back', async () => {
      const { id } = await trialPaper();
      const path = `/api/evidence/records/${id}/study-design`;
      const saved = await send(app, path, { token: fellow.token, json: { studyDesign: 'guideline' } });
      expect(saved.status).toBe(200);
      const record = (await saved.json()) as EvidenceRecord & { studyDesignSetByHand: { at: string; by: { id: string; name: string } } };
      expect(record).toMatchObject({ id, studyDesign: 'guideline', evidenceLevel: 1, studyDesignSetByHand: { by: { id: fellow.actor.userId, name: fellow.actor.name } } });
      expect(new Date(record.studyDesignSetByHand.at).getTime()).toBeGreaterThan(Date.now() - 60_000);

      const detail = (await (await send(app, `/api/evidence/records/${id}`, { token: fellow.token })).json()) as { record: EvidenceRecord; classification: { design: string } };
      expect(detail.record.studyDesign).toBe('guideline');
      expect(detail.classification.design).toBe('rct');

      const cleared = (await (await send(app, path, { token: fellow.token, json: { studyDesign: null } })).json()) as EvidenceRecord;
      expect(cleared).toMatchObject({ studyDesign: 'rct', evidenceLevel: 2 });
      expect(cleared).not.toHaveProperty('studyDesignSetByHand');
    });

    it('answers requesters and researchers with 403, and a session without the CSRF header with auth.csrf_failed', async () => {
      const { id } = await trialPaper();
      const path = `/api/evidence/records/${id}/study-design`;
      for (const token of [requester.token, researcher.token]) {
        // eslint-disable-next-line no-await-in-loop -- one refused role after another
        const refused = await send(app, path, { token, json: { studyDesign: 'other' } });
        expect(refused.status).toBe(403);
        expect((await apiError(refused)).code).toBe('auth.forbidden');
      }
      const noHeader = await send(app, path, { session: fellow.session, json: { studyDesign: 'other' }, csrf: null });
      expect(noHeader.status).toBe(403);
      expect((await apiError(noHeader)).code).toBe('auth.csrf_failed');
      expect(await designOf(id)).toMatchObject({ studyDesign: 'rct' });
      expect((await send(app, path, { session: fellow.session, json: { studyDesign: 'other' } })).status).toBe(200);
    });

    it.each([{ studyDesign: 'trial' }, { studyDesign: 'RCT' }, {}])('refuses %j with 422 naming the studyDesign field', async (body) => {
      const { id } = await trialPaper();
      const response = await send(app, `/api/evidence/records/${id}/study-design`, { token: fellow.token, json: body });
      expect(response.status).toBe(422);
      const error = await apiError(response);
      expect(error.code).toBe('validation.failed');
      expect(error.details).toMatchObject({ fields: { studyDesign: 'Choose a study design from the list' } });
      expect(await designOf(id)).toMatchObject({ studyDesign: 'rct' });
    });

    it('answers 404 for an unknown record', async () => {
      const response = await send(app, `/api/evidence/records/${randomUUID()}/study-design`, { token: fellow.token, json: { studyDesign: 'other' } });
      expect(response.status).toBe(404);
      expect((await apiError(response)).code).toBe('record.not_found');
    });

    it('describes the route and the record’s hand-set design in the OpenAPI document', async () => {
      const document = (await (await send(app, '/api/openapi.json')).json()) as {
        paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, { enum?: unknown[]; nullable?: boolean }> } }> } }>>;
      };
      const route = document.paths['/evidence/records/{id}/study-design']?.post;
      const field = route?.requestBody?.content['application/json']?.schema.properties.studyDesign;
      expect(field?.enum).toEqual(expect.arrayContaining(['rct', 'guideline', 'other']));
      expect(field?.nullable).toBe(true);
      expect(JSON.stringify(document)).toContain('studyDesignSetByHand');
    });
  });
});
