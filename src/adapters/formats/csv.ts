import { parse } from 'csv-parse';
import { Readable, pipeline } from 'node:stream';
import type { ParseEvent } from '../../core/evidence/record.js';
import { mapColumns, titleColumns, toRecord, type ColumnMap } from './csv-columns.js';
import { unguardFormula } from './csv-safe.js';
import { FormatError } from './format-error.js';

/**
 * Streaming CSV/TSV importer for spreadsheet exports (ASReview, Scopus, Embase, PubMed, Web of
 * Science). csv-parse reads the rows; memory holds the rows of one input chunk at most. A data cell
 * that starts with the quote our exports put before a would-be formula (`'=…`, see csv-safe.ts) is
 * read without it, so that an exported library imports unchanged.
 */

/**
 * Drops a byte-order mark and turns `\r\n` and lone `\r` into `\n`. csv-parse counts lines wrongly
 * on mixed line endings and leaves `\r` in the last cell when it guesses `\n` from the first line.
 * A chunk ending in `\r` (maybe half of `\r\n`) or in half a surrogate pair (csv-parse encodes each
 * chunk to UTF-8 on its own) keeps that tail for the next chunk.
 */
async function* unifyLineEnds(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let isFirst = true;
  let carry = '';
  for await (let chunk of chunks) {
    if (isFirst) {
      chunk = chunk.replace(/^\uFEFF/, '');
      isFirst = chunk.length === 0;
    }
    chunk = carry + chunk;
    const last = chunk.charCodeAt(chunk.length - 1);
    const keep = last === 13 || (last >= 0xd800 && last <= 0xdbff) ? 1 : 0;
    carry = chunk.slice(chunk.length - keep);
    const text = chunk.slice(0, chunk.length - keep).replace(/\r\n?/g, '\n');
    if (text) {
      yield text;
    }
  }
  if (carry) {
    yield carry.replace(/\r/g, '\n');
  }
}

/** The delimiter that occurs most often in the header line outside quotes: `,`, tab or `;` (`,` on a tie). */
const detectDelimiter = (headerLine: string): string => {
  const counts = new Map<string, number>([[',', 0], ['\t', 0], [';', 0]]);
  let isQuoted = false;
  for (const char of headerLine) {
    if (char === '"') {
      isQuoted = !isQuoted;
    } else if (!isQuoted && counts.has(char)) {
      counts.set(char, (counts.get(char) ?? 0) + 1);
    }
  }
  let best = ',';
  for (const [delimiter, count] of counts) {
    if (count > (counts.get(best) ?? 0)) {
      best = delimiter;
    }
  }
  return best;
};

interface ParsedRow {
  record: string[];
  info: { lines: number };
}

// csv-parse's iterator yields untyped values; with `info: true` each is { record, info }.
const isParsedRow = (value: unknown): value is ParsedRow =>
  typeof value === 'object' &&
  value !== null &&
  'record' in value &&
  Array.isArray(value.record) &&
  'info' in value &&
  typeof value.info === 'object' &&
  value.info !== null &&
  'lines' in value.info &&
  typeof value.info.lines === 'number';

const newlinesIn = (cells: readonly string[]): number => {
  let count = 0;
  for (const cell of cells) {
    for (let index = cell.indexOf('\n'); index !== -1; index = cell.indexOf('\n', index + 1)) {
      count += 1;
    }
  }
  return count;
};

/** Yields `head`, then the rest of the iterator, closing it if the consumer stops early. */
async function* resume(head: string, iterator: AsyncIterator<string>): AsyncGenerator<string> {
  try {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/** Where the last complete row ended, so that a csv-parse error can name the line where the broken row starts. */
interface Progress {
  lastRowEnd: number;
  emptyLines: number;
}

const rowError = (error: unknown, progress: Progress): unknown => {
  if (!(error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('CSV_'))) {
    return error;
  }
  // Blank lines skipped after the last good row come before the broken one.
  const skipped = 'empty_lines' in error && typeof error.empty_lines === 'number' ? error.empty_lines - progress.emptyLines : 0;
  return new FormatError(error.message, progress.lastRowEnd + 1 + skipped);
};

/** Parses CSV, TSV or semicolon-separated text with a header row into records, in file order. */
export async function* parseCsv(chunks: AsyncIterable<string>): AsyncGenerator<ParseEvent> {
  const iterator = unifyLineEnds(chunks)[Symbol.asyncIterator]();
  let head = '';
  // Read up to the end of the first non-blank line: the header, which decides the delimiter.
  while (!/\S[^\n]*\n/.test(head)) {
    const next = await iterator.next();
    if (next.done) {
      break;
    }
    head += next.value;
  }
  if (!head.trim()) {
    return;
  }
  const progress: Progress = { lastRowEnd: 0, emptyLines: 0 };
  const parser = parse({
    delimiter: detectDelimiter(head.split('\n').find((line) => line.trim()) ?? ''),
    record_delimiter: '\n',
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    // Called as each row is parsed, before buffering: the stream iterator drops buffered rows on an error.
    on_record: (row, context) => {
      progress.lastRowEnd = context.lines;
      progress.emptyLines = context.empty_lines;
      return row;
    },
  });
  // Errors from either side surface through the parser's iterator below; the callback has nothing left to do.
  pipeline(Readable.from(resume(head, iterator)), parser, () => undefined);
  let columns: ColumnMap | undefined;
  try {
    for await (const row of parser) {
      if (!isParsedRow(row)) {
        continue;
      }
      const line = row.info.lines - newlinesIn(row.record);
      if (!columns) {
        columns = mapColumns(row.record);
        if (!columns) {
          throw new FormatError(`missing column "title" (one of: ${titleColumns.join(', ')})`, line);
        }
        continue;
      }
      const fields = toRecord(columns, row.record.map(unguardFormula));
      if (fields && 'error' in fields) {
        yield { kind: 'invalid', line, message: fields.error };
      } else if (fields) {
        yield { kind: 'record', line, fields };
      }
    }
  } catch (error) {
    // csv-parse errors (an unclosed quote, say) break the file's structure: report where the row began.
    throw rowError(error, progress);
  } finally {
    parser.destroy();
  }
}
