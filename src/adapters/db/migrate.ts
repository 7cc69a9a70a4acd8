import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

/** `migrations/` at the package root: the same relative place from `src/` and from `dist/`. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

// Any constant will do; it keeps two nodes starting at once from migrating together.
const MIGRATION_LOCK_KEY = 4_126_2026;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Reads `NNNN_name.sql` files in order. Numbers must be unique and files are never edited once merged. */
export const readMigrations = (dir = MIGRATIONS_DIR): Migration[] => {
  const files = readdirSync(dir).filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file)).sort();
  const seen = new Set<number>();
  return files.map((file) => {
    const version = Number(file.slice(0, 4));
    if (seen.has(version)) {
      throw new Error(`Two migrations share the number ${version} (${file})`);
    }
    seen.add(version);
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    return { version, name: file.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
};

/**
 * Applies every migration not yet applied, each in its own transaction, forward only. A migration
 * whose file changed after it was applied stops the start: that is a mistake to fix, not to paper over.
 */
export const migrate = async (db: Database, migrations = readMigrations()): Promise<{ applied: string[] }> => {
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(
      `create table if not exists schema_migrations (
         version integer primary key, name text not null, checksum text not null,
         applied_at timestamptz not null default now())`,
    );
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    // eslint-disable-next-line no-await-in-loop -- migrations apply strictly in order
    const didApply = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const [done] = await tx.query<{ checksum: string }>('select checksum from schema_migrations where version = $1', [migration.version]);
      if (done) {
        if (done.checksum !== migration.checksum) {
          throw new Error(`Migration ${migration.name} was changed after it was applied; add a new migration instead`);
        }
        return false;
      }
      await db.execScript(tx, migration.sql);
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      return true;
    });
    if (didApply) {
      applied.push(migration.name);
    }
  }
  return { applied };
};
