import { isStaff, type Actor } from '../accounts/roles.js';
import type { Secrets } from '../accounts/ports.js';
import type { Mailer } from '../matching/digests.js';
import type { Clock } from '../shared/clock.js';
import { AppError, assertThat } from '../shared/errors.js';
import type { NeedId } from '../shared/ids.js';
import type { BriefingId } from '../briefings/types.js';
import { addDays, addMonths, londonDate } from '../dashboard/calendar.js';
import { impactKindsFor, type FollowupAnswer } from './impact.schema.js';
import type { FollowupState, FollowupStore } from './ports.js';
import type { Followup, FollowupId, ImpactRecordId } from './types.js';

/** Follow-ups at 1, 3, 6 and 12 months after delivery unless FOLLOWUP_MONTHS says otherwise. */
export const DEFAULT_FOLLOWUP_MONTHS: readonly number[] = [1, 3, 6, 12];
/** A link stops working this many days after it was sent (or fell due, if later). */
export const FOLLOWUP_LINK_DAYS = 90;

export interface FollowupsDeps {
  store: FollowupStore;
  secrets: Secrets;
  clock: Clock;
  /** Absent without SMTP_URL: due follow-ups then wait for a fellow to send by hand. */
  mailer: Mailer | undefined;
  /** The app's address, for the link in each follow-up. */
  publicUrl: string;
  months?: readonly number[];
  linkDays?: number;
}

export interface FollowupMessage {
  to: string | undefined;
  subject: string;
  text: string;
}

export type FollowupFormState = 'open' | 'answered' | 'expired';

const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const formatOn = (on: string): string => longDate.format(new Date(`${on}T00:00:00Z`));

/** The last day a follow-up's link works. */
export const linkExpiresOn = (followup: Pick<Followup, 'dueOn' | 'sentAt'>, linkDays = FOLLOWUP_LINK_DAYS): string => {
  const sentOn = followup.sentAt ? londonDate(followup.sentAt) : followup.dueOn;
  return addDays(sentOn > followup.dueOn ? sentOn : followup.dueOn, linkDays);
};

/** The email (or the text a fellow sends by hand) asking whether and how the output was used. */
export const followupMessage = (followup: Followup, link: string, expiresOn: string): FollowupMessage => {
  const after = `${followup.months} month${followup.months === 1 ? '' : 's'}`;
  const what = followup.briefing ? `“${followup.briefing.title}” (${followup.briefing.reference}), our answer to` : 'our answer to';
  return {
    to: followup.recipientEmail,
    subject: `Did our evidence help? ${followup.need.reference}: ${followup.need.title}`.slice(0, 200),
    text: [
      `Dear ${followup.recipientName ?? 'colleague'},`,
      '',
      `About ${after} ago the knowledge mobilisation team sent you ${what} your question ${followup.need.reference}: ${followup.need.title}.`,
      '',
      'We would like to know whether and how it has been used. The form has three questions and needs no account:',
      '',
      link,
      '',
      `The link works until ${formatOn(expiresOn)}. Your answer helps us show what difference evidence makes, and improve what we do.`,
      '',
      'Mobilise',
    ].join('\n'),
  };
};

/**
 * Follow-ups after delivery (issue #6, item 5). The link's token is made when the follow-up is sent,
 * not when it is scheduled: only its SHA-256 is stored, so a token made months earlier could not be
 * put in an email later. Scheduling stores the hash of a random token nobody keeps (a placeholder
 * that no link can match); sending, by email or by hand, replaces it with the hash of a fresh token
 * that goes into the link. Making a new link for a lost email replaces it again, and the old link
 * stops working.
 */
