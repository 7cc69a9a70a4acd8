import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ScreeningText } from '../../core/screening/features.js';
import type { RankRequest, RankResult, WorkerReply, WorkerRequest } from './ranking-worker.js';

/**
 * The screening worker thread, seen from the main thread. Building a review's features and training
 * its model take from milliseconds to seconds of CPU (docs/decisions/0010): on the main event loop
 * that would stall every HTTP request and event stream, so the work runs here, one thread per ranker.
 *
 * Like the PGlite worker (`src/adapters/db/pglite-worker.ts`), the thread is started with `eval: true`
 * from a string and imports its module (`ranking-worker`) by URL, so the same code runs from `dist/`
 * (`.js`) and from `src/` under Vitest (`.ts`). Node 20 cannot load TypeScript, so from `src/` the
 * thread first registers module hooks that compile `.ts` files with esbuild (Vite's, present wherever
 * Vitest is) and resolve `./x.js` imports to `./x.ts`.
 */

/** Loader hooks for the `.ts` sources (Vitest only): esbuild strips the types, nothing is type-checked. */
const typescriptHooks = `
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
let esbuild;
export const initialize = (data) => {
  esbuild = createRequire(data.requireFrom)(data.esbuild);
};
export const resolve = async (specifier, context, nextResolve) => {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL && context.parentURL.endsWith('.ts')) {
      return nextResolve(specifier.slice(0, -3) + '.ts', context);
    }
    throw error;
  }
};
export const load = async (url, context, nextLoad) => {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) {
    return nextLoad(url, context);
  }
  const path = fileURLToPath(url);
  const { code } = esbuild.transformSync(await readFile(path, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20', sourcefile: path, sourcemap: 'inline' });
  return { format: 'module', source: code, shortCircuit: true };
};
`;

// Builtins are imported, not required: the script runs as ESM when the process was started with
// \`--input-type=module\` (its flags pass to the thread), and as CommonJS otherwise.
const workerSource = `
(async () => {
  const { parentPort, workerData } = await import('node:worker_threads');
  const loading = (async () => {
    if (workerData.typescript) {
      const { register } = await import('node:module');
      register(workerData.typescript.hooksUrl, { data: workerData.typescript });
    }
    const { createRankingWorker } = await import(workerData.moduleUrl);
    return createRankingWorker();
  })();
  // A module that cannot load kills the thread: the ranker hears of it as an error and starts another.
  loading.catch((error) => setImmediate(() => { throw error; }));
  parentPort.on('message', (message) => {
    loading.then((worker) => {
      const { reply, transfer } = worker.handle(message);
      if (reply) {
        parentPort.postMessage(reply, transfer);
      }
    }, () => undefined);
  });
})();
`;

const isTypescript = import.meta.url.endsWith('.ts');

const workerData = () => ({
  moduleUrl: new URL(`./ranking-worker.${isTypescript ? 'ts' : 'js'}`, import.meta.url).href,
  typescript: isTypescript
    ? {
        hooksUrl: `data:text/javascript,${encodeURIComponent(typescriptHooks)}`,
        requireFrom: import.meta.url,
        esbuild: createRequire(import.meta.url).resolve('esbuild'),
      }
    : undefined,
});

export interface RankInput {
  readonly reviewId: string;
  /** Sent when the review's feature space must be (re)built; see `hasFeatures`. */
  readonly texts?: readonly ScreeningText[] | undefined;
  /** The decided records, by number, and whether each was included. */
  readonly labels: readonly { readonly record: number; readonly isIncluded: boolean }[];
  readonly model: RankRequest['model'];
  readonly protocol: string;
  readonly seed: number;
}

