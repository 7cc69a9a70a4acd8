import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { createServices, type Services } from '../../src/compose.js';
import { openPglite } from '../../src/adapters/db/pglite.js';
import { openPostgres } from '../../src/adapters/db/postgres.js';
import { migrate } from '../../src/adapters/db/migrate.js';
import { startServer, type RunningServer } from '../../src/server/main.js';
import { testHasher } from './builders.js';

/**
 * A real server on a random port for browser tests: PostgreSQL when TEST_DATABASE_URL is set,
 * otherwise PGlite in a fresh temporary directory. No demo seed; tests build their own data
 * through `services` (the same use cases the app runs), which share the server's database only
 * for PostgreSQL. For PGlite the directory is locked by the server, so tests use `server.services`.
 */
export interface TestServer {
  url: string;
  services: Services;
  close(): Promise<void>;
}

export const startTestServer = async (): Promise<TestServer> => {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const dataDir = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'mobilise-e2e-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'test',
    SEED_DEMO: 'false',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir }),
  });
  let running: RunningServer | undefined;
  let services: Services | undefined;
  running = await startServer(config, pino({ level: process.env.LOG_LEVEL ?? 'silent' }), {
    hasher: testHasher,
    // No snapshot file (a PostgreSQL run has no data directory of its own); writes are announced in process.
    snapshotPath: undefined,
    indexPollMs: 0,
    onServices: (built) => {
      services = built;
    },
  });
  if (!services) {
    throw new Error('server did not expose its services');
  }
  const server = running;
  return {
    url: `http://127.0.0.1:${server.port}`,
    services,
    close: async () => {
      await server.close();
      if (dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
};

/** Services on a database of their own, for HTTP tests through `app.request` (no socket). */
export const openTestServices = async (): Promise<{ services: Services; close(): Promise<void> }> => {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const db = databaseUrl ? await openPostgres(databaseUrl, { max: 4 }) : await openPglite({ dataDir: undefined });
  await migrate(db);
  return { services: createServices(db, { hasher: testHasher }), close: () => db.close() };
};
