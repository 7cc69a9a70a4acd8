import type { Config } from '../../config/config.js';
import { migrate } from '../../adapters/db/migrate.js';
import { createSmtpMailer } from '../../adapters/mail/smtp-mailer.js';
import { createServices, openDatabase } from '../../compose.js';

/** `mobilise followups send`: emails the follow-ups that are due when SMTP_URL is set; the rest wait for a fellow to send by hand. */
export const followupsSendCommand = async (config: Config, options: { json?: boolean }): Promise<void> => {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'mobilise followups send' });
  try {
    await migrate(db);
    const services = createServices(db, {
      mailer: config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.mailFrom) : undefined,
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      followupMonths: config.followupMonths,
      indexPollMs: 0,
    });
    const result = await services.followups.sendDue();
    process.stdout.write(
      options.json
        ? `${JSON.stringify(result)}\n`
        : `Follow-ups: ${result.sent} sent by email, ${result.kept} waiting for a fellow to send by hand${result.failed > 0 ? ` (${result.failed} failed to send)` : ''}.\n`,
    );
  } finally {
    await db.close();
  }
};
