import { evidenceLevelLabels, studyDesignLabels } from '../../core/evidence/classify.js';
import type { EvidenceRecord } from '../../core/evidence/types.js';
import { citationOf, formatAnswer, type CheckState, type DecisionLogEntry } from '../../core/reviews/extraction.js';
import type { ExtractionField, ExtractionValue } from '../../core/reviews/types.js';
import { toSpreadsheetCsv as csv } from '../formats/csv-safe.js';

/**
 * The review's CSV outputs. Each is RFC 4180 CSV (csv-stringify) with a header row, UTF-8, and a
 * byte-order mark so that spreadsheets read accented names correctly. Counts, years, ranks and
 * numeric extraction answers are written as numbers; every text cell, headers from form field labels
 * included, is guarded against spreadsheet formulas (`'=…`, see csv-safe.ts).
 */

export interface ExtractionRow {
  record: EvidenceRecord;
  values: ReadonlyMap<string, ExtractionValue>;
  /** Who checked the answers; only a check of the answers as they are counts. */
  check?: CheckState | undefined;
}

/** Each field's answer: a number as a number (a negative effect size stays one), anything else as text. */
const answers = (fields: readonly ExtractionField[], values: ReadonlyMap<string, ExtractionValue>) =>
  fields.map((field) => {
    const value = values.get(field.id);
    return typeof value === 'number' ? value : formatAnswer(field, value);
  });

/**
 * The decision log: one row per screening decision (retired ones too, marked so) and one per conflict
 * resolution (`entry` = resolution, the screener being the person who resolved it), oldest first.
 */
export const decisionLogCsv = (entries: readonly DecisionLogEntry[]): string =>
  csv([
    ['record_id', 'title', 'stage', 'screener', 'screener_id', 'decision', 'reason', 'decided_at', 'model_version', 'rank_position', 'status', 'entry'],
    ...entries.map((entry) => [
      entry.recordId,
      entry.title,
      entry.stage,
      entry.screenerName,
      entry.screenerId,
      entry.decision,
      entry.reason ?? '',
      entry.decidedAt.toISOString(),
      entry.modelVersion ?? '',
      entry.rankPosition ?? '',
      entry.isCurrent ? 'current' : 'retired',
      entry.kind,
    ]),
  ]);

/**
 * Extracted data: one row per included record (its id and citation fields), then one column per form
 * field, headed by the field's label, then who checked the answers and when (empty when they are not
 * checked, or were saved again after the check). Table answers are written as `Column: a; Column: b | …` rows.
 */
export const extractionCsv = (fields: readonly ExtractionField[], rows: readonly ExtractionRow[]): string =>
  csv([
    ['record_id', 'title', 'authors', 'year', 'journal', 'volume', 'issue', 'pages', 'doi', 'pmid', ...fields.map((field) => field.label), 'checked_by', 'checked_at'],
    ...rows.map(({ record, values, check }) => [
      record.id,
      record.title,
      record.authors.join('; '),
      record.year ?? '',
      record.journal ?? '',
      record.volume ?? '',
      record.issue ?? '',
      record.pages ?? '',
      record.doi ?? '',
      record.pmid ?? '',
      ...answers(fields, values),
      check?.isCurrent ? check.checkedByName : '',
      check?.isCurrent ? check.checkedAt.toISOString() : '',
    ]),
  ]);

/** The evidence table of included studies: citation, year, design, evidence level, then the extracted data. */
export const evidenceTableCsv = (fields: readonly ExtractionField[], rows: readonly ExtractionRow[]): string =>
  csv([
    ['Citation', 'Year', 'Study design', 'Evidence level', ...fields.map((field) => field.label)],
    ...rows.map(({ record, values }) => [
      citationOf(record),
      record.year ?? '',
      studyDesignLabels[record.studyDesign],
      record.evidenceLevel ? (evidenceLevelLabels[record.evidenceLevel] ?? String(record.evidenceLevel)) : 'Not graded',
      ...answers(fields, values),
    ]),
  ]);
