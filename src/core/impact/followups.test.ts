import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../../test/fakes/clock.js';
import { createMemoryFollowupStore } from '../../../test/fakes/followup-store.js';
import type { Actor } from '../accounts/roles.js';
import type { Secrets } from '../accounts/ports.js';
import type { BriefingId } from '../briefings/types.js';
import type { NeedId, UserId } from '../shared/ids.js';
import { createFollowups, linkExpiresOn } from './followups.js';
import type { FollowupAnswer } from './impact.schema.js';

const needId = 'need-1' as NeedId;
const briefingId = 'briefing-1' as BriefingId;
const fellow: Actor = { userId: 'fellow-1' as UserId, role: 'fellow', organisationId: undefined, name: 'Fiona Fellow' };
const requester: Actor = { userId: 'requester-1' as UserId, role: 'requester', organisationId: undefined, name: 'Rita Requester' };
const day = 86_400_000;

/** Predictable tokens: the nth is `token-000…n`, its hash `sha:` + token. */
const countingSecrets = (): Secrets & { issued: string[] } => {
  const issued: string[] = [];
  return {
    issued,
    randomToken: () => {
      const token = `token-${String(issued.length + 1).padStart(20, '0')}`;
      issued.push(token);
      return token;
    },
    hashToken: (token) => `sha:${token}`,
  };
};

const setup = (options: { mailer?: 'working' | 'failing' | 'none'; months?: number[]; requesterEmail?: string | undefined } = {}) => {
  const { store, rows, records } = createMemoryFollowupStore({
    needs: [
      {
        id: needId,
        reference: 'KN-0042',
        title: 'Falls in care homes',
        requester: options.requesterEmail === undefined && 'requesterEmail' in options ? undefined : { name: 'Rita Requester', email: options.requesterEmail ?? 'rita@example.test' },
        fellows: [{ id: fellow.userId, name: fellow.name }],
      },
    ],
    briefings: [{ id: briefingId, reference: 'BR-0007', title: 'What reduces falls', authorId: 'author-1' as UserId }],
  });
  const sent: { to: string; subject: string; text: string }[] = [];
  const mailer =
    options.mailer === 'none'
      ? undefined
      : {
          send: async (message: { to: string; subject: string; text: string }) => {
            if (options.mailer === 'failing') {
              throw new Error('SMTP refused');
            }
            sent.push(message);
          },
        };
  const fake = createFakeClock(new Date('2026-01-31T23:30:00Z'));
  const secrets = countingSecrets();
  const followups = createFollowups({ store, secrets, clock: fake.clock, mailer, publicUrl: 'https://mobilise.example/', months: options.months });
  return { followups, rows, records, sent, secrets, clock: fake, tokenIn: (text: string) => /\/followups\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '' };
};

const used: FollowupAnswer = { uses: ['informed_decision', 'shared'], differences: ['skills'], detail: 'The board chose the programme.', notUsedReason: undefined };

