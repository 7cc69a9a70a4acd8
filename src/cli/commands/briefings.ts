import { writeFileSync } from 'node:fs';
import type { Config } from '../../config/config.js';
import { migrate } from '../../adapters/db/migrate.js';
import { renderBriefingDocx } from '../../adapters/documents/briefing-docx.js';
import { renderBriefingHtml } from '../../adapters/documents/briefing-html.js';
import { renderBriefingPdf } from '../../adapters/documents/briefing-pdf.js';
import type { Actor } from '../../core/accounts/roles.js';
import type { BriefingId } from '../../core/briefings/types.js';
import { AppError } from '../../core/shared/errors.js';
import { isUuid, type UserId } from '../../core/shared/ids.js';
import { createServices, openDatabase } from '../../compose.js';

/**
 * The command line reads briefings as an administrator would: whoever runs it on the machine that
 * holds the database can read it anyway. It never writes briefings.
 */
const cliReader: Actor = { userId: '00000000-0000-0000-0000-000000000000' as UserId, role: 'admin', organisationId: undefined, name: 'mobilise CLI' };

const withServices = async <T>(config: Config, holder: string, work: (services: ReturnType<typeof createServices>) => Promise<T>): Promise<T> => {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder });
  try {
    await migrate(db);
    return await work(createServices(db, { indexPollMs: 0 }));
  } finally {
    await db.close();
  }
};

/** `mobilise briefings list [--json]`: every briefing with its status. */
export const briefingsListCommand = async (config: Config, options: { json?: boolean }): Promise<void> =>
  withServices(config, 'mobilise briefings list', async (services) => {
    const briefings = await services.briefings.list(cliReader);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ briefings: briefings.map((briefing) => ({ ...briefing, updatedAt: briefing.updatedAt.toISOString() })) })}\n`);
      return;
    }
    if (briefings.length === 0) {
      process.stdout.write('No briefings yet.\n');
    }
    for (const briefing of briefings) {
      process.stdout.write(`${briefing.id}  ${briefing.reference}  ${briefing.status.padEnd(9)}  ${briefing.title}\n`);
    }
  });

export const exportFormats = ['docx', 'pdf', 'html'] as const;

/** `mobilise briefings export <id> --format docx|pdf|html --out FILE`: the current version, as the web page's download. */
export const briefingsExportCommand = async (config: Config, id: string, options: { format?: string; out?: string }): Promise<void> => {
  const format = options.format ?? '';
  if (!(exportFormats as readonly string[]).includes(format)) {
    throw new AppError('validation.failed', '--format must be docx, pdf or html', { usage: true });
  }
  if (!options.out) {
    throw new AppError('validation.failed', '--out FILE is required', { usage: true });
  }
  if (!isUuid(id)) {
    throw new AppError('briefing.not_found', `No such briefing: ${id} (use the id from \`mobilise briefings list\`)`);
  }
  const out = options.out;
  await withServices(config, 'mobilise briefings export', async (services) => {
    const document = await services.briefings.document(cliReader, id as BriefingId);
    const bytes = format === 'docx' ? await renderBriefingDocx(document) : format === 'pdf' ? await renderBriefingPdf(document) : Buffer.from(renderBriefingHtml(document), 'utf8');
    writeFileSync(out, bytes);
    process.stderr.write(`Wrote ${out} (${bytes.length.toLocaleString('en-GB')} bytes)\n`);
  });
};
