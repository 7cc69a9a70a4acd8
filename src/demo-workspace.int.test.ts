import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHasher } from '../test/support/builders.js';
import { migrate } from './adapters/db/migrate.js';
import { openPglite } from './adapters/db/pglite.js';
import type { Database } from './adapters/db/database.js';
import { createServices, type Services } from './compose.js';
import { demoAccounts, seedDemoWorkspace } from './demo-workspace.js';

// The demo is seeded only into an empty database, so this runs on a fresh PGlite of its own.
describe('the demo workspace', () => {
  let db: Database;
  let services: Services;
  beforeAll(async () => {
    db = await openPglite({ dataDir: undefined });
    await migrate(db);
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    expect(await seedDemoWorkspace(services, new Date('2026-11-26T09:00:00Z'))).toBe(true);
  });
  afterAll(async () => {
    await db.close();
  });

  it('is seeded once, with a rapid review of the loneliness need that the model already orders', async () => {
    expect(await seedDemoWorkspace(services, new Date())).toBe(false);
    const fellowAccount = demoAccounts.find((account) => account.role === 'fellow');
    const [user] = await db.query<{ id: string; name: string }>('select id, name from users where email = $1', [fellowAccount?.email]);
    const fellow = { userId: user?.id, role: 'fellow', organisationId: undefined, name: user?.name } as Parameters<Services['reviews']['listReviews']>[0];
    const [summary] = await services.reviews.listReviews(fellow);
    expect(summary).toMatchObject({ title: 'Community interventions for loneliness in older people: rapid review', status: 'screening' });
    expect(summary?.records).toBe(10);
    const overview = await services.reviews.overview(fellow, summary?.id as never);
    expect(overview.review.members.map((member) => member.role).sort()).toEqual(['lead', 'screener']);
    expect(overview.stages.title_abstract).toMatchObject({ included: 1, excluded: 1 });
    await services.ranker.idle(summary?.id as never);
    const next = await services.reviews.nextCard(fellow, summary?.id as never, 'title_abstract');
    expect(next?.order.by).toBe('model');
    // The extraction form is there to fill in once a record is included at full text.
    const form = await services.extraction.getForm(fellow, summary?.id as never);
    expect(form.fields.map((field) => field.kind)).toEqual(['text', 'choice', 'number', 'number', 'table', 'text']);
  });

  it('has one delivered need with its delivered briefing, citing the demo evidence, and follow-ups scheduled', async () => {
    const [row] = await db.query<{ id: string; need_id: string; status: string }>("select id, need_id, status from briefings where status = 'delivered'");
    expect(row).toBeDefined();
    const [need] = await db.query<{ status: string; title: string }>('select status, title from needs where id = $1', [row?.need_id]);
    expect(need).toEqual({ status: 'delivered', title: 'Alcohol brief interventions in emergency departments' });
    const admin = { userId: '00000000-0000-0000-0000-000000000000', role: 'admin', organisationId: undefined, name: 'test' } as Parameters<Services['briefings']['document']>[0];
    const document = await services.briefings.document(admin, row?.id as never);
    expect(document.references).toHaveLength(2);
    expect(document.sections.map((section) => section.key)).toContain('bottom_line');
    const followups = await db.query<{ months: number }>('select months from followups where need_id = $1 order by months', [row?.need_id]);
    expect(followups.map((followup) => followup.months)).toEqual([1, 3, 6, 12]);
  });
});