describe('scheduling follow-ups', () => {
  it('schedules one per month after the London delivery date, clamping to the end of shorter months', async () => {
    const { followups } = setup();
    const scheduled = await followups.schedule({ needId, briefingId, deliveredAt: new Date('2026-01-31T23:30:00Z') });
    expect(scheduled.map((followup) => [followup.months, followup.dueOn])).toEqual([
      [1, '2026-02-28'],
      [3, '2026-04-30'],
      [6, '2026-07-31'],
      [12, '2027-01-31'],
    ]);
    expect(scheduled.every((followup) => followup.recipientEmail === 'rita@example.test' && !followup.sentAt)).toBe(true);
  });

  it('takes the London date in summer time, when it is already the next day', async () => {
    const { followups } = setup({ months: [1] });
    const [first] = await followups.schedule({ needId, deliveredAt: new Date('2026-06-30T23:30:00Z') });
    expect(first?.dueOn).toBe('2026-08-01');
  });

  it('uses the configured months and schedules each only once', async () => {
    const { followups, rows } = setup({ months: [24, 2, 2] });
    await followups.schedule({ needId, briefingId, deliveredAt: new Date('2026-01-10T12:00:00Z') });
    expect(await followups.schedule({ needId, briefingId, deliveredAt: new Date('2026-01-11T12:00:00Z') })).toEqual([]);
    expect(rows.map((row) => [row.followup.months, row.followup.dueOn])).toEqual([
      [2, '2026-03-10'],
      [24, '2028-01-10'],
    ]);
  });

  it('follows a need marked delivered by hand once, and hands its follow-ups to the output delivered after', async () => {
    const { followups, rows } = setup({ months: [1, 3] });
    await followups.scheduleForNeed({ needId, deliveredAt: new Date('2026-01-10T12:00:00Z') });
    expect(await followups.scheduleForNeed({ needId, deliveredAt: new Date('2026-01-12T12:00:00Z') })).toEqual([]);
    expect(await followups.schedule({ needId, briefingId, deliveredAt: new Date('2026-01-12T12:00:00Z') })).toEqual([]);
    expect(rows.map((row) => [row.followup.months, row.followup.briefing?.id])).toEqual([
      [1, briefingId],
      [3, briefingId],
    ]);
  });

  it('stores placeholders that no link can open until the follow-up is sent', async () => {
    const { followups, secrets } = setup();
    await followups.schedule({ needId, deliveredAt: new Date('2026-01-10T12:00:00Z') });
    expect(secrets.issued).toHaveLength(4);
    for (const token of secrets.issued) {
      await expect(followups.open(token)).rejects.toMatchObject({ code: 'followup.not_found' });
    }
  });
});

describe('sending follow-ups', () => {
  it('emails the due ones once, with a link that opens the form, and leaves the rest for later', async () => {
    const { followups, sent, clock, tokenIn } = setup();
    await followups.schedule({ needId, briefingId, deliveredAt: new Date('2026-01-31T23:30:00Z') });
    clock.advance(40 * day);
    expect(await followups.sendDue()).toEqual({ sent: 1, kept: 0, failed: 0 });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toBe('rita@example.test');
    expect(sent[0]?.subject).toBe('Did our evidence help? KN-0042: Falls in care homes');
    expect(sent[0]?.text).toContain('“What reduces falls” (BR-0007)');
    expect(sent[0]?.text).toContain('https://mobilise.example/followups/');
    const opened = await followups.open(tokenIn(sent[0]?.text ?? ''));
    expect(opened).toMatchObject({ state: 'open', followup: { months: 1, sentVia: 'smtp' } });
    expect(await followups.sendDue()).toEqual({ sent: 0, kept: 0, failed: 0 });
  });

  it('keeps follow-ups for a fellow to send when there is no SMTP server or no address', async () => {
    const noMail = setup({ mailer: 'none' });
    await noMail.followups.schedule({ needId, deliveredAt: new Date('2026-01-01T12:00:00Z') });
    noMail.clock.advance(100 * day);
    expect(await noMail.followups.sendDue()).toEqual({ sent: 0, kept: 2, failed: 0 });
    expect(await noMail.followups.list(fellow, 'due')).toHaveLength(2);

    const noAddress = setup({ requesterEmail: undefined });
    await noAddress.followups.schedule({ needId, deliveredAt: new Date('2026-01-01T12:00:00Z') });
    noAddress.clock.advance(40 * day);
    expect(await noAddress.followups.sendDue()).toEqual({ sent: 0, kept: 1, failed: 0 });
  });

  it('lists a follow-up again when its email fails, so that it is not lost', async () => {
    const { followups, clock } = setup({ mailer: 'failing' });
    await followups.schedule({ needId, deliveredAt: new Date('2026-01-01T12:00:00Z') });
    clock.advance(40 * day);
    expect(await followups.sendDue()).toEqual({ sent: 0, kept: 1, failed: 1 });
    expect((await followups.list(fellow, 'due')).map((followup) => followup.months)).toEqual([1]);
  });

  it('gives a fellow a link to send by hand; a new link replaces it', async () => {
    const { followups, clock, tokenIn } = setup({ mailer: 'none' });
    await followups.schedule({ needId, deliveredAt: new Date('2026-01-01T12:00:00Z') });
    clock.advance(40 * day);
    const [due] = await followups.list(fellow, 'due');
    await expect(followups.issueLink(requester, due?.id ?? ('' as never))).rejects.toMatchObject({ code: 'auth.forbidden' });
    const first = await followups.issueLink(fellow, due?.id ?? ('' as never));
    expect(first.link).toMatch(/^https:\/\/mobilise\.example\/followups\/token-/);
    expect(first.message.text).toContain(first.link);
    expect(first.message.to).toBe('rita@example.test');
    expect(await followups.list(fellow, 'due')).toHaveLength(0);
    expect((await followups.list(fellow, 'awaiting'))[0]?.sentVia).toBe('by_hand');
    const second = await followups.issueLink(fellow, due?.id ?? ('' as never));
    await expect(followups.open(tokenIn(first.link))).rejects.toMatchObject({ code: 'followup.not_found' });
    expect((await followups.open(tokenIn(second.link))).state).toBe('open');
  });
});

