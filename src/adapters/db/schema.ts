import type { Sql } from '../../core/shared/sql.js';

/**
 * A comparable description of the public schema: tables and columns with types, nullability and
 * defaults; constraints with their definitions; indexes. Used to prove that the same migrations
 * give the same schema on PGlite and on a PostgreSQL server (the drift check of STYLE.md §7).
 */
export const describeSchema = async (sql: Sql): Promise<string[]> => {
  const columns = await sql.query<{ line: string }>(
    `select format('column %s.%s %s%s default %s', table_name, column_name, data_type,
              case when is_nullable = 'NO' then ' not null' else '' end, coalesce(column_default, 'none')) as line
     from information_schema.columns where table_schema = 'public'`,
  );
  const constraints = await sql.query<{ line: string }>(
    `select format('constraint %s.%s %s', rel.relname, con.conname, pg_get_constraintdef(con.oid)) as line
     from pg_constraint con join pg_class rel on rel.oid = con.conrelid join pg_namespace ns on ns.oid = rel.relnamespace
     -- PostgreSQL 18 also lists NOT NULL as constraints (contype 'n'); columns already carry nullability.
     where ns.nspname = 'public' and con.contype <> 'n'`,
  );
  const indexes = await sql.query<{ line: string }>(`select format('index %s', indexdef) as line from pg_indexes where schemaname = 'public'`);
  const sequences = await sql.query<{ line: string }>(
    `select format('sequence %s %s', sequence_name, data_type) as line from information_schema.sequences where sequence_schema = 'public'`,
  );
  const triggers = await sql.query<{ line: string }>(
    `select format('trigger %s.%s %s %s %s', event_object_table, trigger_name, action_timing, event_manipulation, action_statement) as line
     from information_schema.triggers where trigger_schema = 'public'`,
  );
  return [...columns, ...constraints, ...indexes, ...sequences, ...triggers].map((row) => row.line).sort();
};
