import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_FOLLOWUP_MONTHS } from '../core/impact/followups.js';

const booleanText = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  SEED_DEMO: booleanText.optional(),
  COOKIE_SECURE: booleanText.optional(),
  TRUST_PROXY: booleanText.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  IMPORT_LIMIT_BYTES: z.coerce.number().int().min(1024).default(104_857_600),
  PUBLIC_URL: z.url().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Mobilise <no-reply@localhost>'),
  DIGEST_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(60),
  SNAPSHOT_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(10),
  FEED_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  FOLLOWUP_MONTHS: z
    .string()
    .transform((text) => text.split(',').map((part) => Number(part.trim())))
    .pipe(z.array(z.number({ error: 'must be whole months separated by commas, like 1,3,6,12' }).int('must be whole months').min(1).max(60, 'at most 60 months')))
    .optional(),
});

export interface Config {
  port: number;
  host: string | undefined;
  /** Absolute path of the PGlite data directory; unused when `databaseUrl` is set. */
  dataDir: string;
  databaseUrl: string | undefined;
  isProduction: boolean;
  /** Seed the demo workspace into an empty database: development only, never on a server database by default. */
  seedDemo: boolean;
  cookieSecure: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (for login throttling). */
  trustProxy: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  bodyLimitBytes: number;
  /** Uploaded reference files may be this large. */
  importLimitBytes: number;
  publicUrl: string | undefined;
  /** Digests of new evidence go through this SMTP server; without it they wait for a fellow to send. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** How often digests are built (0: only by `mobilise digests send`). */
  digestIntervalMinutes: number;
  /** How often the evidence index snapshot is written while running, if the index changed (0: only on stop). */
  snapshotIntervalMinutes: number;
  /** Changes older than this are pruned from the evidence change feed (daily); nodes further behind rebuild. */
  feedRetentionDays: number;
  /** Follow-ups after delivery, this many months after (default 1, 3, 6 and 12). */
  followupMonths: number[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Reads the environment once, at start; reports every problem at once. */
export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(blanksRemoved);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = parsed.data;
  const isProduction = values.NODE_ENV === 'production';
  const seedDemo = values.SEED_DEMO ?? (!isProduction && values.DATABASE_URL === undefined);
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir: resolve(values.DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    isProduction,
    seedDemo,
    cookieSecure: values.COOKIE_SECURE ?? isProduction,
    trustProxy: values.TRUST_PROXY,
    logLevel: values.LOG_LEVEL,
    bodyLimitBytes: values.BODY_LIMIT_BYTES,
    importLimitBytes: values.IMPORT_LIMIT_BYTES,
    publicUrl: values.PUBLIC_URL,
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    digestIntervalMinutes: values.DIGEST_INTERVAL_MINUTES,
    snapshotIntervalMinutes: values.SNAPSHOT_INTERVAL_MINUTES,
    feedRetentionDays: values.FEED_RETENTION_DAYS,
    followupMonths: [...new Set(values.FOLLOWUP_MONTHS ?? DEFAULT_FOLLOWUP_MONTHS)].sort((left, right) => left - right),
  };
};
