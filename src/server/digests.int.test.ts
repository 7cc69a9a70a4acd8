import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/support/databases.js';
import { startTestSmtp } from '../../test/support/smtp.js';
import { buildActor, testHasher } from '../../test/support/builders.js';
import { createServices, type Services } from '../compose.js';
import { createSmtpMailer } from '../adapters/mail/smtp-mailer.js';
import { emptyRecord, type ParseEvent } from '../core/evidence/record.js';
import type { Database } from '../adapters/db/database.js';
import { comparePositions } from '../adapters/db/index-feed-repo.js';

/** The message body as text: quoted-printable soft line breaks and escapes undone. */
const decoded = (raw: string | undefined): string =>
  (raw ?? '').replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_whole, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

async function* events(...items: ParseEvent[]): AsyncGenerator<ParseEvent> {
  yield* items;
}

describe.each(testDatabases)('digests of new evidence on $name', ({ open }) => {
  let db: Database;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let mailed: Services;
  let unmailed: Services;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    db = await open();
    mailed = createServices(db, { hasher: testHasher, indexPollMs: 0, mailer: createSmtpMailer(smtp.url, 'Mobilise <test@localhost>'), publicUrl: 'https://mobilise.example' });
    unmailed = createServices(db, { hasher: testHasher, indexPollMs: 0, publicUrl: 'https://mobilise.example' });
    await mailed.search.start();
  });
  afterAll(async () => {
    await mailed.search.stop();
    await db.close();
    await smtp.close();
  });

  const newAlertFor = async (services: Services, subject: string) => {
    const owner = await buildActor(services, 'researcher');
    await services.living.saveSearch(owner.actor, { name: subject, query: subject, filters: {}, wantsEmail: false });
    const before = services.search.position();
    await services.evidenceImport.importRecords(undefined, {
      fileName: 'digest.ris',
      format: 'ris',
      events: events({ kind: 'record', line: 1, fields: { ...emptyRecord(), title: `${subject} in practice`, year: 2025 } }),
      fileSha256: () => 'x',
    });
    await expect.poll(() => comparePositions(services.search.position(), before), { timeout: 5000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await services.living.listAlerts(owner.actor)).length, { timeout: 5000 }).toBe(1);
    return owner;
  };

  it('emails a digest through SMTP to people who opted in, once, with links to the new records', async () => {
    const subject = `Hearing aids zq${randomUUID().slice(0, 6)}`;
    const owner = await newAlertFor(mailed, subject);
    const other = await newAlertFor(mailed, `Walking groups zq${randomUUID().slice(0, 6)}`);
    await mailed.digests.setWantsDigest(owner.actor, true);
    const result = await mailed.digests.sendDigests();
    expect(result.sent).toBeGreaterThanOrEqual(1);
    const message = smtp.received.find((entry) => entry.to.includes(owner.email));
    expect(decoded(message?.raw)).toContain(`${subject} in practice`);
    expect(decoded(message?.raw)).toContain('https://mobilise.example/evidence/records/');
    expect(smtp.received.some((entry) => entry.to.includes(other.email))).toBe(false);
    const count = smtp.received.length;
    await mailed.digests.sendDigests();
    expect(smtp.received.filter((entry) => entry.to.includes(owner.email))).toHaveLength(1);
    expect(smtp.received.length).toBe(count);
  });

  it('keeps digests for a fellow to send when there is no SMTP server, and lets only staff mark them sent', async () => {
    const subject = `Falls clinics zq${randomUUID().slice(0, 6)}`;
    const owner = await newAlertFor(mailed, subject);
    await unmailed.digests.setWantsDigest(owner.actor, true);
    const result = await unmailed.digests.sendDigests();
    expect(result.kept).toBeGreaterThanOrEqual(1);
    const fellow = await buildActor(unmailed, 'fellow');
    const waiting = (await unmailed.digests.listUnsent(fellow.actor)).find((digest) => digest.recipient.email === owner.email);
    expect(waiting?.body).toContain(`${subject} in practice`);
    await expect(unmailed.digests.markSent(owner.actor, waiting?.id ?? '')).rejects.toMatchObject({ code: 'auth.forbidden' });
    await unmailed.digests.markSent(fellow.actor, waiting?.id ?? '');
    expect((await unmailed.digests.listUnsent(fellow.actor)).some((digest) => digest.id === waiting?.id)).toBe(false);
  });
});
