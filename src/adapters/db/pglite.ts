import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../core/shared/errors.js';
import type { Sql } from '../../core/shared/sql.js';
import type { Database } from './database.js';
import { pgliteWorkerSource } from './pglite-worker.js';

type Reply = { id: number; rows?: unknown[]; error?: { message: string; code?: string; detail?: string; constraint?: string } };

export class PgliteQueryError extends Error {
  override readonly name = 'PgliteQueryError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail: string | undefined,
    readonly constraint: string | undefined,
  ) {
    super(message);
  }
}

const LOCK_FILE = 'mobilise.lock';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * PGlite takes no lock of its own and two processes on one data directory diverge (DESIGN.md), so
 * we hold a lock file with our pid. A stale lock (its process gone) is taken over.
 */
const takeLock = (dataDir: string, holder: string): (() => void) => {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, holder, since: new Date().toISOString() }));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      const owner = readLock(path);
      if (owner && owner.pid !== process.pid && isAlive(owner.pid)) {
        throw new AppError(
          'database.locked',
          `The database in ${dataDir} is in use by ${owner.holder} (pid ${owner.pid}). ` +
            'Stop it first, or do this through the running server (web pages or API).',
          { dataDir, pid: owner.pid },
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new AppError('database.locked', `Could not lock the database in ${dataDir}`);
};

const readLock = (path: string): { pid: number; holder: string } | undefined => {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'pid' in parsed && typeof parsed.pid === 'number') {
      const holder = 'holder' in parsed && typeof parsed.holder === 'string' ? parsed.holder : 'another process';
      return { pid: parsed.pid, holder };
    }
  } catch {
    // An unreadable or half-written lock file is treated as stale: the writer died mid-write.
  }
  return undefined;
};

export interface PgliteOptions {
  /** A directory for a durable database, or undefined for an in-memory one (tests). */
  dataDir: string | undefined;
  /** Named in the lock file so that a second process can say who holds the database. */
  holder?: string;
}

/** Opens PGlite on a worker thread. Statements are serialised: PGlite has one connection. */
export const openPglite = async ({ dataDir, holder = 'a Mobilise process' }: PgliteOptions): Promise<Database> => {
  const release = dataDir ? takeLock(dataDir, holder) : () => undefined;
  const moduleUrl = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href.replace(/index\.cjs$/, 'index.js');
  const worker = new Worker(pgliteWorkerSource, { eval: true, workerData: { moduleUrl, dataDir: dataDir ?? 'memory://' } });
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let failure: Error | undefined;

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: Reply & { ready?: boolean; fatal?: { message: string } }) => {
      if (message.ready) {
        resolve();
        return;
      }
      if (message.fatal) {
        failure = new Error(`PGlite failed to start: ${message.fatal.message}`);
        reject(failure);
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (!waiter) {
        return;
      }
      if (message.error) {
        const { error } = message;
        waiter.reject(new PgliteQueryError(error.message, error.code, error.detail, error.constraint));
      } else {
        waiter.resolve(message.rows ?? []);
      }
    });
    worker.on('error', (error) => {
      failure = error;
      reject(error);
      for (const waiter of pending.values()) {
        waiter.reject(error);
      }
      pending.clear();
    });
  });
  try {
    await ready;
  } catch (error) {
    release();
    await worker.terminate();
    throw error;
  }

  const send = (op: 'query' | 'exec' | 'close', sql: string, params?: readonly unknown[]): Promise<unknown[]> => {
    if (failure) {
      return Promise.reject(failure);
    }
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, sql, params: params ?? [] });
    });
  };

  // One connection: a transaction holds it until commit, and other statements wait their turn.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };

  const inTransaction: Sql = {
    query: async <Row>(text: string, params?: readonly unknown[]) => (await send('query', text, params)) as Row[],
    transaction: (work) => work(inTransaction),
  };

  return {
    kind: 'pglite',
    query: <Row>(text: string, params?: readonly unknown[]) => exclusive(async () => (await send('query', text, params)) as Row[]),
    transaction: <T>(work: (tx: Sql) => Promise<T>) =>
      exclusive(async () => {
        await send('query', 'begin');
        try {
          const result = await work(inTransaction);
          await send('query', 'commit');
          return result;
        } catch (error) {
          await send('query', 'rollback');
          throw error;
        }
      }),
    execScript: async (_tx, script) => {
      await send('exec', script);
    },
    close: async () => {
      await exclusive(() => send('close', ''));
      await worker.terminate();
      release();
    },
  };
};
