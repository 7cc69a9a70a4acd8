import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * resvg's WebAssembly build in a worker thread, for PNGs that need one of the machine's fonts
 * (docs/decisions/0011-font-fallback-for-png-and-pdf.md). resvg-js on Node takes font files by path
 * and reads a whole file again for each glyph it draws from it, so a 17 MB CJK font made a diagram
 * take twice as long. The WebAssembly build of the same resvg takes font buffers: the worker reads each
 * file once and keeps it. It is the same resvg version (both packages are pinned to it), so it draws
 * the same picture, byte for byte; the native build stays for the usual case (bundled fonts only), as
 * it is a little faster and runs several renders at once on libuv's thread pool.
 */

/** What `renderAsync` takes besides the fonts; `font.fontBuffers` is filled in by the worker. */
export interface WasmRenderOptions {
  fitTo?: { mode: 'zoom'; value: number };
  background?: string;
  font?: { defaultFontFamily?: string; sansSerifFamily?: string };
  logLevel?: 'off' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
}

const require = createRequire(import.meta.url);

/** Plain CommonJS run with `eval`, so it needs no build step and works the same from source and from dist. */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { initWasm, Resvg } = require(workerData.module);
const ready = initWasm(readFileSync(workerData.wasm));
const buffers = new Map();
const load = (path) => {
  let buffer = buffers.get(path);
  if (buffer === undefined) {
    buffer = readFileSync(path);
    buffers.set(path, buffer);
  }
  return buffer;
};
parentPort.on('message', async ({ id, svg, options, files }) => {
  try {
    await ready;
    const resvg = new Resvg(svg, { ...options, font: { ...options.font, fontBuffers: files.map(load) } });
    try {
      const image = resvg.render();
      try {
        parentPort.postMessage({ id, png: image.asPng() });
      } finally {
        image.free();
      }
    } finally {
      resvg.free();
    }
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
`;

interface Pending {
  resolve: (png: Uint8Array<ArrayBuffer>) => void;
  reject: (error: Error) => void;
}

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

const startWorker = (): Worker => {
  const started = new Worker(workerSource, {
    eval: true,
    workerData: { module: require.resolve('@resvg/resvg-wasm'), wasm: require.resolve('@resvg/resvg-wasm/index_bg.wasm') },
  });
  started.on('message', ({ id, png, error }: { id: number; png?: Uint8Array; error?: string }) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) {
      // An idle worker does not keep the process alive.
      started.unref();
    }
    if (waiting !== undefined) {
      if (png === undefined) {
        waiting.reject(new Error(`resvg: ${error ?? 'no picture'}`));
      } else {
        // A copy on a plain ArrayBuffer, as a response body.
        waiting.resolve(new Uint8Array(png));
      }
    }
  });
  const fail = (error: Error) => {
    if (worker === started) {
      worker = undefined;
    }
    for (const waiting of pending.values()) {
      waiting.reject(error);
    }
    pending.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the resvg worker stopped (exit code ${code})`)));
  return started;
};

/**
 * Renders an SVG as a PNG with these font files, each read from disk once per process and kept in the
 * worker. Renders queue in the one worker; the event loop is not held up.
 */
export const renderWithFontBuffers = (svg: string, options: WasmRenderOptions, files: readonly string[]): Promise<Uint8Array<ArrayBuffer>> =>
  new Promise((resolve, reject) => {
    worker ??= startWorker();
    worker.ref();
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, svg, options, files });
  });
