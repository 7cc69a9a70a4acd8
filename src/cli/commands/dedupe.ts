import type { Config } from '../../config/config.js';
import { migrate } from '../../adapters/db/migrate.js';
import type { LibraryId } from '../../core/shared/ids.js';
import { createServices, openDatabase } from '../../compose.js';

/** `mobilise dedupe`: scans a whole library for duplicates (exact ones merged, uncertain ones listed). */
export const dedupeCommand = async (config: Config, options: { library?: string; json?: boolean }): Promise<void> => {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'mobilise dedupe' });
  try {
    await migrate(db);
    const result = await createServices(db).evidence.scanForDuplicates(undefined, options.library as LibraryId | undefined);
    process.stdout.write(
      options.json ? `${JSON.stringify(result)}\n` : `Scanned ${result.records} records: merged ${result.merged} exact duplicates, found ${result.candidates} new pairs to check.\n`,
    );
  } finally {
    await db.close();
  }
};
