import type { ParseEvent } from '../../core/evidence/record.js';
import { FormatError } from './format-error.js';
import { readLines } from './lines.js';
import { risFields } from './ris-fields.js';
import { TaggedRecord, recordEvent } from './tagged-record.js';

/**
 * Tags that mean the same thing in different exporters' dialects, folded on the way in so that the
 * mapping reads one tag and file order is kept across the variants (authors from `AU` and `A1`
 * interleave as written).
 */
const aliases: Readonly<Record<string, string>> = { A1: 'AU', T1: 'TI', DE: 'KW', VO: 'VL', CP: 'IS' };

/** Tags that carry a title: a block holding one outside a record is a record that lost its `TY` line. */
const titleTags = new Set(['TI', 'T1', 'CT', 'BT', 'ST']);

const isBlank = (code: number): boolean => code === 32 || code === 9;
const isUpper = (code: number): boolean => code >= 65 && code <= 90;
const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * Where the value of a RIS tag line starts, or -1 for a line that is not one. A tag is two characters
 * (letter, then letter or digit), 1–3 blanks, a dash, then a blank or the end of the line. Exporters
 * differ in the blanks (`TY  - `, `KW - `, `A1\t- `, `ID \t- `), so any mix of spaces and tabs is
 * accepted; requiring blanks on both sides of the dash keeps continuation lines such as `ER then …`
 * (rispy's multiline test) and `NF-kappa B/metabolism` (an EndNote keyword) from being taken for tags.
 * colrev writes `PMID - ` with a four-letter tag. Checked with character codes: this runs on every line.
 */
const valueStart = (text: string): number => {
  if (!isUpper(text.charCodeAt(0))) {
    return -1;
  }
  const second = text.charCodeAt(1);
  if (!isUpper(second) && !isDigit(second)) {
    return -1;
  }
  let index = text.startsWith('PMID') ? 4 : 2;
  const afterTag = index;
  while (index < afterTag + 3 && isBlank(text.charCodeAt(index))) {
    index += 1;
  }
  if (index === afterTag || text.charCodeAt(index) !== 45) {
    return -1;
  }
  index += 1;
  return index === text.length || isBlank(text.charCodeAt(index)) ? index : -1;
};

/**
 * Parses RIS as exported by Embase, Ovid, ProQuest, PubMed/EndNote, Scopus, Web of Science, Zotero,
 * EndNote, Rayyan and ASReview, yielding one event per record in file order.
 *
 * - A record starts at `TY` and ends at `ER`, at the next `TY` once it has fields (a lost `ER`), or at
 *   the end of the file. Consecutive `TY` lines with nothing between them are one record, the last type
 *   winning.
 * - Lines without a tag continue the previous field, across blank lines (Scopus and Citavi put blank
 *   lines inside notes); in keyword fields each continuation line is a keyword of its own.
 * - Text between records is skipped: numbering (`1.`), export headers, Ovid's `NL` and link lines after
 *   `ER`. A block of tags outside a record that has a title is reported as invalid (its `TY` is lost).
 * - Tags before the first `TY`, or no `TY` at all, mean the file is not RIS: `FormatError`.
 */
export async function* parseRis(chunks: AsyncIterable<string>): AsyncGenerator<ParseEvent> {
  const reader = new RisReader();
  for await (const { text, line } of readLines(chunks)) {
    const event = reader.read(text, line);
    if (event !== undefined) {
      yield event;
    }
  }
  const last = reader.finish();
  if (last !== undefined) {
    yield last;
  }
}

/** The state of `parseRis` between lines; each line completes at most one event. */
class RisReader {
  private record: TaggedRecord | undefined;
  /** Tags outside any record (after `ER`): Ovid trailers, or a record that lost its `TY`. */
  private stray: { line: number; hasTitle: boolean } | undefined;
  private hasStarted = false;
  private firstTextLine: number | undefined;

  read(text: string, line: number): ParseEvent | undefined {
    const start = valueStart(text);
    if (start < 0) {
      return this.readUntagged(text, line);
    }
    const tag = text.startsWith('PMID') ? 'PMID' : text.slice(0, 2);
    const value = text.slice(start).trim();
    if (tag === 'TY') {
      return this.startRecord(value, line);
    }
    if (tag === 'ER') {
      return this.endRecord();
    }
    if (this.record !== undefined) {
      this.record.add(aliases[tag] ?? tag, value);
    } else if (!this.hasStarted) {
      throw new FormatError(`"${tag}" comes before any TY line: not a RIS file, or its first record has lost its TY line`, line);
    } else {
      this.stray ??= { line, hasTitle: false };
      this.stray.hasTitle ||= titleTags.has(tag) && value !== '';
    }
    return undefined;
  }

  finish(): ParseEvent | undefined {
    if (!this.hasStarted && this.firstTextLine !== undefined) {
      throw new FormatError('no TY line in the file: not a RIS file', this.firstTextLine);
    }
    return this.endRecord();
  }

  private readUntagged(text: string, line: number): ParseEvent | undefined {
    const trimmed = text.trim();
    if (this.record !== undefined) {
      if (trimmed !== '') {
        this.record.continueLast(trimmed, '\n');
      }
    } else if (trimmed === '') {
      // Outside records a blank line ends a stray block, so a report points at the right lines.
      return this.endStray();
    } else if (!this.hasStarted) {
      this.firstTextLine ??= line;
    }
    return undefined;
  }

  /** A `TY` line: it also ends an open record that has fields, whose `ER` was lost. */
  private startRecord(type: string, line: number): ParseEvent | undefined {
    const event = this.record?.hasFields ? this.endRecord() : this.endStray();
    this.record ??= new TaggedRecord(line);
    this.record.setType(type);
    this.hasStarted = true;
    return event;
  }

  private endRecord(): ParseEvent | undefined {
    const record = this.record;
    if (record === undefined) {
      return this.endStray();
    }
    this.record = undefined;
    return recordEvent(record.line, risFields(record));
  }

  private endStray(): ParseEvent | undefined {
    const stray = this.stray;
    this.stray = undefined;
    return stray?.hasTitle ? { kind: 'invalid', line: stray.line, message: 'record has no TY line' } : undefined;
  }
}
