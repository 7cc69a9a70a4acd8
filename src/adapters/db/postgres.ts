import pg from 'pg';
import type { Sql } from '../../core/shared/sql.js';
import { TYPE_OIDS, type Database } from './database.js';

const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === TYPE_OIDS.int8 || oid === TYPE_OIDS.numeric) {
      return Number;
    }
    if (oid === TYPE_OIDS.date) {
      return (value: string) => value;
    }
    return pg.types.getTypeParser(oid, format);
  },
};

/** Connects to a PostgreSQL server with node-postgres; the production and multi-node database. */
export const openPostgres = async (connectionString: string, options: { max?: number } = {}): Promise<Database> => {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, types });
  // Fail at start, with the driver's message, rather than on the first request.
  const probe = await pool.connect();
  probe.release();

  // LISTEN holds a connection for as long as it listens; closing the database ends them first,
  // or pool.end() would wait for them for ever.
  const listening = new Set<() => Promise<void>>();

  const bind = (client: pg.PoolClient): Sql => {
    const tx: Sql = {
      query: async <Row>(text: string, params?: readonly unknown[]) => (await client.query(text, params as unknown[])).rows as Row[],
      transaction: (work) => work(tx),
    };
    return tx;
  };

  return {
    kind: 'postgres',
    query: async <Row>(text: string, params?: readonly unknown[]) => (await pool.query(text, params as unknown[])).rows as Row[],
    transaction: async <T>(work: (tx: Sql) => Promise<T>) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(bind(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
    // The simple query protocol (no parameters) runs a script of several statements.
    execScript: async (tx, script) => {
      await tx.query(script);
    },
    listen: async (channel, onNotify) => {
      if (!/^[a-z_]+$/.test(channel)) {
        throw new Error(`Not a channel name: ${channel}`);
      }
      const client = await pool.connect();
      const handler = (message: pg.Notification) => {
        if (message.channel === channel) {
          onNotify(message.payload ?? '');
        }
      };
      client.on('notification', handler);
      await client.query(`listen ${channel}`);
      let isReleased = false;
      const stop = async () => {
        if (isReleased) {
          return;
        }
        isReleased = true;
        listening.delete(stop);
        client.off('notification', handler);
        // The connection may already be gone (server stopping); releasing it is all that matters then.
        await client.query(`unlisten ${channel}`).catch(() => undefined);
        client.release();
      };
      listening.add(stop);
      return stop;
    },
    close: async () => {
      await Promise.all([...listening].map((stop) => stop()));
      await pool.end();
    },
  };
};
