import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { buildActor, buildWorkspace, needInput, TEST_PASSWORD, testHasher } from '../../test/support/builders.js';
import { buildApp, cookieNamed, csrfFieldOf, randomIp, send, signInAs, type App } from '../../test/support/http.js';
import { createServices, type Services } from '../compose.js';
import type { Clock } from '../core/shared/clock.js';
import type { Database } from '../adapters/db/database.js';
import { ANONYMOUS_CSRF_COOKIE } from './context.js';

const day = 86_400_000;
const tokenIn = (text: string): string => /\/followups\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

describe.each(testDatabases)('impact pages on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let app: App;
  let now = new Date();
  const clock: Clock = { now: () => now };
  const mailbox: { to: string; subject: string; text: string }[] = [];

  beforeAll(async () => {
    db = await open();
    services = createServices(db, {
      hasher: testHasher,
      indexPollMs: 0,
      clock,
      mailer: { send: async (message) => void mailbox.push(message) },
      publicUrl: 'https://mobilise.example',
      followupMonths: [1],
    });
    app = buildApp(services);
  });
  afterAll(async () => {
    await db.close();
  });

  /** A delivered need whose one-month follow-up has been emailed: its link's token. */
  const emailedFollowup = async () => {
    now = new Date();
    const workspace = await buildWorkspace(services);
    const need = await services.needs.submitNeed(workspace.requester.actor, needInput());
    await services.triage.triageNeed(workspace.fellow.actor, need.id, { action: 'accept', tier: 'quick_answer', supportKinds: ['briefing'], fellowIds: [] });
    await services.triage.changeStatus(workspace.fellow.actor, need.id, { status: 'in_progress' });
    await services.triage.changeStatus(workspace.fellow.actor, need.id, { status: 'delivered' });
    now = new Date(now.getTime() + 32 * day);
    await services.followups.sendDue();
    const message = mailbox.find((entry) => entry.to === workspace.requester.email);
    return { ...workspace, need, token: tokenIn(message?.text ?? '') };
  };

  /** Opens the form as a visitor without an account: the anonymous CSRF cookie and the form's token. */
  const openForm = async (token: string, ip: string) => {
    const response = await send(app, `/followups/${token}`, { ip });
    const cookie = cookieNamed(response, ANONYMOUS_CSRF_COOKIE);
    const html = await response.text();
    return { response, html, cookie: cookie ? `${cookie.name}=${cookie.value}` : '', csrf: html.includes('name="_csrf"') ? csrfFieldOf(html) : '' };
  };

  describe('the follow-up form', () => {
    it('opens without an account, is never cached, and takes one answer, protected against CSRF', async () => {
      const { token } = await emailedFollowup();
      const ip = randomIp();
      const form = await openForm(token, ip);
      expect(form.response.status).toBe(200);
      expect(form.response.headers.get('cache-control')).toBe('no-store');
      expect(form.html).toContain('Did our evidence help?');
      expect(form.html).toContain('name="uses"');
      expect(form.cookie).not.toBe('');

      const answer = { uses: ['informed_decision', 'shared'], differences: ['skills'], detail: 'The board funded it' };
      const forged = await send(app, `/followups/${token}`, { ip, cookies: [form.cookie], form: answer, csrf: 'not-the-token-at-all-xxxxxxxx' });
      expect(forged.status).toBe(403);
      const noCookie = await send(app, `/followups/${token}`, { ip, form: answer, csrf: form.csrf });
      expect(noCookie.status).toBe(403);

      const invalid = await send(app, `/followups/${token}`, { ip, cookies: [form.cookie], form: { uses: 'not_used' }, csrf: form.csrf });
      expect(invalid.status).toBe(422);
      expect(await invalid.text()).toContain('Tell us why it has not been used');

      const accepted = await send(app, `/followups/${token}`, { ip, cookies: [form.cookie], form: answer, csrf: form.csrf });
      expect(accepted.status).toBe(303);
      expect(accepted.headers.get('location')).toBe(`/followups/${token}`);
      const thanks = await openForm(token, ip);
      expect(thanks.html).toContain('Your answer has been recorded');
      expect(thanks.html).not.toContain('name="uses"');

      const again = await send(app, `/followups/${token}`, { ip, cookies: [form.cookie], form: { uses: 'shared' }, csrf: form.csrf });
      expect(again.status).toBe(409);
      expect(await again.text()).toContain('answered already, so we have kept the first answer');
    });

    it('says when a link has expired, and refuses unknown links', async () => {
      const { token } = await emailedFollowup();
      const ip = randomIp();
      const form = await openForm(token, ip);
      now = new Date(now.getTime() + 91 * day);
      const expired = await openForm(token, ip);
      expect(expired.response.status).toBe(200);
      expect(expired.html).toContain('This link has expired');
      const late = await send(app, `/followups/${token}`, { ip, cookies: [form.cookie], form: { uses: 'shared' }, csrf: form.csrf });
      expect(late.status).toBe(409);
      expect((await send(app, `/followups/${'x'.repeat(43)}`)).status).toBe(404);
    });
  });

  describe('pages for fellows', () => {
    it('lists due follow-ups for a fellow to send by hand, showing the link once', async () => {
      now = new Date();
      const { requester, fellow } = await buildWorkspace(services);
      const need = await services.needs.submitNeed(requester.actor, needInput());
      // No address: the follow-up waits for a fellow even though email is set up.
      await services.followups.schedule({ needId: need.id, deliveredAt: new Date(now.getTime() - 40 * day), recipientEmail: undefined });
      await db.query('update followups set recipient_email = null where need_id = $1', [need.id]);
      const session = await signInAs(app, fellow.email, TEST_PASSWORD);
      const page = await send(app, '/followups', { session });
      expect(page.status).toBe(200);
      const html = await page.text();
      const [row] = await db.query<{ id: string }>('select id from followups where need_id = $1', [need.id]);
      expect(html).toContain(need.reference);
      expect(html).toContain(`action="/followups/${row?.id}/link"`);
      expect(html).toContain('No email address');
      const issued = await send(app, `/followups/${row?.id}/link`, { session, form: {} });
      expect(issued.status).toBe(200);
      expect(issued.headers.get('cache-control')).toBe('no-store');
      const link = /<code id="followup-link">([^<]+)<\/code>/.exec(await issued.text())?.[1] ?? '';
      expect(link).toMatch(/^https:\/\/mobilise\.example\/followups\/[A-Za-z0-9_-]{43}$/);
      expect((await openForm(tokenIn(link), randomIp())).html).toContain('Did our evidence help?');

      const requesterSession = await signInAs(app, requester.email, TEST_PASSWORD);
      expect((await send(app, '/followups', { session: requesterSession })).status).toBe(403);
      expect((await send(app, `/followups/${row?.id}/link`, { session: requesterSession, form: {} })).status).toBe(403);
    });

    it('logs activities through the form, with errors shown beside the fields', async () => {
      now = new Date();
      const { fellow, organisation } = await buildWorkspace(services);
      const session = await signInAs(app, fellow.email, TEST_PASSWORD);
      const form = await send(app, '/activities', { session });
      expect(form.status).toBe(200);
      const title = `Evidence café ${Math.random().toString(36).slice(2, 8)}`;
      const logged = await send(app, '/activities', {
        session,
        form: { kind: 'training', title, occurredOn: '2026-01-15', hours: '2.5', organisationId: organisation.id, themeId: '', needId: '', notes: '' },
      });
      expect(logged.status).toBe(303);
      const list = await (await send(app, `/activities?fellowId=${fellow.user.id}`, { session })).text();
      expect(list).toContain(title);
      expect(list).toContain('1 activity, 2.5 hours in all');
      const wrong = await send(app, '/activities', { session, form: { kind: 'training', title: 'x', occurredOn: '2999-01-01', hours: 'lots' } });
      expect(wrong.status).toBe(422);
      const errors = await wrong.text();
      expect(errors).toContain('Describe the activity in at least 3 characters');
      expect(errors).toContain('Enter the hours as a number, like 1.5');
    });

    it('lists impact records and lets a fellow reclassify one', async () => {
      const { token, fellow, need } = await emailedFollowup();
      await services.followups.answer(token, { uses: ['shared'], differences: [], detail: 'Shared with the ICB', notUsedReason: undefined });
      const session = await signInAs(app, fellow.email, TEST_PASSWORD);
      const page = await (await send(app, '/impact', { session })).text();
      expect(page).toContain('Shared with the ICB');
      const [record] = (await services.impact.list(fellow.actor, { needId: need.id, limit: 1, offset: 0 })).records;
      const saved = await send(app, `/impact/${record?.id}/kinds`, { session, form: { kinds: ['conceptual', 'capacity_building'] } });
      expect(saved.status).toBe(303);
      expect((await services.impact.list(fellow.actor, { needId: need.id, limit: 1, offset: 0 })).records[0]?.kinds).toEqual(['conceptual', 'capacity_building']);
      const logged = await send(app, '/impact', { session, form: { needId: need.id, uses: 'changed_service', kinds: 'instrumental', detail: 'New pathway' } });
      expect(logged.status).toBe(303);
      expect((await services.impact.list(fellow.actor, { needId: need.id, limit: 5, offset: 0 })).total).toBe(2);
    });
  });

  describe('the dashboard', () => {
    it('shows leads each figure as a named chart beside its table, with CSV and SVG downloads', async () => {
      now = new Date();
      const lead = await buildActor(services, 'lead');
      const session = await signInAs(app, lead.email, TEST_PASSWORD);
      const page = await send(app, '/dashboard?from=2026-01-01&to=2026-03-31', { session });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<svg');
      expect(html).toContain('role="img" aria-labelledby="chart-needs-per-month-title chart-needs-per-month-desc"');
      expect(html).toContain('<table class="nhsuk-table" id="table-needs-per-month">');
      expect(html).toContain('href="/dashboard.csv?from=2026-01-01&amp;to=2026-03-31"');

      const all = await send(app, '/dashboard.csv?from=2026-01-01&to=2026-03-31', { session });
      expect(all.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(all.headers.get('content-disposition')).toBe('attachment; filename="mobilise-dashboard-2026-01-01-to-2026-03-31.csv"');
      const bytes = new Uint8Array(await all.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(new TextDecoder().decode(bytes.slice(3)).split('\n')[0]).toBe('figure,title,category,measure,value,from,to');

      const one = await send(app, '/dashboard/figures/needs-per-month.csv?from=2026-01-01&to=2026-03-31', { session });
      expect((await one.text()).replace('\uFEFF', '').split('\n').slice(0, 2)[0]).toBe('Month,Received,Delivered');
      const svg = await send(app, '/dashboard/figures/activity-hours.svg', { session });
      expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(await svg.text()).toContain('<title id="chart-activity-hours-title">Activity hours by kind</title>');
      expect((await send(app, '/dashboard/figures/headline.svg', { session })).status).toBe(404);
      expect((await send(app, '/dashboard/figures/nothing.csv', { session })).status).toBe(404);

      const backwards = await send(app, '/dashboard?from=2026-03-01&to=2026-01-01', { session });
      expect(backwards.status).toBe(422);
      expect(await backwards.text()).toContain('The end must be on or after the start');
      expect((await send(app, '/dashboard.csv?from=2026-13-01', { session })).status).toBe(422);
    });

    it('is forbidden to requesters, and reached by fellows', async () => {
      now = new Date();
      const { requester, fellow } = await buildWorkspace(services);
      const requesterSession = await signInAs(app, requester.email, TEST_PASSWORD);
      expect((await send(app, '/dashboard', { session: requesterSession })).status).toBe(403);
      expect((await send(app, '/dashboard.csv', { session: requesterSession })).status).toBe(403);
      expect((await send(app, '/activities', { session: requesterSession })).status).toBe(403);
      expect((await send(app, '/impact', { session: requesterSession })).status).toBe(403);
      const fellowSession = await signInAs(app, fellow.email, TEST_PASSWORD);
      expect((await send(app, '/dashboard', { session: fellowSession })).status).toBe(200);
      expect((await send(app, '/dashboard')).status).toBe(303);
    });
  });
});
