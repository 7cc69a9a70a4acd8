import { describe, expect, it } from 'vitest';
import { describeSchema } from './schema.js';
import { migrate, readMigrations } from './migrate.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

const postgresUrl = process.env.TEST_DATABASE_URL;

describe('schema', () => {
  it('is what the migrations describe: every table has columns and a primary key', async () => {
    const db = await openPglite({ dataDir: undefined });
    try {
      await migrate(db);
      const schema = await describeSchema(db);
      for (const table of ['users', 'sessions', 'api_tokens', 'organisations', 'themes', 'people', 'needs', 'need_events', 'need_comments']) {
        expect(schema.some((line) => line.startsWith(`constraint ${table}.`) && line.includes('PRIMARY KEY'))).toBe(true);
      }
      // Migrating again applies nothing and changes nothing.
      expect((await migrate(db)).applied).toEqual([]);
      expect(await describeSchema(db)).toEqual(schema);
    } finally {
      await db.close();
    }
  });

  it('gives records stored before migration 0019 the line of the file that brought them', async () => {
    const db = await openPglite({ dataDir: undefined });
    try {
      await migrate(db, readMigrations().filter((migration) => migration.version < 19));
      const [batch] = await db.query<{ id: string; library_id: string }>(
        `insert into import_batches (library_id, file_name, format, file_sha256, parsed_count, imported_count, duplicate_count, invalid_count)
         select id, 'a.ris', 'ris', 'x', 3, 2, 1, 0 from libraries where kind = 'main' returning id, library_id`,
      );
      const [later] = await db.query<{ id: string }>(
        `insert into import_batches (library_id, file_name, format, file_sha256, parsed_count, imported_count, duplicate_count, invalid_count)
         values ($1, 'b.ris', 'ris', 'y', 1, 0, 1, 0) returning id`,
        [batch?.library_id],
      );
      const insertRecord = async (title: string, batchId: string | null) => {
        const [row] = await db.query<{ id: string }>(
          "insert into evidence_records (library_id, title, title_key, first_batch_id) values ($1, $2, $2, $3::uuid) returning id",
          [batch?.library_id, title, batchId],
        );
        return row?.id as string;
      };
      const [seven, three] = [await insertRecord('line seven', batch?.id ?? null), await insertRecord('line three', batch?.id ?? null), await insertRecord('typed in', null)];
      // A record's first file gave it line 7 and, as a copy further down, line 12; another file gave it line 1.
      await db.query(
        `insert into record_sources (record_id, batch_id, line, fields) values
           ($1::uuid, $3::uuid, 12, '{}'), ($1, $3, 7, '{}'), ($1, $4::uuid, 1, '{}'), ($2::uuid, $3, 3, '{}')`,
        [seven, three, batch?.id, later?.id],
      );
      expect((await migrate(db)).applied).toContain('0019_evidence_records_first_line');
      const lines = await db.query<{ title: string; first_line: number | null }>('select title, first_line from evidence_records order by title');
      expect(lines).toEqual([
        { title: 'line seven', first_line: 7 },
        { title: 'line three', first_line: 3 },
        { title: 'typed in', first_line: null },
      ]);
    } finally {
      await db.close();
    }
  });

  // Under CI=true a missing PostgreSQL fails this test instead of skipping it.
  it.runIf(postgresUrl !== undefined || process.env.CI === 'true')('is the same on PGlite and on the PostgreSQL server', async () => {
    if (!postgresUrl) {
      throw new Error('TEST_DATABASE_URL is required in CI');
    }
    const [embedded, server] = await Promise.all([openPglite({ dataDir: undefined }), openPostgres(postgresUrl, { max: 2 })]);
    try {
      await Promise.all([migrate(embedded), migrate(server)]);
      const [left, right] = await Promise.all([describeSchema(embedded), describeSchema(server)]);
      expect(left.length).toBeGreaterThan(50);
      expect(right).toEqual(left);
    } finally {
      await Promise.all([embedded.close(), server.close()]);
    }
  });
});
