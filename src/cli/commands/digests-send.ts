import type { Config } from '../../config/config.js';
import { migrate } from '../../adapters/db/migrate.js';
import { createSmtpMailer } from '../../adapters/mail/smtp-mailer.js';
import { createServices, openDatabase } from '../../compose.js';

/** `mobilise digests send`: builds digests of new evidence now; sends them when SMTP_URL is set. */
export const digestsSendCommand = async (config: Config, options: { json?: boolean }): Promise<void> => {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'mobilise digests send' });
  try {
    await migrate(db);
    const services = createServices(db, {
      mailer: config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.mailFrom) : undefined,
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      indexPollMs: 0,
    });
    const result = await services.digests.sendDigests();
    process.stdout.write(
      options.json
        ? `${JSON.stringify(result)}\n`
        : `Digests: ${result.sent} sent by email, ${result.kept} kept for a fellow to send${result.failed > 0 ? ` (${result.failed} failed to send)` : ''}.\n`,
    );
  } finally {
    await db.close();
  }
};
