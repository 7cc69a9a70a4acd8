import { z } from 'zod';
import type { Config } from '../../config/config.js';
import { migrate } from '../../adapters/db/migrate.js';
import { studyDesignLabels } from '../../core/evidence/classify.js';
import type { LibraryId } from '../../core/shared/ids.js';
import { createServices, openDatabase } from '../../compose.js';
import { parseOptions } from '../options.js';

const optionsSchema = z.object({
  library: z.uuid({ error: 'Library must be a library id' }).optional(),
  dryRun: z.boolean().optional(),
  json: z.boolean().optional(),
});

/**
 * `mobilise evidence reclassify`: classifies every record again with the current rules and stores the
 * designs that changed (never one set by hand), as the app does at start after the rules improve.
 * Like every command that opens the database, it stops with `database.locked` while the server holds
 * the embedded one.
 */
export const evidenceReclassifyCommand = async (config: Config, raw: Record<string, unknown>): Promise<void> => {
  const options = parseOptions(optionsSchema, raw);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'mobilise evidence reclassify' });
  try {
    await migrate(db);
    const result = await createServices(db).reclassification.reclassify(undefined, { dryRun: options.dryRun ?? false, libraryId: options.library as LibraryId | undefined });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const verb = result.dryRun ? 'would change' : 'changed';
    const lines = [
      `Checked ${result.records} records with the classification rules version ${result.rulesVersion} (stored designs followed version ${result.previousVersion}): ${result.changed} ${verb}${result.dryRun ? ' (dry run: nothing written)' : ''}.`,
      ...result.changes.map((change) => `  ${change.count}\t${studyDesignLabels[change.from]} → ${studyDesignLabels[change.to]}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await db.close();
  }
};
