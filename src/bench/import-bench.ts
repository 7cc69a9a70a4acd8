import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFormats, type ImportFormat } from '../core/evidence/record.js';
import { readBenchArgs } from './args.js';
import { loadSamples, writeGeneratedFile } from './generate.js';

/**
 * `npm run bench:import -- [--records N] [--small N] [--formats ris,pubmed-xml] [--json]`
 * For each format: generate files of N and `small` records, parse each in its own process, and
 * report records per second, throughput, and peak memory at both sizes (flat memory means the
 * parser streams). Baseline, side by side: splitting the same file into lines without parsing.
 */
const { option, has, wholeNumber } = readBenchArgs('import', ['records', 'small', 'formats', 'json']);
const records = wholeNumber(option('records', '100000'), 'records');
const small = wholeNumber(option('small', '10000'), 'small');
const formats = option('formats', importFormats.join(',')).split(',') as ImportFormat[];
const isJson = has('json');
const child = fileURLToPath(new URL('./import-child.js', import.meta.url));
const screening = fileURLToPath(new URL('../../../shared/data/screening', import.meta.url));

interface Measurement {
  records: number;
  invalid: number;
  seconds: number;
  lines: number;
  baselineSeconds: number;
  bytes: number;
  peakRssMb: number;
  peakHeapMb: number;
}

const measure = (format: ImportFormat, path: string): Measurement => JSON.parse(execFileSync(process.execPath, [child, format, path], { encoding: 'utf8', maxBuffer: 1 << 20 })) as Measurement;

const dir = mkdtempSync(join(tmpdir(), 'mobilise-bench-'));
const samples = loadSamples(screening);
const results = [];
try {
  for (const format of formats) {
    const largePath = join(dir, `large.${format}`);
    const smallPath = join(dir, `small.${format}`);
    await writeGeneratedFile(format, largePath, records, samples);
    await writeGeneratedFile(format, smallPath, small, samples);
    const large = measure(format, largePath);
    const little = measure(format, smallPath);
    const result = {
      format,
      records: large.records,
      invalid: large.invalid,
      fileMb: Math.round((large.bytes / 1_048_576) * 10) / 10,
      seconds: Math.round(large.seconds * 1000) / 1000,
      recordsPerSecond: Math.round(large.records / large.seconds),
      mbPerSecond: Math.round((large.bytes / 1_048_576 / large.seconds) * 10) / 10,
      baseline: { engine: 'line split only', seconds: Math.round(large.baselineSeconds * 1000) / 1000, mbPerSecond: Math.round((large.bytes / 1_048_576 / large.baselineSeconds) * 10) / 10 },
      peakRssMb: Math.round(large.peakRssMb),
      peakHeapMb: Math.round(large.peakHeapMb),
      small: { records: little.records, fileMb: Math.round((little.bytes / 1_048_576) * 10) / 10, peakRssMb: Math.round(little.peakRssMb), peakHeapMb: Math.round(little.peakHeapMb) },
    };
    results.push(result);
    if (!isJson) {
      process.stderr.write(
        `${format.padEnd(15)} ${String(result.recordsPerSecond).padStart(8)} records/s  ${String(result.mbPerSecond).padStart(6)} MB/s  (${result.fileMb} MB; line split alone ${result.baseline.mbPerSecond} MB/s)  peak RSS ${result.small.peakRssMb} MB at ${small} → ${result.peakRssMb} MB at ${records}\n`,
      );
    }
    rmSync(largePath);
    rmSync(smallPath);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (isJson) {
  process.stdout.write(`${JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, records, small, formats: results })}\n`);
}
