import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { CsvError, parse } from 'csv-parse';
import { AppError } from '../../core/shared/errors.js';
import { unguardFormula } from '../formats/csv-safe.js';
import { parseRis } from '../formats/ris.js';

/** One record of a labelled review: what screening reads, and the decision the review made. */
export interface LabelledRecord {
  title: string;
  abstract: string;
  isIncluded: boolean;
}

export interface LabelledDataset {
  path: string;
  format: 'csv' | 'ris';
  records: LabelledRecord[];
}

/**
 * Label columns, most specific first: ASReview's `label_included` and `included`, then the other
 * names ASReview accepts for the same column (`asreview/config.py`, `COLUMN_DEFINITIONS`).
 */
const labelColumns = ['label_included', 'included', 'final_included', 'label', 'included_label', 'included_final', 'included_flag', 'include'];
const titleColumns = ['title', 'primary_title'];
const abstractColumns = ['abstract', 'abstract note', 'notes_abstract'];

const unreadable = (path: string, message: string): AppError => new AppError('import.unreadable', `${path}: ${message}`);

const lineBreaks = (text: string): number => text.match(/\r\n|\r|\n/g)?.length ?? 0;

const normaliseHeader = (name: string): string => name.trim().toLowerCase().replace(/\s+/g, ' ');

/** 1/0 and the spellings spreadsheets use for them; undefined for anything else. */
const parseLabelCell = (text: string): boolean | undefined => {
  const value = text.trim().toLowerCase();
  if (['1', '1.0', 'true', 'yes', 'y', 'included', 'include'].includes(value)) {
    return true;
  }
  if (['0', '0.0', 'false', 'no', 'n', 'excluded', 'exclude'].includes(value)) {
    return false;
  }
  return undefined;
};

const readCsv = async (path: string, delimiter: string): Promise<LabelledRecord[]> => {
  const parser = createReadStream(path, { encoding: 'utf8' }).pipe(parse({ bom: true, delimiter, raw: true, skip_empty_lines: true, relax_quotes: true }));
  const records: LabelledRecord[] = [];
  let columns: { title: number; abstract: number; label: number; labelName: string } | undefined;
  let consumed = 0;
  try {
    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      // Line numbers from the raw text of each record (skipped blank lines and quoted line breaks
      // included): csv-parse's own count drifts on CRLF files with line breaks inside quotes.
      const line = consumed + 1 + lineBreaks(/^[\r\n]*/.exec(raw)?.[0] ?? '');
      consumed += lineBreaks(raw);
      if (columns === undefined) {
        const header = record.map(normaliseHeader);
        const find = (names: readonly string[]): number => names.map((name) => header.indexOf(name)).find((index) => index >= 0) ?? -1;
        const label = find(labelColumns);
        const title = find(titleColumns);
        const abstract = find(abstractColumns);
        if (label < 0) {
          throw unreadable(path, `line ${line}: no label column; a labelled dataset needs "label_included" or "included" (0 or 1), found: ${record.join(', ')}`);
        }
        if (title < 0 && abstract < 0) {
          throw unreadable(path, `line ${line}: no "title" or "abstract" column, found: ${record.join(', ')}`);
        }
        columns = { title, abstract, label, labelName: record[label] ?? '' };
        continue;
      }
      const labelText = record[columns.label] ?? '';
      const isIncluded = parseLabelCell(labelText);
      if (isIncluded === undefined) {
        throw unreadable(
          path,
          `line ${line}, field "${columns.labelName}": ${labelText.trim() === '' ? 'empty' : `"${labelText.trim()}"`} is not a label; use 1 (included) or 0 (excluded)`,
        );
      }
      // Our own CSV exports quote a cell that would start a spreadsheet formula (`'=…`); read it back as written.
      const cell = (index: number): string => (index >= 0 ? unguardFormula(record[index] ?? '').trim() : '');
      const title = cell(columns.title);
      const abstract = cell(columns.abstract);
      records.push({ title, abstract, isIncluded });
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const where = (error as CsvError & { lines?: number }).lines;
      throw unreadable(path, `${where !== undefined ? `line ${where}: ` : ''}${error.message.replace(/^Invalid (Record|Opening Quote|Closing Quote)[^:]*: /, '')}`);
    }
    throw error;
  }
  if (columns === undefined) {
    throw unreadable(path, 'the file is empty');
  }
  return records;
};

const readRis = async (path: string): Promise<LabelledRecord[]> => {
  const records: LabelledRecord[] = [];
  try {
    for await (const event of parseRis(createReadStream(path, { encoding: 'utf8' }))) {
      if (event.kind === 'invalid') {
        throw unreadable(path, `line ${event.line}: ${event.message}`);
      }
      if (event.fields.label === undefined) {
        throw unreadable(
          path,
          `line ${event.line}, field N1: the record has no label; a labelled RIS file marks each record with an "ASReview_relevant" or "ASReview_irrelevant" note (N1), as ASReview exports it`,
        );
      }
      records.push({ title: event.fields.title, abstract: event.fields.abstract ?? '', isIncluded: event.fields.label });
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'FormatError') {
      throw unreadable(path, error.message);
    }
    throw error;
  }
  return records;
};

/** RIS by extension, or by a first line that is a `TY  -` tag; otherwise CSV (TSV for `.tsv` and `.tab`). */
const detectFormat = async (path: string): Promise<'csv' | 'tsv' | 'ris'> => {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    const extension = extname(path).toLowerCase();
    if (extension === '.ris' || /^TY {2}- /.test(head)) {
      return 'ris';
    }
    return extension === '.tsv' || extension === '.tab' ? 'tsv' : 'csv';
  } finally {
    await handle.close();
  }
};

/**
 * Reads a labelled review for simulation: an ASReview-style CSV (`title`, `abstract` and
 * `label_included` or `included`, 0/1), streamed through csv-parse, or a RIS file whose records carry
 * ASReview's label notes. Every record must have a label; a bad row stops the read with an error
 * naming the file, the line and the field.
 */
export const readLabelledDataset = async (path: string): Promise<LabelledDataset> => {
  let format: 'csv' | 'tsv' | 'ris';
  try {
    format = await detectFormat(path);
  } catch (error) {
    throw unreadable(path, `cannot read the file (${error instanceof Error ? error.message : String(error)})`);
  }
  const records = format === 'ris' ? await readRis(path) : await readCsv(path, format === 'tsv' ? '\t' : ',');
  if (records.length === 0) {
    throw unreadable(path, 'no records');
  }
  return { path, format: format === 'ris' ? 'ris' : 'csv', records };
};