export const createFollowups = (deps: FollowupsDeps) => {
  const { store, secrets, clock, mailer } = deps;
  const months = [...new Set(deps.months ?? DEFAULT_FOLLOWUP_MONTHS)].sort((left, right) => left - right);
  const linkDays = deps.linkDays ?? FOLLOWUP_LINK_DAYS;
  const linkFor = (token: string) => `${deps.publicUrl.replace(/\/$/, '')}/followups/${token}`;
  const placeholder = () => secrets.hashToken(secrets.randomToken());

  /**
   * Schedules one follow-up per configured month after an output (or the need itself) was delivered.
   * Idempotent: months already scheduled for the need and output are left alone. The recipient is
   * the given address, else the requester's account's.
   */
  const schedule = async (input: { needId: NeedId; briefingId?: BriefingId | undefined; deliveredAt: Date; recipientEmail?: string | undefined }): Promise<Followup[]> => {
    const deliveredOn = londonDate(input.deliveredAt);
    return store.schedule({
      needId: input.needId,
      briefingId: input.briefingId,
      recipientEmail: input.recipientEmail ?? (await store.requesterEmail(input.needId)),
      items: months.map((after) => ({ months: after, dueOn: addMonths(deliveredOn, after), tokenSha256: placeholder() })),
    });
  };

  /** For a need marked delivered without an output: follow-ups only if it has none yet. */
  const scheduleForNeed = async (input: { needId: NeedId; deliveredAt: Date }): Promise<Followup[]> =>
    (await store.countForNeed(input.needId)) > 0 ? [] : schedule(input);

  /** Emails every due, unsent follow-up that has a recipient; the rest wait on the follow-ups page. */
  const sendDue = async (now: Date = clock.now()): Promise<{ sent: number; kept: number; failed: number }> => {
    const due = await store.list('due', londonDate(now), 1000);
    const counts = { sent: 0, kept: 0, failed: 0 };
    for (const followup of due) {
      if (!mailer || !followup.recipientEmail) {
        counts.kept += 1;
        continue;
      }
      const token = secrets.randomToken();
      // eslint-disable-next-line no-await-in-loop -- one message at a time, politely to the SMTP server
      const claimed = await store.claim({ id: followup.id, tokenSha256: secrets.hashToken(token), via: 'smtp', at: now, onlyUnsent: true });
      if (!claimed) {
        // Another node sent it, or it was sent by hand meanwhile.
        continue;
      }
      const message = followupMessage({ ...followup, sentAt: now }, linkFor(token), linkExpiresOn({ dueOn: followup.dueOn, sentAt: now }, linkDays));
      try {
        // eslint-disable-next-line no-await-in-loop -- as above
        await mailer.send({ to: followup.recipientEmail, subject: message.subject, text: message.text });
        counts.sent += 1;
      } catch {
        // Listed again for a fellow to send by hand (or for the next run), so nobody is forgotten.
        // eslint-disable-next-line no-await-in-loop -- as above
        await store.release(followup.id);
        counts.failed += 1;
        counts.kept += 1;
      }
    }
    return counts;
  };

  const assertStaff = (actor: Actor) => assertThat(isStaff(actor.role), 'auth.forbidden', 'Only fellows, leads and administrators follow up outputs');

  /** A fellow asks for the due follow-ups to be emailed now, rather than at the next scheduled run. */
  const sendDueNow = async (actor: Actor) => {
    assertStaff(actor);
    return sendDue();
  };

  const list = async (actor: Actor, state: FollowupState, limit = 200): Promise<Followup[]> => {
    assertStaff(actor);
    return store.list(state, londonDate(clock.now()), limit);
  };

  /**
   * A link for a fellow to send by hand (no SMTP, no recipient address, or a lost email): shown once,
   * with the message to send. The follow-up is marked sent by hand; any earlier link stops working.
   */
  const issueLink = async (actor: Actor, id: FollowupId): Promise<{ followup: Followup; link: string; message: FollowupMessage }> => {
    assertStaff(actor);
    const followup = await store.find(id);
    assertThat(followup, 'followup.not_found', 'No such follow-up');
    assertThat(!followup.answeredAt, 'followup.already_answered', 'This follow-up has been answered already');
    const now = clock.now();
    const token = secrets.randomToken();
    assertThat(
      await store.claim({ id, tokenSha256: secrets.hashToken(token), via: 'by_hand', at: now, onlyUnsent: false }),
      'followup.already_answered',
      'This follow-up has been answered already',
    );
    const sent = { ...followup, sentAt: now, sentVia: 'by_hand' as const };
    const link = linkFor(token);
    return { followup: sent, link, message: followupMessage(sent, link, linkExpiresOn(sent, linkDays)) };
  };

  const byToken = async (token: string): Promise<Followup> => {
    // Tokens are base64url; anything else cannot match and is not worth a query.
    const followup = /^[A-Za-z0-9_-]{20,100}$/.test(token) ? await store.findByTokenHash(secrets.hashToken(token)) : undefined;
    assertThat(followup?.sentAt, 'followup.not_found', 'This link does not work. It may have been replaced by a newer one: check your latest email from us.');
    return followup;
  };

  const stateOf = (followup: Followup): FollowupFormState =>
    followup.answeredAt ? 'answered' : londonDate(clock.now()) > linkExpiresOn(followup, linkDays) ? 'expired' : 'open';

  /** The follow-up behind a link, for its form (no account needed). */
  const open = async (token: string): Promise<{ followup: Followup; state: FollowupFormState; expiresOn: string }> => {
    const followup = await byToken(token);
    return { followup, state: stateOf(followup), expiresOn: linkExpiresOn(followup, linkDays) };
  };

  /** Keeps the requester's answer as an impact record linked to the need, the output and its fellows. Once only. */
  const answer = async (token: string, input: FollowupAnswer): Promise<ImpactRecordId> => {
    const followup = await byToken(token);
    const state = stateOf(followup);
    if (state === 'answered') {
      throw new AppError('followup.already_answered', 'Thank you: this follow-up has been answered already, so we have kept the first answer.');
    }
    if (state === 'expired') {
      throw new AppError('followup.expired', 'This link has expired. The knowledge mobilisation team will be glad to hear from you by email instead.');
    }
    const briefingId = followup.briefing?.id;
    const recordId = await store.answer(
      followup.id,
      {
        needId: followup.need.id,
        briefingId,
        followupId: followup.id,
        kinds: impactKindsFor(input),
        uses: input.uses,
        detail: input.detail,
        notUsedReason: input.uses.includes('not_used') ? input.notUsedReason : undefined,
        fellowIds: await store.fellowsOf(followup.need.id, briefingId),
        recordedById: undefined,
      },
      clock.now(),
    );
    assertThat(recordId, 'followup.already_answered', 'Thank you: this follow-up has been answered already, so we have kept the first answer.');
    return recordId;
  };

  return { schedule, scheduleForNeed, sendDue, sendDueNow, list, issueLink, open, answer, months, linkDays, hasMailer: mailer !== undefined };
};

export type Followups = ReturnType<typeof createFollowups>;
