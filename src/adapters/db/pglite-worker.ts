/**
 * The source of the worker thread that owns PGlite. PGlite runs its WebAssembly on the calling
 * thread, and a burst of queries froze the event loop for seconds (DESIGN.md, known pitfalls), so
 * the database lives on its own thread and the app talks to it by messages.
 *
 * The worker is started with `eval: true` from this string so the same code runs from `src/` under
 * Vitest and from `dist/` in production, with no build step for a separate entry file.
 */
export const pgliteWorkerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const toError = (error) => ({
  message: error && error.message ? error.message : String(error),
  code: error && error.code, detail: error && error.detail, constraint: error && error.constraint,
  severity: error && error.severity,
});
(async () => {
  const { PGlite } = await import(workerData.moduleUrl);
  const identity = (value) => value;
  const db = await PGlite.create(workerData.dataDir, {
    parsers: { 20: Number, 1700: Number, 1082: identity },
  });
  parentPort.on('message', async (message) => {
    try {
      if (message.op === 'close') {
        await db.close();
        parentPort.postMessage({ id: message.id, rows: [] });
        return;
      }
      if (message.op === 'exec') {
        await db.exec(message.sql);
        parentPort.postMessage({ id: message.id, rows: [] });
        return;
      }
      const result = await db.query(message.sql, message.params);
      parentPort.postMessage({ id: message.id, rows: result.rows });
    } catch (error) {
      parentPort.postMessage({ id: message.id, error: toError(error) });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((error) => parentPort.postMessage({ fatal: toError(error) }));
`;
