import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import { DEMO_PASSWORD, demoAccounts } from '../../demo-workspace.js';
import { startServer } from '../../server/main.js';

export const startCommand = async (config: Config, logger: Logger): Promise<void> => {
  const started = performance.now();
  const server = await startServer(config, logger);
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  const lines = [`Mobilise is running at ${server.url} (database: ${where}, ready in ${Math.round(performance.now() - started)} ms)`];
  if (server.hasDemoWorkspace && !config.isProduction) {
    lines.push(
      server.seeded ? 'Seeded the demo workspace "ARC South London (demo)". Demo accounts:' : 'Demo accounts:',
      ...demoAccounts.map((account) => `  ${account.role.padEnd(12)} ${account.email}`),
      `  password for all of them: ${DEMO_PASSWORD}`,
    );
  }
  lines.push('Press Ctrl+C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
};
