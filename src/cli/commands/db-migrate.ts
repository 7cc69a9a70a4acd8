import type { Config } from '../../config/config.js';
import { migrate } from '../../adapters/db/migrate.js';
import { openDatabase } from '../../compose.js';

/** `mobilise db migrate`: refuses, with a clear message, while a server holds the PGlite directory. */
export const migrateCommand = async (config: Config, options: { json?: boolean }): Promise<void> => {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'mobilise db migrate' });
  try {
    const { applied } = await migrate(db);
    process.stdout.write(
      options.json ? `${JSON.stringify({ applied })}\n` : applied.length > 0 ? `Applied ${applied.join(', ')}\n` : 'The database is up to date.\n',
    );
  } finally {
    await db.close();
  }
};
