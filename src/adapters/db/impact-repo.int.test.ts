import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.js';
import { startTestSmtp } from '../../../test/support/smtp.js';
import { buildActor, buildOrganisation, buildTheme, buildWorkspace, needInput, testHasher } from '../../../test/support/builders.js';
import { createServices, type Services } from '../../compose.js';
import type { Clock } from '../../core/shared/clock.js';
import type { NeedId } from '../../core/shared/ids.js';
import type { Need } from '../../core/needs/types.js';
import type { FollowupAnswer } from '../../core/impact/impact.schema.js';
import { createSmtpMailer } from '../mail/smtp-mailer.js';
import type { Database } from './database.js';

/** A clock the test moves by hand. */
const settableClock = (start: Date) => {
  let now = start;
  const clock: Clock = { now: () => now };
  return { clock, set: (at: string | Date) => (now = new Date(at)) };
};

/** The message body as text: quoted-printable soft line breaks and escapes undone. */
const decoded = (raw: string | undefined): string =>
  (raw ?? '').replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_whole, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

const tokenIn = (text: string): string => /\/followups\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

const used: FollowupAnswer = { uses: ['informed_decision'], differences: ['culture'], detail: 'It went to the board.', notUsedReason: undefined };

describe.each(testDatabases)('follow-ups, activities and impact on $name', ({ open }) => {
  let db: Database;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  const mailbox: { to: string; subject: string; text: string }[] = [];
  const time = settableClock(new Date('2026-05-01T09:00:00Z'));
  let services: Services;
  let smtpServices: Services;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    db = await open();
    const mailer = { send: async (message: { to: string; subject: string; text: string }) => void mailbox.push(message) };
    services = createServices(db, { hasher: testHasher, indexPollMs: 0, clock: time.clock, mailer, publicUrl: 'https://mobilise.example', followupMonths: [1, 3] });
    smtpServices = createServices(db, {
      hasher: testHasher,
      indexPollMs: 0,
      clock: time.clock,
      mailer: createSmtpMailer(smtp.url, 'Mobilise <test@localhost>'),
      publicUrl: 'https://mobilise.example',
    });
  });
  afterAll(async () => {
    await db.close();
    await smtp.close();
  });

  /** A need accepted and marked delivered, its history put at the given instants. */
  const deliveredNeed = async (options: { at?: { received: string; triaged: string; delivered: string }; supportKind?: 'briefing' | 'collaboration'; tier?: 'quick_answer' | 'partnership'; themeIds?: string[] } = {}) => {
    const { requester, fellow } = await buildWorkspace(services);
    const at = options.at ?? { received: '2026-05-01T09:00:00Z', triaged: '2026-05-01T10:00:00Z', delivered: '2026-05-01T11:00:00Z' };
    time.set(at.received);
    const need = await services.needs.submitNeed(requester.actor, needInput({ themeIds: options.themeIds ?? [] }));
    await db.query('update needs set created_at = $2 where id = $1', [need.id, at.received]);
    time.set(at.triaged);
    await services.triage.triageNeed(fellow.actor, need.id, { action: 'accept', tier: options.tier ?? 'quick_answer', supportKinds: [options.supportKind ?? 'briefing'], fellowIds: [fellow.user.id] });
    await db.query("update need_events set created_at = $2 where need_id = $1 and kind = 'triaged'", [need.id, at.triaged]);
    await services.triage.changeStatus(fellow.actor, need.id, { status: 'in_progress' });
    time.set(at.delivered);
    const delivered = await services.triage.changeStatus(fellow.actor, need.id, { status: 'delivered' });
    await db.query("update need_events set created_at = $2 where need_id = $1 and to_status = 'delivered'", [need.id, at.delivered]);
    return { need: delivered, requester, fellow };
  };

  describe('scheduling and sending', () => {
    it('schedules follow-ups for a need marked delivered, to its requester, and logs the work as activities', async () => {
      const { need, requester, fellow } = await deliveredNeed();
      const upcoming = (await services.followups.list(fellow.actor, 'upcoming', 1000)).filter((followup) => followup.need.id === need.id);
      expect(upcoming.map((followup) => [followup.months, followup.dueOn, followup.recipientEmail, followup.recipientName])).toEqual([
        [1, '2026-06-01', requester.email, requester.user.name],
        [3, '2026-08-01', requester.email, requester.user.name],
      ]);
      expect(upcoming[0]?.fellows).toEqual([{ id: fellow.user.id, name: fellow.user.name }]);
      const { activities } = await services.activities.list(fellow.actor, { needId: need.id, limit: 10, offset: 0 });
      expect(activities.map((activity) => [activity.kind, activity.title, activity.isAutomatic, activity.fellow.id, activity.organisation?.id])).toEqual([
        ['briefing', `Delivered ${need.reference}: ${need.title}`, true, fellow.user.id, need.organisationId],
        ['briefing', `Accepted ${need.reference}: ${need.title}`, true, fellow.user.id, need.organisationId],
      ]);
      // Delivering again (after reopening) neither duplicates the follow-ups nor the activity.
      await services.triage.changeStatus(fellow.actor, need.id, { status: 'in_progress' });
      await services.triage.changeStatus(fellow.actor, need.id, { status: 'delivered' });
      expect((await services.followups.list(fellow.actor, 'upcoming', 1000)).filter((followup) => followup.need.id === need.id)).toHaveLength(2);
      expect((await services.activities.list(fellow.actor, { needId: need.id, limit: 10, offset: 0 })).total).toBe(2);
    });

    it('emails due follow-ups once through a real SMTP server, with a link that opens the form', async () => {
      const { need, requester, fellow } = await deliveredNeed();
      time.set('2026-06-02T08:00:00Z');
      const result = await smtpServices.followups.sendDue();
      expect(result.sent).toBeGreaterThanOrEqual(1);
      const message = smtp.received.find((entry) => entry.to.includes(requester.email));
      const text = decoded(message?.raw);
      expect(text).toContain(`${need.reference}`);
      const token = tokenIn(text);
      const opened = await smtpServices.followups.open(token);
      expect(opened).toMatchObject({ state: 'open', followup: { need: { id: need.id }, months: 1, sentVia: 'smtp' }, expiresOn: '2026-08-31' });
      await smtpServices.followups.sendDue();
      expect(smtp.received.filter((entry) => entry.to.includes(requester.email))).toHaveLength(1);
      expect((await smtpServices.followups.list(fellow.actor, 'awaiting')).some((followup) => followup.need.id === need.id)).toBe(true);
      // The 3-month follow-up is not due yet.
      expect((await smtpServices.followups.list(fellow.actor, 'upcoming', 1000)).filter((followup) => followup.need.id === need.id).map((followup) => followup.months)).toEqual([3]);
    });

    it('attaches a need’s follow-ups to the output then delivered, once', async () => {
      const { need, fellow } = await deliveredNeed();
      const [briefing] = await db.query<{ id: string }>(
        "insert into briefings (need_id, template, title, created_by_id) values ($1, 'decision', 'Falls: what works', $2) returning id",
        [need.id, fellow.user.id],
      );
      const briefingId = (briefing?.id ?? '') as never;
      await services.followThrough.outputDelivered(fellow.actor, { needId: need.id, briefing: { id: briefingId, reference: 'BR-TEST', title: 'Falls: what works' }, deliveredAt: time.clock.now() });
      const mine = (await services.followups.list(fellow.actor, 'upcoming', 1000)).filter((followup) => followup.need.id === need.id);
      expect(mine.map((followup) => [followup.months, followup.briefing?.title])).toEqual([
        [1, 'Falls: what works'],
        [3, 'Falls: what works'],
      ]);
      const { activities } = await services.activities.list(fellow.actor, { needId: need.id, kind: 'briefing', limit: 10, offset: 0 });
      expect(activities[0]).toMatchObject({ title: 'Delivered BR-TEST: Falls: what works', briefing: { id: briefingId, title: 'Falls: what works' } });
    });
  });

  describe('answering', () => {
    const sentFollowup = async () => {
      const context = await deliveredNeed();
      time.set('2026-06-02T08:00:00Z');
      await services.followups.sendDue();
      const message = mailbox.find((entry) => entry.to === context.requester.email);
      return { ...context, token: tokenIn(message?.text ?? '') };
    };

    it('keeps one impact record per follow-up, linked to the need and its fellows; a second answer is refused', async () => {
      const { need, fellow, token } = await sentFollowup();
      await services.followups.answer(token, used);
      await expect(services.followups.answer(token, used)).rejects.toMatchObject({ code: 'followup.already_answered' });
      const { records, total } = await services.impact.list(fellow.actor, { needId: need.id, limit: 10, offset: 0 });
      expect(total).toBe(1);
      expect(records[0]).toMatchObject({
        need: { id: need.id, reference: need.reference },
        followup: { months: 1 },
        uses: ['informed_decision'],
        kinds: ['instrumental', 'culture_change'],
        detail: 'It went to the board.',
        fellows: [{ id: fellow.user.id, name: fellow.user.name }],
        recordedBy: undefined,
      });
      expect((await services.followups.list(fellow.actor, 'answered', 1000)).some((followup) => followup.need.id === need.id)).toBe(true);
    });

    it('refuses a link more than 90 days after it was sent', async () => {
      const { token } = await sentFollowup();
      time.set('2026-08-31T12:00:00Z');
      expect((await services.followups.open(token)).state).toBe('open');
      time.set('2026-09-01T12:00:00Z');
      await expect(services.followups.answer(token, used)).rejects.toMatchObject({ code: 'followup.expired' });
    });

    it('lets a fellow reclassify a record and log impact by hand; only staff', async () => {
      const { need, requester, fellow, token } = await sentFollowup();
      await services.followups.answer(token, used);
      const [record] = (await services.impact.list(fellow.actor, { needId: need.id, limit: 10, offset: 0 })).records;
      const changed = await services.impact.reclassify(fellow.actor, record?.id ?? ('' as never), { kinds: ['conceptual', 'conceptual'] });
      expect(changed.kinds).toEqual(['conceptual']);
      await expect(services.impact.list(requester.actor, { limit: 10, offset: 0 })).rejects.toMatchObject({ code: 'auth.forbidden' });
      const logged = await services.impact.log(fellow.actor, { needId: need.id, uses: ['shared'], kinds: ['capacity_building'], detail: 'Shared at the network', notUsedReason: undefined, fellowIds: [] });
      expect(logged).toMatchObject({ uses: ['shared'], kinds: ['capacity_building'], recordedBy: { id: fellow.user.id }, fellows: [{ id: fellow.user.id }] });
      await expect(
        services.impact.log(fellow.actor, { needId: randomUUID(), uses: ['shared'], kinds: [], detail: '', notUsedReason: undefined, fellowIds: [requester.user.id] }),
      ).rejects.toMatchObject({ code: 'validation.failed', details: { fields: { needId: expect.any(String), fellowIds: expect.any(String) } } });
    });
  });

  describe('activities', () => {
    it('logs a fellow’s activity with partner, theme and hours, and lists it with filters and total hours', async () => {
      const { fellow, organisation } = await buildWorkspace(services);
      const theme = await buildTheme(services);
      time.set('2026-05-20T10:00:00Z');
      const activity = await services.activities.log(fellow.actor, {
        kind: 'training',
        title: 'Evidence skills workshop',
        occurredOn: '2026-05-19',
        hours: 2.75,
        organisationId: organisation.id,
        themeId: theme.id,
        needId: undefined,
        notes: '',
      });
      expect(activity).toMatchObject({ kind: 'training', hours: 2.75, organisation: { id: organisation.id }, theme: { id: theme.id, name: theme.name }, isAutomatic: false });
      await services.activities.log(fellow.actor, { kind: 'ppi_codesign', title: 'Co-design session', occurredOn: '2026-05-20', hours: 1, organisationId: undefined, themeId: undefined, needId: undefined, notes: '' });
      const mine = await services.activities.list(fellow.actor, { fellowId: fellow.user.id, limit: 10, offset: 0 });
      expect([mine.total, mine.hours]).toEqual([2, 3.75]);
      expect((await services.activities.list(fellow.actor, { fellowId: fellow.user.id, kind: 'training', limit: 10, offset: 0 })).activities.map((each) => each.title)).toEqual([
        'Evidence skills workshop',
      ]);
      expect((await services.activities.list(fellow.actor, { fellowId: fellow.user.id, from: '2026-05-20', to: '2026-05-20', limit: 10, offset: 0 })).total).toBe(1);
      await expect(
        services.activities.log(fellow.actor, { kind: 'training', title: 'Tomorrow', occurredOn: '2026-05-21', hours: 1, organisationId: randomUUID(), themeId: undefined, needId: undefined, notes: '' }),
      ).rejects.toMatchObject({ code: 'validation.failed', details: { fields: { occurredOn: 'The date cannot be in the future', organisationId: expect.any(String) } } });
      const requester = await buildActor(services, 'requester');
      await expect(services.activities.list(requester.actor, { limit: 10, offset: 0 })).rejects.toMatchObject({ code: 'auth.forbidden' });
    });
  });

  describe('the dashboard', () => {
    it('computes every figure exactly on a hand-built period in London months', async () => {
      // A year of its own, far from other tests' data (and from other runs on a long-lived database).
      const year = 2200 + randomInt(700);
      const y = (rest: string) => `${year}${rest}`;
      const previous = (rest: string) => `${year - 1}${rest}`;
      const theme = await buildTheme(services);
      const vcse = await buildOrganisation(services, 'vcse');
      const lead = await buildActor(services, 'lead');

      // A: received 5 Jan, triaged a day later, delivered 30 days after it was received.
      const a = await deliveredNeed({ at: { received: y('-01-05T10:00:00Z'), triaged: y('-01-06T10:00:00Z'), delivered: y('-02-04T10:00:00Z') }, themeIds: [theme.id] });
      // D: received in November before, delivered 14 January: 60 days; a partnership.
      const d = await deliveredNeed({
        at: { received: previous('-11-15T12:00:00Z'), triaged: previous('-11-16T12:00:00Z'), delivered: y('-01-14T12:00:00Z') },
        supportKind: 'collaboration',
        tier: 'partnership',
      });
      // B: from a VCSE; a fellow replies a day and a half later (an internal note and the requester's own message before do not count).
      const vcseRequester = await buildActor(services, 'requester', vcse.id);
      time.set(y('-01-20T12:00:00Z'));
      const b = await services.needs.submitNeed(vcseRequester.actor, needInput());
      await db.query('update needs set created_at = $2 where id = $1', [b.id, y('-01-20T12:00:00Z')]);
      const note = await services.needs.addComment(a.fellow.actor, b.id, { body: 'Internal: check scope', isInternal: true });
      const own = await services.needs.addComment(vcseRequester.actor, b.id, { body: 'Any news?', isInternal: false });
      const reply = await services.needs.addComment(a.fellow.actor, b.id, { body: 'We are on it', isInternal: false });
      for (const [id, at] of [
        [note.id, y('-01-20T13:00:00Z')],
        [own.id, y('-01-20T12:30:00Z')],
        [reply.id, y('-01-22T00:00:00Z')],
      ]) {
        await db.query('update need_comments set created_at = $2 where id = $1', [id, at]);
      }
      // E: 28 February 23:30 UTC is still February in London; C: 31 March 23:30 UTC is 1 April (summer time).
      const e = await services.needs.submitNeed(a.requester.actor, needInput());
      await db.query('update needs set created_at = $2 where id = $1', [e.id, y('-02-28T23:30:00Z')]);
      const c = await services.needs.submitNeed(a.requester.actor, needInput());
      await db.query('update needs set created_at = $2 where id = $1', [c.id, y('-03-31T23:30:00Z')]);

      // Follow-ups: A's and D's one-month ones are sent by hand on 10 March (sending every due one
      // would reach other tests' too); A's is answered.
      time.set(y('-03-10T12:00:00Z'));
      const linkFor = async (need: Need) => {
        const [row] = await db.query<{ id: string }>('select id from followups where need_id = $1 and months = 1', [need.id]);
        return (await services.followups.issueLink(a.fellow.actor, (row?.id ?? '') as never)).link;
      };
      await services.followups.answer(tokenIn(await linkFor(a.need)), used);
      expect(tokenIn(await linkFor(d.need))).not.toBe('');
      const logged = await services.impact.log(a.fellow.actor, { needId: b.id, uses: ['shared'], kinds: ['conceptual'], detail: '', notUsedReason: undefined, fellowIds: [] });
      await db.query('update impact_records set created_at = $2 where id = $1', [logged.id, y('-03-10T12:00:00Z')]);
      await services.activities.log(a.fellow.actor, { kind: 'training', title: 'Workshop', occurredOn: y('-02-10'), hours: 3.5, organisationId: undefined, themeId: undefined, needId: undefined, notes: '' });

      const view = await services.dashboard.view(lead.actor, { from: y('-01-01'), to: y('-03-31') });
      const rows = (id: string) => view.figures.find((figure) => figure.id === id)?.rows;
      expect(rows('needs-per-month')).toEqual([
        { month: `Jan ${year}`, received: 2, delivered: 1 },
        { month: `Feb ${year}`, received: 1, delivered: 1 },
        { month: `Mar ${year}`, received: 0, delivered: 0 },
      ]);
      expect(rows('response-times')).toEqual([
        { measure: 'Time to first response', needs: 2, medianDays: 1.3, meanDays: 1.3 },
        { measure: 'Time to delivery', needs: 2, medianDays: 45, meanDays: 45 },
      ]);
      expect(rows('needs-by-theme')).toEqual([
        { group: theme.name, received: 1, delivered: 1, medianDaysToDelivery: 30 },
        { group: 'No theme', received: 2, delivered: 1, medianDaysToDelivery: 60 },
      ]);
      expect(rows('needs-by-partner-type')).toEqual([
        { group: 'Local authority', received: 2, delivered: 2, medianDaysToDelivery: 45 },
        { group: 'Voluntary, community or social enterprise (VCSE) organisation', received: 1, delivered: 0, medianDaysToDelivery: null },
      ]);
      expect(rows('needs-by-tier')).toEqual([
        { group: 'Quick answer (days)', received: 1, delivered: 1, medianDaysToDelivery: 30 },
        { group: 'Partnership or project (months)', received: 0, delivered: 1, medianDaysToDelivery: 60 },
        { group: 'Not triaged yet', received: 2, delivered: 0, medianDaysToDelivery: null },
      ]);
      expect(rows('followup-responses')).toEqual([
        { after: '1 month', sent: 2, answered: 1, responseRate: 50 },
        { after: 'All follow-ups', sent: 2, answered: 1, responseRate: 50 },
      ]);
      expect(rows('reported-uses')?.map((row) => row.records)).toEqual([1, 0, 1, 0]);
      expect(rows('impact-kinds')?.map((row) => row.records)).toEqual([1, 1, 0, 1]);
      expect(rows('activity-hours')?.filter((row) => row.activities !== 0)).toEqual([
        { kind: 'Briefing', activities: 2, hours: 0 },
        { kind: 'Collaboration or research partnership', activities: 1, hours: 0 },
        { kind: 'Training and capacity building', activities: 1, hours: 3.5 },
      ]);
      await expect(services.dashboard.view(a.requester.actor)).rejects.toMatchObject({ code: 'auth.forbidden' });
      expect([b.id, c.id, d.need.id]).toEqual(expect.arrayContaining([expect.any(String) as NeedId]));
    });
  });
});
