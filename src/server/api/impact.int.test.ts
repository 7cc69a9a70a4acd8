import { Hono } from 'hono';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.js';
import { buildActor, buildWorkspace, needInput, testHasher } from '../../../test/support/builders.js';
import { apiError, send } from '../../../test/support/http.js';
import type { Actor } from '../../core/accounts/roles.js';
import { isAppError } from '../../core/shared/errors.js';
import { createServices, type Services } from '../../compose.js';
import type { Database } from '../../adapters/db/database.js';
import type { AppEnv } from '../context.js';
import { errorBody, statusFor } from '../errors.js';
import { identify, requireCsrf } from '../middleware/identity.js';
import { openApiDocument, registerRoutes } from './define.js';
import { impactRoutes } from './impact.js';

/** The API as createApp mounts it, with only these routes (until they join `apiRoutes`). */
const buildApiApp = (services: Services) => {
  const app = new Hono<AppEnv>();
  app.use(identify({ services, options: { cookieSecure: false, bodyLimitBytes: 65_536 } }));
  app.use(requireCsrf());
  const api = new Hono<AppEnv>();
  registerRoutes(api, impactRoutes(services), { checkResponses: true });
  app.route('/api', api);
  app.onError((error, c) => {
    if (isAppError(error)) {
      return c.json(errorBody(error.code, error.message, error.details), statusFor(error.code));
    }
    pino({ level: 'silent' }).error(error);
    return c.json(errorBody('internal', String(error)), 500);
  });
  return app;
};

describe.each(testDatabases)('the impact API on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: ReturnType<typeof buildApiApp>;
  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    app = buildApiApp(services);
  });
  afterAll(async () => {
    await db.close();
  });
  const tokenFor = async (actor: Actor) => (await services.accounts.createApiToken(actor, 'tests')).token;

  it('logs and lists activities, impact records and follow-ups for staff, with responses checked against their schemas', async () => {
    const { requester, fellow, organisation } = await buildWorkspace(services);
    const token = await tokenFor(fellow.actor);
    const created = await send(app, '/api/activities', { token, json: { kind: 'evaluation_advice', title: 'Logic model clinic', occurredOn: '2026-01-20', hours: 1.25, organisationId: organisation.id } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ kind: 'evaluation_advice', hours: 1.25, organisation: { id: organisation.id }, isAutomatic: false });
    const listed = await send(app, `/api/activities?fellowId=${fellow.user.id}&kind=evaluation_advice`, { token });
    expect(await listed.json()).toMatchObject({ total: 1, hours: 1.25 });

    const need = await services.needs.submitNeed(requester.actor, needInput());
    const logged = await send(app, '/api/impact', { token, json: { needId: need.id, uses: ['changed_service'], kinds: ['instrumental'], detail: 'New referral pathway' } });
    expect(logged.status).toBe(201);
    const record = (await logged.json()) as { id: string };
    const reclassified = await send(app, `/api/impact/${record.id}`, { method: 'PATCH', token, json: { kinds: ['instrumental', 'culture_change'] } });
    expect(await reclassified.json()).toMatchObject({ kinds: ['instrumental', 'culture_change'] });
    const invalid = await send(app, '/api/impact', { token, json: { needId: need.id, uses: ['not_used'] } });
    expect(invalid.status).toBe(422);
    expect((await apiError(invalid)).details).toMatchObject({ fields: { notUsedReason: 'Tell us why it has not been used' } });

    await services.followups.schedule({ needId: need.id, deliveredAt: new Date() });
    const upcoming = await send(app, '/api/followups?state=upcoming&limit=1000', { token });
    const followups = (await upcoming.json()) as { need: { id: string }; months: number; linkExpiresOn: string }[];
    expect(followups.filter((followup) => followup.need.id === need.id).map((followup) => followup.months)).toEqual([1, 3, 6, 12]);
  });

  it('gives the dashboard figures as JSON to staff only, and checks the period', async () => {
    const lead = await buildActor(services, 'lead');
    const requester = await buildActor(services, 'requester');
    const response = await send(app, '/api/dashboard?from=2026-01-01&to=2026-03-31', { token: await tokenFor(lead.actor) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { range: unknown; figures: { id: string; rows: unknown[] }[] };
    expect(body.range).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(body.figures.find((figure) => figure.id === 'needs-per-month')?.rows).toHaveLength(3);
    const backwards = await send(app, '/api/dashboard?from=2026-03-01&to=2026-01-01', { token: await tokenFor(lead.actor) });
    expect((await apiError(backwards)).code).toBe('validation.failed');
    expect((await apiError(await send(app, '/api/dashboard', { token: await tokenFor(requester.actor) }))).code).toBe('auth.forbidden');
    expect((await apiError(await send(app, '/api/activities'))).code).toBe('auth.unauthenticated');
  });

  it('documents every route in OpenAPI', () => {
    const document = openApiDocument(impactRoutes(services), 'test') as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths).sort()).toEqual(['/activities', '/dashboard', '/followups', '/impact', '/impact/{id}']);
  });
});
