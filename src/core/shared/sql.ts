/**
 * The storage port: the shape of a PostgreSQL connection, implemented by PGlite (embedded) and
 * node-postgres (server). Repositories take it; use cases open transactions through it.
 */
export interface Sql {
  /** Runs one parameterised statement (`$1`, `$2`, …) and returns its rows. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}
