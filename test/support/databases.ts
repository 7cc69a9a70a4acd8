import type { Database } from '../../src/adapters/db/database.js';
import { migrate } from '../../src/adapters/db/migrate.js';
import { openPglite } from '../../src/adapters/db/pglite.js';
import { openPostgres } from '../../src/adapters/db/postgres.js';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  open(): Promise<Database>;
}

const isCi = process.env.CI === 'true';
const postgresUrl = process.env.TEST_DATABASE_URL;

if (isCi && !postgresUrl) {
  // CI must prove the PostgreSQL path; a silent skip would let it rot.
  throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL integration tests must run in CI');
}

/**
 * The databases integration tests run against: PGlite always (in memory), PostgreSQL when
 * TEST_DATABASE_URL is set. Each `open()` returns a migrated database; tests make their own
 * rows with random names and never rely on seed data or truncate.
 */
export const testDatabases: TestDatabase[] = [
  {
    name: 'pglite',
    open: async () => {
      const db = await openPglite({ dataDir: undefined });
      await migrate(db);
      return db;
    },
  },
  ...(postgresUrl
    ? [
        {
          name: 'postgres' as const,
          open: async () => {
            const db = await openPostgres(postgresUrl, { max: 4 });
            await migrate(db);
            return db;
          },
        },
      ]
    : []),
];

if (!postgresUrl) {
  console.warn('TEST_DATABASE_URL not set: integration tests run on PGlite only');
}
