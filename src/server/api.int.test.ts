import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { buildActor, buildTheme, buildWorkspace, needInput, TEST_PASSWORD, testHasher } from '../../test/support/builders.js';
import { apiError, BODY_LIMIT_BYTES, buildApp, send, signInAs, type App } from '../../test/support/http.js';
import { roles, type Actor } from '../core/accounts/roles.js';
import type { NeedInput } from '../core/needs/need.schema.js';
import { createServices, type Services } from '../compose.js';
import type { Database } from '../adapters/db/database.js';
import { apiRoutes } from './api/routes.js';

type NeedBody = { id: string; status: string; title: string; createdBy: { id: string } };

describe.each(testDatabases)('JSON API on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher });
    app = buildApp(services);
  });
  afterAll(async () => {
    await db.close();
  });

  const tokenFor = async (actor: Actor) => (await services.accounts.createApiToken(actor, 'tests')).token;
  const postNeed = async (token: string, overrides: Partial<NeedInput> = {}) => {
    const response = await send(app, '/api/needs', { token, json: needInput(overrides) });
    expect(response.status).toBe(201);
    return (await response.json()) as NeedBody;
  };

  describe('errors', () => {
    it('refuses requests without a session or token with 401 auth.unauthenticated, writes included', async () => {
      for (const path of ['/api/needs', '/api/me', `/api/needs/${randomUUID()}/comments`]) {
        const response = await send(app, path);
        expect(response.status, path).toBe(401);
        expect((await apiError(response)).code).toBe('auth.unauthenticated');
      }
      const write = await send(app, '/api/needs', { json: needInput() });
      expect(write.status).toBe(401);
      expect((await apiError(write)).code).toBe('auth.unauthenticated');
    });

    it('answers an unknown need id with 404 need.not_found, and a malformed id with 422 naming the field', async () => {
      const { requester } = await buildWorkspace(services);
      const token = await tokenFor(requester.actor);
      const missing = await send(app, `/api/needs/${randomUUID()}`, { token });
      expect(missing.status).toBe(404);
      expect((await apiError(missing)).code).toBe('need.not_found');
      const malformed = await send(app, '/api/needs/not-a-uuid', { token });
      expect(malformed.status).toBe(422);
      expect((await apiError(malformed)).details).toMatchObject({ fields: { id: expect.any(String) } });
    });

    it('answers an unknown route with 404 request.not_found as JSON', async () => {
      const response = await send(app, `/api/${randomUUID()}`);
      expect(response.status).toBe(404);
      expect((await apiError(response)).code).toBe('request.not_found');
    });

    it('rejects an invalid need with 422 and one message per field', async () => {
      const { requester } = await buildWorkspace(services);
      const response = await send(app, '/api/needs', { token: await tokenFor(requester.actor), json: { title: 'ab', urgency: 'whenever', audiences: [] } });
      expect(response.status).toBe(422);
      const error = await apiError(response);
      expect(error.code).toBe('validation.failed');
      const fields = error.details.fields as Record<string, string>;
      expect(Object.keys(fields).sort()).toEqual(['audiences', 'decision', 'question', 'title', 'urgency']);
      for (const message of Object.values(fields)) {
        expect(message).toMatch(/\w/);
      }
      expect((await services.needs.listNeeds(requester.actor, { mine: true, limit: 10, offset: 0 })).total).toBe(0);
    });

    it('rejects malformed JSON as a client error, not a 500', async () => {
      const { requester } = await buildWorkspace(services);
      const response = await send(app, '/api/needs', { token: await tokenFor(requester.actor), text: '{"title": "Falls', contentType: 'application/json' });
      expect([400, 422]).toContain(response.status);
      expect((await apiError(response)).code).toBe('validation.failed');
    });

    it('refuses a status change the life cycle does not allow with 409 and leaves the need as it was', async () => {
      const { requester, fellow } = await buildWorkspace(services);
      const need = await postNeed(await tokenFor(requester.actor));
      const fellowToken = await tokenFor(fellow.actor);
      const response = await send(app, `/api/needs/${need.id}/status`, { token: fellowToken, json: { status: 'delivered' } });
      expect(response.status).toBe(409);
      const error = await apiError(response);
      expect(error).toMatchObject({ code: 'need.invalid_transition', details: { from: 'submitted', to: 'delivered' } });
      const after = await send(app, `/api/needs/${need.id}`, { token: fellowToken });
      expect(((await after.json()) as NeedBody).status).toBe('submitted');
    });

    it("forbids a requester to read another organisation's private need, or to triage", async () => {
      const mine = await buildWorkspace(services);
      const other = await buildWorkspace(services);
      const hidden = await postNeed(await tokenFor(other.requester.actor));
      const token = await tokenFor(mine.requester.actor);
      const read = await send(app, `/api/needs/${hidden.id}`, { token });
      expect(read.status).toBe(403);
      expect((await apiError(read)).code).toBe('auth.forbidden');
      for (const path of [`/api/needs/${hidden.id}/comments`, `/api/needs/${hidden.id}/history`]) {
        expect((await send(app, path, { token })).status, path).toBe(403);
      }

      const own = await postNeed(token);
      const triage = await send(app, `/api/needs/${own.id}/triage`, { token, json: { action: 'accept', tier: 'quick_answer', supportKinds: ['briefing'] } });
      expect(triage.status).toBe(403);
      expect((await apiError(triage)).code).toBe('auth.forbidden');
      expect((await services.needs.getNeed(mine.fellow.actor, own.id as never)).status).toBe('submitted');
    });

    it('turns an unexpected failure into 500 "Internal error" with the request id, logging the cause but showing no SQL or stack', async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const failing: Services = {
        ...services,
        needs: {
          ...services.needs,
          listNeeds: () => {
            throw new Error('relation missing in: select * from needs where organisation_id = $1');
          },
        },
      };
      const failingApp = buildApp(failing, { logger: pino({ level: 'error' }, sink) });
      const { requester } = await buildWorkspace(services);
      const response = await send(failingApp, '/api/needs', { token: await tokenFor(requester.actor) });
      expect(response.status).toBe(500);
      const text = await response.text();
      const body = JSON.parse(text) as { error: { code: string; message: string; details: { requestId?: string } } };
      expect(body.error).toMatchObject({ code: 'internal', message: 'Internal error' });
      expect(body.error.details.requestId).toBe(response.headers.get('x-request-id'));
      expect(text).not.toMatch(/select|from needs|organisation_id|relation missing/i);
      expect(text).not.toMatch(/\bat .+:\d+:\d+/);
      const logged = lines.map((line) => JSON.parse(line) as { requestId?: string; err?: { message?: string } });
      expect(logged).toContainEqual(expect.objectContaining({ requestId: body.error.details.requestId, err: expect.objectContaining({ message: expect.stringContaining('select * from needs') }) }));
    });

    it.each([
      ['with a Content-Length header', true],
      ['streamed without a length', false],
    ])('refuses a body over the limit with 413 request.too_large (%s)', async (_label, hasLength) => {
      const { requester } = await buildWorkspace(services);
      const token = await tokenFor(requester.actor);
      const text = JSON.stringify(needInput({ question: 'x'.repeat(BODY_LIMIT_BYTES) }));
      const response = await send(app, '/api/needs', { token, text, headers: hasLength ? { 'content-length': String(Buffer.byteLength(text)) } : {} });
      expect(response.status).toBe(413);
      const error = await apiError(response);
      expect(error).toMatchObject({ code: 'request.too_large', details: { limit: BODY_LIMIT_BYTES } });
      expect((await services.needs.listNeeds(requester.actor, { mine: true, limit: 10, offset: 0 })).total).toBe(0);
    });
  });

  describe('CSRF and API tokens', () => {
    it('refuses a write with the session cookie but no or a wrong X-CSRF-Token, and accepts it with the right one', async () => {
      const { requester } = await buildWorkspace(services);
      const session = await signInAs(app, requester.email, TEST_PASSWORD);
      for (const csrf of [null, 'not-the-token', `${session.csrfToken}x`]) {
        const refused = await send(app, '/api/needs', { session, csrf, json: needInput() });
        expect(refused.status).toBe(403);
        expect((await apiError(refused)).code).toBe('auth.csrf_failed');
      }
      expect((await services.needs.listNeeds(requester.actor, { mine: true, limit: 10, offset: 0 })).total).toBe(0);

      const accepted = await send(app, '/api/needs', { session, json: needInput() });
      expect(accepted.status).toBe(201);
      expect(((await accepted.json()) as NeedBody).createdBy.id).toBe(requester.actor.userId);
    });

    it('accepts a write with a personal API token and no CSRF token, and reports no csrfToken for it', async () => {
      const { requester } = await buildWorkspace(services);
      const token = await tokenFor(requester.actor);
      const need = await postNeed(token);
      expect(need.createdBy.id).toBe(requester.actor.userId);
      const me = (await (await send(app, '/api/me', { token })).json()) as Record<string, unknown>;
      expect(me).toMatchObject({ id: requester.actor.userId, email: requester.email, role: 'requester' });
      expect(me).not.toHaveProperty('csrfToken');
    });

    it('refuses a revoked, unknown or malformed token with 401 auth.token_invalid', async () => {
      const { requester } = await buildWorkspace(services);
      const { token, apiToken } = await services.accounts.createApiToken(requester.actor, 'soon revoked');
      expect((await send(app, '/api/me', { token })).status).toBe(200);
      await services.accounts.revokeApiToken(requester.actor, apiToken.id);
      const attempts = [{ token }, { token: `mob_${randomUUID()}` }, { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }];
      for (const attempt of attempts) {
        const response = await send(app, '/api/needs', { ...attempt, json: needInput() });
        expect(response.status).toBe(401);
        expect((await apiError(response)).code).toBe('auth.token_invalid');
      }
      expect((await services.needs.listNeeds(requester.actor, { mine: true, limit: 10, offset: 0 })).total).toBe(0);
    });
  });

  describe('visibility', () => {
    it('lists for a requester their organisation’s needs and public ones, never another organisation’s private ones; a fellow sees all', async () => {
      const mine = await buildWorkspace(services);
      const other = await buildWorkspace(services);
      const mineToken = await tokenFor(mine.requester.actor);
      const otherToken = await tokenFor(other.requester.actor);
      const own = await postNeed(mineToken);
      const hidden = await postNeed(otherToken);
      const shared = await postNeed(otherToken, { isPublic: true });

      const idsFor = async (token: string, query: string) => {
        const response = await send(app, `/api/needs?${query}`, { token });
        expect(response.status).toBe(200);
        const body = (await response.json()) as { needs: NeedBody[]; total: number };
        expect(body.total).toBe(body.needs.length);
        return body.needs.map((need) => need.id).sort();
      };
      expect(await idsFor(mineToken, `organisationId=${mine.organisation.id}`)).toEqual([own.id]);
      expect(await idsFor(mineToken, `organisationId=${other.organisation.id}`)).toEqual([shared.id]);
      expect(await idsFor(mineToken, 'mine=true')).toEqual([own.id]);
      expect(await idsFor(otherToken, `organisationId=${mine.organisation.id}`)).toEqual([]);
      const fellowToken = await tokenFor(mine.fellow.actor);
      expect(await idsFor(fellowToken, `organisationId=${other.organisation.id}`)).toEqual([hidden.id, shared.id].sort());
      expect((await send(app, `/api/needs/${shared.id}`, { token: mineToken })).status).toBe(200);
    });

    it('hides internal notes from the requester and refuses them an internal note of their own', async () => {
      const { requester, fellow } = await buildWorkspace(services);
      const requesterToken = await tokenFor(requester.actor);
      const fellowToken = await tokenFor(fellow.actor);
      const need = await postNeed(requesterToken);
      const note = `Internal ${randomUUID()}`;
      const message = `Public ${randomUUID()}`;
      for (const [body, isInternal] of [[note, true], [message, false]] as const) {
        expect((await send(app, `/api/needs/${need.id}/comments`, { token: fellowToken, json: { body, isInternal } })).status).toBe(201);
      }
      const bodiesFor = async (token: string) => ((await (await send(app, `/api/needs/${need.id}/comments`, { token })).json()) as { body: string }[]).map((comment) => comment.body);
      expect(await bodiesFor(requesterToken)).toEqual([message]);
      expect(await bodiesFor(fellowToken)).toEqual([note, message]);

      const refused = await send(app, `/api/needs/${need.id}/comments`, { token: requesterToken, json: { body: 'Sneaky', isInternal: true } });
      expect(refused.status).toBe(403);
      expect((await apiError(refused)).code).toBe('auth.forbidden');
    });
  });

  describe('OpenAPI document', () => {
    type Operation = {
      requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
      responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
    };
    type Document = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>> };

    const fetchDocument = async () => {
      const response = await send(app, '/api/openapi.json');
      expect(response.status).toBe(200);
      return (await response.json()) as Document;
    };

    it('is served without signing in and lists every registered route with its schemas', async () => {
      const document = await fetchDocument();
      expect(document.openapi).toMatch(/^3\./);
      expect(document.info.version).toMatch(/\w/);
      const specs = apiRoutes(services);
      const listed = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
      expect(listed.sort()).toEqual(specs.map((spec) => `${spec.method} ${spec.path}`).sort());
      for (const path of ['/needs', '/needs/{id}', '/needs/{id}/comments', '/organisations', '/themes', '/me']) {
        expect(document.paths, path).toHaveProperty([path]);
      }
      for (const spec of specs) {
        const operation = document.paths[spec.path]?.[spec.method];
        const success = operation?.responses[String(spec.status ?? 200)]?.content?.['application/json']?.schema;
        expect(success, `${spec.method} ${spec.path} response`).toEqual(expect.objectContaining({ type: expect.any(String) }));
        expect(operation?.responses.default?.content?.['application/json']?.schema).toMatchObject({ properties: { error: expect.any(Object) } });
        if (spec.body) {
          const schema = operation?.requestBody?.content['application/json']?.schema ?? {};
          const variants = (schema.oneOf ?? schema.anyOf ?? [schema]) as Record<string, unknown>[];
          expect(variants.map((variant) => variant.type), `${spec.method} ${spec.path} body`).toEqual(variants.map(() => 'object'));
          for (const variant of variants) {
            expect(Object.keys(variant.properties ?? {}).length, `${spec.method} ${spec.path} body`).toBeGreaterThan(0);
          }
        } else {
          expect(operation?.requestBody).toBeUndefined();
        }
      }
      const postNeeds = document.paths['/needs']?.post;
      expect(postNeeds?.requestBody?.content['application/json']?.schema).toMatchObject({
        properties: { title: expect.any(Object), question: expect.any(Object), urgency: expect.any(Object) },
        required: expect.arrayContaining(['title', 'question', 'decision', 'urgency', 'audiences']),
      });
    });

    it('documents only routes that exist: none of them answers request.not_found', async () => {
      const document = await fetchDocument();
      const { requester } = await buildWorkspace(services);
      const token = await tokenFor(requester.actor);
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const method of Object.keys(operations)) {
          const response = await send(app, `/api${path.replace('{id}', randomUUID())}`, { token, method: method.toUpperCase(), ...(method === 'get' ? {} : { json: {} }) });
          const body = (await response.json()) as { error?: { code: string } };
          expect(body.error?.code, `${method} ${path}`).not.toBe('request.not_found');
        }
      }
      const unknown = await send(app, `/api/needs/${randomUUID()}/${randomUUID()}`, { token });
      expect((await apiError(unknown)).code).toBe('request.not_found');
    });
  });

  it('rejects a person linked to themes that do not exist with 422 naming the field, and links repeated themes once', async () => {
    const { fellow, organisation } = await buildWorkspace(services);
    const token = await tokenFor(fellow.actor);
    const theme = await buildTheme(services);
    const unknown = await send(app, '/api/people', { token, json: { name: 'Dr Ada Example', themeIds: [theme.id, randomUUID()] } });
    expect(unknown.status).toBe(422);
    const error = await apiError(unknown);
    expect(error).toMatchObject({ code: 'validation.failed', details: { fields: { themeIds: expect.any(String) } } });
    expect(JSON.stringify(error)).not.toMatch(/insert|person_themes|foreign key/i);

    const repeated = await send(app, '/api/people', { token, json: { name: 'Dr Ada Example', organisationId: organisation.id, themeIds: [theme.id, theme.id] } });
    expect(repeated.status).toBe(201);
    expect(((await repeated.json()) as { themeIds: string[] }).themeIds).toEqual([theme.id]);
    const listed = (await (await send(app, `/api/people?themeId=${theme.id}`, { token })).json()) as { name: string; organisationId?: string }[];
    expect(listed).toEqual([expect.objectContaining({ name: 'Dr Ada Example', organisationId: organisation.id })]);
  });

  it('gives people’s email addresses to staff only (fellows, leads, administrators), in /api/people and an organisation’s people, and documents it', async () => {
    const { fellow, requester, organisation } = await buildWorkspace(services);
    const email = `${randomUUID()}@partner.example`;
    const created = await send(app, '/api/people', { token: await tokenFor(fellow.actor), json: { name: 'Dr Grace Contact', email, jobTitle: 'Public health lead', organisationId: organisation.id, themeIds: [] } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    for (const role of roles) {
      const actor = role === 'requester' ? requester.actor : role === 'fellow' ? fellow.actor : (await buildActor(services, role)).actor;
      const token = await tokenFor(actor);
      const listed = (await (await send(app, `/api/people?organisationId=${organisation.id}`, { token })).json()) as Record<string, unknown>[];
      const detail = (await (await send(app, `/api/organisations/${organisation.id}`, { token })).json()) as { people: Record<string, unknown>[] };
      for (const person of [listed.find((entry) => entry.id === id), detail.people.find((entry) => entry.id === id)]) {
        // Everyone signed in sees who the person is, where they work and what they know about.
        expect(person, role).toMatchObject({ name: 'Dr Grace Contact', jobTitle: 'Public health lead', organisationId: organisation.id, expertise: '' });
        if (['fellow', 'lead', 'admin'].includes(role)) {
          expect(person?.email, role).toBe(email);
        } else {
          expect(person, role).not.toHaveProperty('email');
        }
      }
    }
    const document = (await (await send(app, '/api/openapi.json')).json()) as {
      paths: Record<string, { get?: { responses: Record<string, { content: Record<string, { schema: { items: { properties: Record<string, { description?: string }>; required: string[] } } }> }> } }>;
    };
    const person = document.paths['/people']?.get?.responses['200']?.content['application/json']?.schema.items;
    expect(person?.required).not.toContain('email');
    expect(person?.properties.email?.description).toMatch(/^Only for staff/);
  });

  it('lets staff create organisations and themes but not requesters', async () => {
    const { requester } = await buildWorkspace(services);
    const lead = await buildActor(services, 'lead');
    const name = `Organisation ${randomUUID()}`;
    const refused = await send(app, '/api/organisations', { token: await tokenFor(requester.actor), json: { name, type: 'local_authority' } });
    expect(refused.status).toBe(403);
    const created = await send(app, '/api/organisations', { token: await tokenFor(lead.actor), json: { name, type: 'local_authority' } });
    expect(created.status).toBe(201);
    const again = await send(app, '/api/organisations', { token: await tokenFor(lead.actor), json: { name, type: 'local_authority' } });
    expect(again.status).toBe(409);
    expect((await apiError(again)).code).toBe('organisation.name_taken');
  });
});
