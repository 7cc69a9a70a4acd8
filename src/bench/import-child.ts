import { createReadStream } from 'node:fs';
import type { ImportFormat } from '../core/evidence/record.js';
import { openFileSource } from '../adapters/formats/file-source.js';
import { readLines } from '../adapters/formats/lines.js';
import { parsers } from '../adapters/formats/registry.js';

/**
 * Measures one file in a fresh process, so that its peak memory (maxRSS) is its own. First the
 * baseline, read and split into lines with no parsing (the I/O floor), then our streaming parser.
 */
const [format, path] = process.argv.slice(2) as [ImportFormat, string];

const baselineStart = performance.now();
let lines = 0;
for await (const _line of readLines(createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 }) as AsyncIterable<string>)) {
  lines += 1;
}
const baselineSeconds = (performance.now() - baselineStart) / 1000;

let peakHeap = 0;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 20);
const start = performance.now();
const source = await openFileSource(path);
let records = 0;
let invalid = 0;
for await (const event of parsers[format](source.chunks)) {
  if (event.kind === 'record') {
    records += 1;
  } else {
    invalid += 1;
  }
}
const seconds = (performance.now() - start) / 1000;
clearInterval(sampler);
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
process.stdout.write(
  JSON.stringify({ records, invalid, seconds, lines, baselineSeconds, bytes: source.bytesRead(), peakRssMb: process.resourceUsage().maxRSS / 1024, peakHeapMb: peakHeap / 1_048_576 }),
);