export interface RankingThread {
  /** Ranks on the worker thread, starting it if there is none (the first call, or after it died). */
  rank(input: RankInput): Promise<RankResult>;
  /** True when the running thread has built the review's features (so `texts` may be left out). */
  hasFeatures(reviewId: string): boolean;
  /** Lets the thread drop the review's features and model. */
  forget(reviewId: string): void;
  /** Terminates the thread; requests waiting are rejected, and later ones too. */
  close(): Promise<void>;
  /** The running thread, if any (tests and diagnostics). */
  readonly worker: Worker | undefined;
}

export class RankingThreadError extends Error {
  override readonly name = 'RankingThreadError';
}

const errorTypes: Record<string, ErrorConstructor> = { TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

/** Reads a failure sent by the thread back into an Error of the same type, keeping the thread's stack. */
const toError = (failure: { name: string; message: string; stack: string | undefined }): Error => {
  const error = new (errorTypes[failure.name] ?? Error)(failure.message);
  error.name = failure.name;
  if (failure.stack) {
    error.stack = failure.stack;
  }
  return error;
};

export const createRankingThread = (): RankingThread => {
  let worker: Worker | undefined;
  /** Reviews whose features the running thread has built. */
  let built = new Set<string>();
  const pending = new Map<number, { resolve: (result: RankResult) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let isClosed = false;

  /** A dead or closed thread: reject what waits on it, and let the next request start another. */
  const drop = (dead: Worker, error: Error): void => {
    if (worker !== dead) {
      return;
    }
    worker = undefined;
    built = new Set();
    for (const waiter of pending.values()) {
      waiter.reject(error);
    }
    pending.clear();
    void dead.terminate();
  };

  const start = (): Worker => {
    const started = new Worker(workerSource, { eval: true, workerData: workerData() });
    // An idle thread never holds the process open; one with a request to answer does (`ref` in `rank`).
    started.unref();
    started.on('message', (reply: WorkerReply) => {
      const waiter = pending.get(reply.id);
      pending.delete(reply.id);
      if (pending.size === 0) {
        started.unref();
      }
      if (!waiter) {
        return;
      }
      if ('error' in reply) {
        waiter.reject(toError(reply.error));
      } else {
        waiter.resolve(reply.result);
      }
    });
    started.on('error', (error) => drop(started, error));
    started.on('exit', (code) => drop(started, new RankingThreadError(`the screening worker thread stopped (exit code ${code})`)));
    return started;
  };

  return {
    rank(input) {
      if (isClosed) {
        return Promise.reject(new RankingThreadError('the screening ranker is closed'));
      }
      let current: Worker;
      try {
        current = worker ??= start();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      const id = nextId++;
      const records = Int32Array.from(input.labels, (label) => label.record);
      const included = Uint8Array.from(input.labels, (label) => (label.isIncluded ? 1 : 0));
      const request: RankRequest = { type: 'rank', id, reviewId: input.reviewId, texts: input.texts, records, included, model: input.model, protocol: input.protocol, seed: input.seed };
      return new Promise<RankResult>((resolve, reject) => {
        pending.set(id, {
          resolve: (result) => {
            if (input.texts && worker === current) {
              built.add(input.reviewId);
            }
            resolve(result);
          },
          reject: (error) => {
            if (input.texts && worker === current) {
              built.delete(input.reviewId);
            }
            reject(error);
          },
        });
        if (input.texts) {
          built.delete(input.reviewId);
        }
        current.ref();
        try {
          current.postMessage(request satisfies WorkerRequest, [records.buffer, included.buffer]);
        } catch (error) {
          pending.delete(id);
          if (pending.size === 0) {
            current.unref();
          }
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    hasFeatures: (reviewId) => worker !== undefined && built.has(reviewId),
    forget(reviewId) {
      built.delete(reviewId);
      worker?.postMessage({ type: 'forget', reviewId } satisfies WorkerRequest);
    },
    async close() {
      isClosed = true;
      const current = worker;
      if (current) {
        const stopped = current.terminate();
        drop(current, new RankingThreadError('the screening ranker is closed'));
        await stopped;
      }
    },
    get worker() {
      return worker;
    },
  };
};