describe('answering a follow-up', () => {
  const sentFollowup = async (options: Parameters<typeof setup>[0] = {}) => {
    const context = setup({ months: [1], ...options });
    await context.followups.schedule({ needId, briefingId, deliveredAt: new Date('2026-01-01T12:00:00Z') });
    context.clock.advance(35 * day);
    await context.followups.sendDue();
    return { ...context, token: context.tokenIn(context.sent[0]?.text ?? '') };
  };

  it('keeps one impact record linked to the need, the output and its fellows, with the kinds mapped from the answer', async () => {
    const { followups, records, token } = await sentFollowup();
    await followups.answer(token, used);
    expect(records).toEqual([
      expect.objectContaining({
        needId,
        briefingId,
        uses: ['informed_decision', 'shared'],
        kinds: ['instrumental', 'conceptual', 'capacity_building'],
        detail: 'The board chose the programme.',
        notUsedReason: undefined,
        fellowIds: ['fellow-1', 'author-1'],
        recordedById: undefined,
      }),
    ]);
    expect((await followups.open(token)).state).toBe('answered');
  });

  it('refuses a second answer with a clear message, keeping the first', async () => {
    const { followups, records, token } = await sentFollowup();
    await followups.answer(token, used);
    await expect(followups.answer(token, { uses: ['not_used'], differences: [], detail: '', notUsedReason: 'Too late' })).rejects.toMatchObject({
      code: 'followup.already_answered',
      message: expect.stringContaining('kept the first answer'),
    });
    expect(records).toHaveLength(1);
  });

  it('refuses links more than 90 days after they were sent', async () => {
    const { followups, clock, token } = await sentFollowup();
    const sentAt = clock.clock.now();
    // Sent on the London date 7 March 2026 (23:30 UTC), a week after it fell due.
    expect(linkExpiresOn({ dueOn: '2026-02-01', sentAt })).toBe('2026-06-05');
    expect((await followups.open(token)).expiresOn).toBe('2026-06-05');
    clock.advance(89 * day);
    expect((await followups.open(token)).state).toBe('open');
    clock.advance(2 * day);
    expect((await followups.open(token)).state).toBe('expired');
    await expect(followups.answer(token, used)).rejects.toMatchObject({ code: 'followup.expired' });
  });

  it('refuses tokens that are malformed or unknown', async () => {
    const { followups } = await sentFollowup();
    await expect(followups.answer('x', used)).rejects.toMatchObject({ code: 'followup.not_found' });
    await expect(followups.answer('token-99999999999999999999', used)).rejects.toMatchObject({ code: 'followup.not_found' });
  });

  it('keeps the reason only when the output was not used', async () => {
    const { followups, records, token } = await sentFollowup();
    await followups.answer(token, { uses: ['not_used'], differences: [], detail: '', notUsedReason: 'The decision was made before it arrived' });
    expect(records[0]).toMatchObject({ uses: ['not_used'], kinds: [], notUsedReason: 'The decision was made before it arrived' });
  });
});
