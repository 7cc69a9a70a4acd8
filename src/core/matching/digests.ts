import { assertThat } from '../shared/errors.js';
import type { UserId } from '../shared/ids.js';
import { isStaff, type Actor } from '../accounts/roles.js';
import type { Alert } from './living.js';

export interface Digest {
  id: string;
  recipient: { id: UserId; name: string; email: string };
  subject: string;
  body: string;
  alertCount: number;
  createdAt: Date;
  sentAt: Date | undefined;
}

export interface DigestStore {
  /** People with alerts not yet put in a digest, who asked for digests (for their account or that saved search). */
  pendingAlerts(): Promise<{ recipient: Digest['recipient']; alerts: Alert[] }[]>;
  /** Keeps the digest and marks its alerts as digested, in one transaction. */
  insertDigest(input: { userId: UserId; subject: string; body: string; alertIds: string[]; sentVia: 'smtp' | undefined }): Promise<string>;
  listUnsent(): Promise<Digest[]>;
  markSent(id: string, by: UserId): Promise<boolean>;
  setWantsDigest(userId: UserId, wantsDigest: boolean): Promise<void>;
  wantsDigest(userId: UserId): Promise<boolean>;
}

/** Sends mail; absent when the server has no SMTP_URL. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/** The digest's text: new records grouped by the need or search they match, with links. */
export const digestText = (name: string, alerts: readonly Alert[], baseUrl: string): string => {
  const groups = new Map<string, Alert[]>();
  for (const alert of alerts) {
    groups.set(alert.savedSearch.id, [...(groups.get(alert.savedSearch.id) ?? []), alert]);
  }
  const sections = [...groups.values()].map((group) => {
    const first = group[0];
    const heading = first?.savedSearch.needId ? `${first.savedSearch.name} (${baseUrl}/needs/${first.savedSearch.needId})` : `Your search: ${first?.savedSearch.name ?? ''}`;
    return [heading, ...group.map((alert) => `  - ${alert.record.title}${alert.record.year ? ` (${alert.record.year})` : ''}\n    ${baseUrl}/evidence/records/${alert.record.id}`)].join('\n');
  });
  return [`Dear ${name},`, '', 'New evidence matches the needs you follow and the searches you saved:', '', ...sections.flatMap((section) => [section, '']), `All your alerts: ${baseUrl}/alerts`, 'Mobilise'].join('\n');
};

export const createDigests = ({ store, mailer, baseUrl }: { store: DigestStore; mailer: Mailer | undefined; baseUrl: string }) => {
  /** Builds a digest for everyone who has new alerts and asked for them; sends it or keeps it for a fellow. */
  const sendDigests = async (): Promise<{ sent: number; kept: number; failed: number }> => {
    const pending = await store.pendingAlerts();
    const counts = { sent: 0, kept: 0, failed: 0 };
    for (const { recipient, alerts } of pending) {
      const subject = `New evidence: ${alerts.length} record${alerts.length === 1 ? '' : 's'} for your needs and searches`;
      const body = digestText(recipient.name, alerts, baseUrl);
      let sentVia: 'smtp' | undefined;
      if (mailer) {
        try {
          // eslint-disable-next-line no-await-in-loop -- one message at a time, politely to the SMTP server
          await mailer.send({ to: recipient.email, subject, text: body });
          sentVia = 'smtp';
        } catch {
          // Kept for a fellow to send instead, so that nobody misses their evidence.
          counts.failed += 1;
        }
      }
      // eslint-disable-next-line no-await-in-loop -- as above
      await store.insertDigest({ userId: recipient.id, subject, body, alertIds: alerts.map((alert) => alert.id), sentVia });
      if (sentVia) {
        counts.sent += 1;
      } else {
        counts.kept += 1;
      }
    }
    return counts;
  };

  const listUnsent = (actor: Actor) => {
    assertThat(isStaff(actor.role), 'auth.forbidden', 'Only staff send digests by hand');
    return store.listUnsent();
  };

  const markSent = async (actor: Actor, id: string) => {
    assertThat(isStaff(actor.role), 'auth.forbidden', 'Only staff send digests by hand');
    assertThat(await store.markSent(id, actor.userId), 'search.not_found', 'No such digest waiting to be sent');
  };

  return {
    sendDigests,
    listUnsent,
    markSent,
    hasMailer: mailer !== undefined,
    setWantsDigest: (actor: Actor, wantsDigest: boolean) => store.setWantsDigest(actor.userId, wantsDigest),
    wantsDigest: (actor: Actor) => store.wantsDigest(actor.userId),
  };
};

export type Digests = ReturnType<typeof createDigests>;
