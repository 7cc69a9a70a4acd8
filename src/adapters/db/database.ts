import type { Sql } from '../../core/shared/sql.js';

/** A database connection as the app uses it: the core's `Sql` port plus what only operators need. */
export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs a script of several statements (migrations) inside the given transaction handle. */
  execScript(tx: Sql, script: string): Promise<void>;
  /** LISTEN on a channel with a dedicated connection (PostgreSQL only: PGlite's notifications stay in its worker). */
  listen?(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A PostgreSQL error as both drivers report it, with the SQLSTATE code (e.g. 23505). */
export interface DatabaseErrorShape {
  code?: string;
  constraint?: string;
  detail?: string;
}

export const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as DatabaseErrorShape).code === '23505';

/**
 * Type parsing kept the same on both drivers: bigint and numeric as numbers (our counts fit),
 * `date` as the plain `YYYY-MM-DD` text (a date has no time zone), timestamps as Date.
 */
export const TYPE_OIDS = { int8: 20, numeric: 1700, date: 1082 } as const;
