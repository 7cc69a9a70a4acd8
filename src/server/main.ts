import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { migrate } from '../adapters/db/migrate.js';
import { createServices, openDatabase, type ServiceOptions } from '../compose.js';
import { DEMO_WORKSPACE_NAME, seedDemoWorkspace } from '../demo-workspace.js';
import { createApp } from './app.js';
import { createSmtpMailer } from '../adapters/mail/smtp-mailer.js';

export interface RunningServer {
  url: string;
  port: number;
  /** True when this start seeded the demo workspace into an empty database. */
  seeded: boolean;
  hasDemoWorkspace: boolean;
  close(): Promise<void>;
}

/** Opens the database, migrates it, seeds the demo when asked, and listens. */
export const startServer = async (config: Config, logger: Logger, serviceOptions: ServiceOptions = {}): Promise<RunningServer> => {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: `the Mobilise server (port ${config.port})` });
  try {
    const { applied } = await migrate(db);
    if (applied.length > 0) {
      logger.info({ applied }, 'applied migrations');
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const services = createServices(db, {
    snapshotPath: join(config.dataDir, 'index', 'evidence.snapshot'),
    logger,
    mailer: config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.mailFrom) : undefined,
    publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
    followupMonths: config.followupMonths,
    ...serviceOptions,
  });
  const seeded = config.seedDemo ? await seedDemoWorkspace(services, services.clock.now()) : false;
  const index = await services.search.start();
  await services.bus.start();
  logger.info(index, 'evidence index ready');
  // Stored study designs classified by older rules are classified again, in the background and in
  // short batches (requests are served meanwhile); designs set by hand are left alone.
  let isStopping = false;
  const reclassifying = services.reclassification.reclassifyIfOutdated({ shouldStop: () => isStopping }).then(
    (result) => {
      if (result) {
        const { rulesVersion, previousVersion, complete, records, changed, changes } = result;
        logger.info({ rulesVersion, previousVersion, complete, records, changed, changes }, 'reclassified stored study designs');
      }
    },
    (error: unknown) => logger.error({ err: error }, 'could not reclassify stored study designs'),
  );
  const [workspace] = await db.query<{ name: string }>('select name from workspace');
  const app = createApp({
    services,
    logger,
    options: { cookieSecure: config.cookieSecure, bodyLimitBytes: config.bodyLimitBytes, importLimitBytes: config.importLimitBytes, checkResponses: !config.isProduction, trustProxy: config.trustProxy },
  });
  const server = serve({ fetch: app.fetch, port: config.port, ...(config.host ? { hostname: config.host } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  // Digests of new evidence: sent through SMTP when configured, otherwise kept for a fellow.
  const digestTimer =
    config.digestIntervalMinutes > 0
      ? setInterval(() => {
          services.digests.sendDigests().then(
            (result) => logger.info(result, 'digests of new evidence'),
            (error: unknown) => logger.error({ err: error }, 'digests failed'),
          );
          // Follow-ups that have fallen due: emailed through SMTP, or left on /followups for a fellow to send.
          services.followups.sendDue().then(
            (result) => logger.info(result, 'follow-ups'),
            (error: unknown) => logger.error({ err: error }, 'follow-ups failed'),
          );
        }, config.digestIntervalMinutes * 60_000)
      : undefined;
  digestTimer?.unref();
  // The index snapshot is written now and then (not only on stop), so that a crash still restarts fast;
  // once a day the change feed loses what every node has long applied.
  const snapshotTimer =
    config.snapshotIntervalMinutes > 0
      ? setInterval(() => {
          try {
            services.search.saveSnapshot();
          } catch (error) {
            logger.error({ err: error }, 'could not write the index snapshot');
          }
        }, config.snapshotIntervalMinutes * 60_000)
      : undefined;
  snapshotTimer?.unref();
  const pruneTimer = setInterval(() => {
    services.search.pruneFeed(config.feedRetentionDays).then(
      (pruned) => pruned > 0 && logger.info({ pruned }, 'pruned the evidence change feed'),
      (error: unknown) => logger.error({ err: error }, 'could not prune the change feed'),
    );
  }, 86_400_000);
  pruneTimer.unref();
  return {
    url: config.publicUrl ?? `http://localhost:${port}`,
    port,
    seeded,
    hasDemoWorkspace: workspace?.name === DEMO_WORKSPACE_NAME,
    close: async () => {
      clearInterval(digestTimer);
      clearInterval(snapshotTimer);
      clearInterval(pruneTimer);
      // Open event streams would hold the server open for ever.
      if ('closeAllConnections' in server) {
        server.closeAllConnections();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A reclassification under way stops after its current batch; the next start runs it again.
      isStopping = true;
      await reclassifying;
      await services.bus.stop();
      await services.search.stop();
      await services.ranker.close();
      await db.close();
    },
  };
};
