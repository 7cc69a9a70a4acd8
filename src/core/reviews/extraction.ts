import type { Actor } from '../accounts/roles.js';
import type { EvidenceStore } from '../evidence/ports.js';
import type { EvidenceRecord } from '../evidence/types.js';
import { AppError, assertThat, type FieldErrors } from '../shared/errors.js';
import { fingerprint } from '../shared/fingerprint.js';
import type { RecordId } from '../shared/ids.js';
import { canManageReview, canScreen, canViewReview, decisionsVisibleTo } from './permissions.js';
import type { ExtractionCheck, ReviewStore } from './ports.js';
import type { ExtractionFieldsInput } from './review.schema.js';
import { includedIn, reviewProgress } from './screening-state.js';
import type { ExtractionField, ExtractionFieldId, ExtractionValue, Review, ReviewId, Stage } from './types.js';

export const extractionKindLabels: Record<ExtractionField['kind'], string> = {
  text: 'Text',
  number: 'Number',
  choice: 'Choice (one of a list)',
  table: 'Table (rows under named columns)',
};

export const MAX_ANSWER_LENGTH = 10_000;
export const MAX_TABLE_ROWS = 200;

/** The form name of a field's answer (a table's cells add `.row.column`); field errors use the same key. */
export const answerKey = (fieldId: string): string => `answers.${fieldId}`;

/** An answer as a form sends it: text for text, number and choice fields; rows of cells for a table. */
export type RawAnswer = string | string[][] | undefined;

const quoted = (field: Pick<ExtractionField, 'label'>) => `“${field.label}”`;
const numberPattern = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

/** Whether a stored answer counts as answered (an empty table does not). */
export const isAnswered = (value: ExtractionValue | undefined): boolean =>
  value !== undefined && (Array.isArray(value) ? value.length > 0 : typeof value === 'number' || value.trim() !== '');

const answerOf = (field: ExtractionField, raw: RawAnswer): { value: ExtractionValue | undefined; error: string | undefined } => {
  if (field.kind === 'table') {
    const rows = (Array.isArray(raw) ? raw : [])
      .map((row) => field.columns.map((_, column) => (row[column] ?? '').trim()))
      .filter((row) => row.some((cell) => cell !== ''));
    if (rows.length === 0) {
      return { value: undefined, error: field.isRequired ? `Add at least one row to ${quoted(field)}` : undefined };
    }
    const tooLong = rows.length > MAX_TABLE_ROWS || rows.some((row) => row.some((cell) => cell.length > MAX_ANSWER_LENGTH));
    return { value: rows, error: tooLong ? `Keep ${quoted(field)} to ${MAX_TABLE_ROWS} rows of ${MAX_ANSWER_LENGTH.toLocaleString('en-GB')} characters a cell` : undefined };
  }
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') {
    const verb = field.kind === 'choice' ? 'Choose an answer for' : field.kind === 'number' ? 'Enter a number for' : 'Enter an answer for';
    return { value: undefined, error: field.isRequired ? `${verb} ${quoted(field)}` : undefined };
  }
  switch (field.kind) {
    case 'number': {
      const number = Number(text);
      return numberPattern.test(text) && Number.isFinite(number) ? { value: number, error: undefined } : { value: undefined, error: `${quoted(field)} must be a number, like 120 or 3.5` };
    }
    case 'choice':
      return field.choices.includes(text) ? { value: text, error: undefined } : { value: undefined, error: `Choose one of the options for ${quoted(field)}` };
    case 'text':
      return text.length > MAX_ANSWER_LENGTH ? { value: undefined, error: `Keep ${quoted(field)} to ${MAX_ANSWER_LENGTH.toLocaleString('en-GB')} characters or fewer` } : { value: text, error: undefined };
  }
};

/**
 * Checks a record's answers against the form: numbers must be numbers, choices among the options,
 * required fields answered. Returns every field's value (undefined clears it) and one message per field.
 */
export const validateAnswers = (fields: readonly ExtractionField[], raw: Readonly<Record<string, RawAnswer>>) => {
  const values: { fieldId: ExtractionFieldId; value: ExtractionValue | undefined }[] = [];
  const errors: FieldErrors = {};
  for (const field of fields) {
    const { value, error } = answerOf(field, raw[field.id]);
    values.push({ fieldId: field.id, value });
    if (error) {
      errors[answerKey(field.id)] = error;
    }
  }
  return { values, errors };
};

/** Separators inside a table cell are escaped with a backslash, so that the text splits back unambiguously. */
const escapeCell = (cell: string) => cell.replace(/[\\;|]/g, (character) => `\\${character}`);

/**
 * An answer as one line of text, for CSV cells and the evidence table. A table is written row by row:
 * `Column 1: a; Column 2: b | Column 1: c; Column 2: d` (empty cells left out; `\`, `;` and `|` in a
 * cell escaped with a backslash).
 */
export const formatAnswer = (field: Pick<ExtractionField, 'kind' | 'columns'>, value: ExtractionValue | undefined): string => {
  if (value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  if (typeof value === 'string') {
    return value;
  }
  // A field whose kind changed after it was answered may hold a table; it is still written readably.
  return value
    .map((row) =>
      row
        .flatMap((cell, column) => (cell.trim() === '' ? [] : [`${escapeCell(field.columns[column] ?? `Column ${column + 1}`)}: ${escapeCell(cell)}`]))
        .join('; '),
    )
    .join(' | ');
};

/** "Okafor A, Lindqvist B, et al. Title. Journal. 2021;12(3):45-67." (Vancouver style, as reference lists write it). */
export const citationOf = (record: Pick<EvidenceRecord, 'authors' | 'title' | 'journal' | 'year' | 'volume' | 'issue' | 'pages'>): string => {
  const names = record.authors.slice(0, 3).map((author) => {
    const [family, given] = author.split(/,\s*/, 2);
    const initials = (given ?? '')
      .split(/[\s.-]+/)
      .filter(Boolean)
      .map((part) => part[0]?.toUpperCase() ?? '')
      .join('');
    return initials ? `${family} ${initials}` : author;
  });
  const authors = names.length === 0 ? '' : `${names.join(', ')}${record.authors.length > 3 ? ', et al' : ''}. `;
  const volume = record.volume ? `;${record.volume}${record.issue ? `(${record.issue})` : ''}` : '';
  const where = [record.journal, [record.year, volume, record.pages ? `:${record.pages}` : ''].join('')].filter((part) => part !== undefined && part !== '').join('. ');
  const title = record.title.replace(/\.\s*$/, '');
  return `${authors}${title}.${where ? ` ${where}.` : ''}`;
};

export type ExtractionStatus = 'not_started' | 'in_progress' | 'complete' | 'checked';
export const extractionStatusLabels: Record<ExtractionStatus, string> = { not_started: 'Not started', in_progress: 'In progress', complete: 'Complete', checked: 'Complete and checked' };

/** Who checked a record's answers; `isCurrent` is false once the answers were saved again after the check. */
export type CheckState = Omit<ExtractionCheck, 'basis'> & { isCurrent: boolean };

export interface DecisionLogEntry {
  kind: 'decision' | 'resolution';
  recordId: RecordId;
  title: string;
  stage: Stage;
  screenerId: string;
  screenerName: string;
  decision: string;
  reason: string | undefined;
  decidedAt: Date;
  modelVersion: string | undefined;
  rankPosition: number | undefined;
  isCurrent: boolean;
}

export interface ExtractionDeps {
  store: ReviewStore;
  evidence: Pick<EvidenceStore, 'findRecords'>;
}

/** A fingerprint of a record's saved answers, to tell whether they changed since a form was filled from them. */
const basisOf = (answers: ReadonlyMap<string, ExtractionValue>): string =>
  fingerprint(JSON.stringify([...answers.entries()].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))));

/**
 * Data extraction (issue #5): the review leads' form, each included record's answers, and the review's
 * outputs that read them (the evidence table) or the decision log with record titles.
 */
export const createExtraction = ({ store, evidence }: ExtractionDeps) => {
  const load = async (actor: Actor, id: ReviewId): Promise<Review> => {
    const review = await store.findReview(id);
    assertThat(review && canViewReview(actor, review), 'review.not_found', 'No such review');
    return review;
  };

  /** The records included after full-text screening, in the order they came into the review. */
  const includedRecords = async (review: Review): Promise<EvidenceRecord[]> => {
    const [recordIds, decisions, resolutions] = await Promise.all([store.listRecordIds(review.libraryId), store.listDecisions(review.id), store.listResolutions(review.id)]);
    return evidence.findRecords(includedIn(reviewProgress(recordIds, { decisions, resolutions }, review.isDual)));
  };

  const valuesByRecord = async (id: ReviewId, recordId?: RecordId) => {
    const byRecord = new Map<string, Map<string, ExtractionValue>>();
    for (const { recordId: record, fieldId, value } of await store.listExtractionValues(id, recordId)) {
      const values = byRecord.get(record) ?? new Map<string, ExtractionValue>();
      values.set(fieldId, value);
      byRecord.set(record, values);
    }
    return byRecord;
  };

  /** Each record's check, current while its answers are the ones checked. */
  const checkStates = (checks: readonly ExtractionCheck[], values: ReadonlyMap<string, ReadonlyMap<string, ExtractionValue>>): Map<string, CheckState> =>
    new Map(checks.map(({ basis, ...check }) => [check.recordId as string, { ...check, isCurrent: basis === basisOf(values.get(check.recordId) ?? new Map<string, ExtractionValue>()) }]));

  /** Where a record's extraction stands: answered fields, required ones missing, and whether the answers were checked. */
  const statusOf = (fields: readonly ExtractionField[], answers: ReadonlyMap<string, ExtractionValue>, check: CheckState | undefined) => {
    const answered = fields.filter((field) => isAnswered(answers.get(field.id))).length;
    const missingRequired = fields.filter((field) => field.isRequired && !isAnswered(answers.get(field.id))).length;
    const status: ExtractionStatus = answered === 0 ? 'not_started' : missingRequired > 0 ? 'in_progress' : check?.isCurrent ? 'checked' : 'complete';
    return { answered, missingRequired, status };
  };

  const permissions = (actor: Actor, review: Review) => ({ canManage: canManageReview(actor, review), canFill: canScreen(actor, review) });

  /** The review's extraction form. */
  const getForm = async (actor: Actor, id: ReviewId) => {
    const review = await load(actor, id);
    return { review, fields: await store.listExtractionFields(id), ...permissions(actor, review) };
  };

  /** Replaces the form: fields in the order given; fields left out are removed with their answers. */
  const saveForm = async (actor: Actor, id: ReviewId, input: ExtractionFieldsInput) => {
    const review = await load(actor, id);
    assertThat(canManageReview(actor, review), 'auth.forbidden', 'Only the review’s leads change the extraction form');
    const existing = new Set<string>((await store.listExtractionFields(id)).map((field) => field.id));
    const errors: FieldErrors = {};
    const labels = new Set<string>();
    const fields = input.fields.map((field, index) => {
      const choices = [...new Set(field.choices)];
      if (field.kind === 'choice' && choices.length < 2) {
        errors[`fields.${index}.choices`] = `Enter at least two choices for “${field.label}”, one per line`;
      }
      if (field.kind === 'table' && field.columns.length === 0) {
        errors[`fields.${index}.columns`] = `Enter at least one column for “${field.label}”, one per line`;
      }
      const key = field.label.toLowerCase();
      if (labels.has(key)) {
        errors[`fields.${index}.label`] = `Another field is already called “${field.label}”: give each field its own label`;
      }
      labels.add(key);
      // An id that is not one of this review's fields (or is repeated) makes a new field.
      const fieldId = field.id && existing.delete(field.id) ? (field.id as ExtractionFieldId) : undefined;
      return {
        id: fieldId,
        label: field.label,
        kind: field.kind,
        choices: field.kind === 'choice' ? choices : [],
        columns: field.kind === 'table' ? field.columns : [],
        isRequired: field.isRequired,
      };
    });
    if (Object.keys(errors).length > 0) {
      throw new AppError('validation.failed', 'The extraction form is not valid', { fields: errors });
    }
    await store.saveExtractionFields(id, fields);
    return store.listExtractionFields(id);
  };

  /** Included records with how far each one's extraction has got. */
  const listRecords = async (actor: Actor, id: ReviewId) => {
    const review = await load(actor, id);
    const [fields, records, values, checked] = await Promise.all([store.listExtractionFields(id), includedRecords(review), valuesByRecord(id), store.listExtractionChecks(id)]);
    const checks = checkStates(checked, values);
    return {
      review,
      fields,
      ...permissions(actor, review),
      records: records.map((record) => {
        const check = checks.get(record.id);
        return { record, ...statusOf(fields, values.get(record.id) ?? new Map<string, ExtractionValue>(), check), check };
      }),
    };
  };

  const loadIncluded = async (review: Review, recordId: RecordId): Promise<EvidenceRecord> => {
    const record = (await includedRecords(review)).find((candidate) => candidate.id === recordId);
    assertThat(record, 'review.record_not_found', 'The record is not among the review’s included records');
    return record;
  };

  /** One included record's form and answers so far, with the answers' `basis` for saving them back. */
  const getRecordForm = async (actor: Actor, id: ReviewId, recordId: RecordId) => {
    const review = await load(actor, id);
    const { record, fields, answers, status, check, refusal } = await recordState(actor, review, recordId);
    return { review, record, fields, values: answers, basis: basisOf(answers), status, check, canCheck: refusal === undefined, whyNotCheck: refusal?.message, ...permissions(actor, review) };
  };

  /**
   * One included record's answers as the form and a check read them: its fields, answers and their
   * check, where its extraction stands, and why `actor` may not check the answers (if they may not).
   */
  const recordState = async (actor: Actor, review: Review, recordId: RecordId) => {
    const [record, fields, rows, checks] = await Promise.all([
      loadIncluded(review, recordId),
      store.listExtractionFields(review.id),
      store.listExtractionValues(review.id, recordId),
      store.listExtractionChecks(review.id, recordId),
    ]);
    const answers = new Map<string, ExtractionValue>(rows.map((row) => [row.fieldId, row.value]));
    const check = checkStates(checks, new Map([[recordId as string, answers]])).get(recordId);
    const { status } = statusOf(fields, answers, check);
    // The people who saved the answers the record holds now.
    const extractors = new Set(rows.flatMap((row) => (row.updatedBy ? [row.updatedBy as string] : [])));
    return { record, fields, answers, status, check, refusal: checkRefusal(actor, review, status, extractors) };
  };

  /**
   * Why `actor` may not check a record's answers, or undefined if they may: a member of the team
   * who saved none of them, once every required field is answered, and not twice for the same answers.
   */
  const checkRefusal = (actor: Actor, review: Review, status: ExtractionStatus, extractors: ReadonlySet<string>): { code: 'auth.forbidden' | 'review.cannot_check'; message: string } | undefined => {
    if (!canScreen(actor, review)) {
      return { code: 'auth.forbidden', message: 'Only the review’s team checks extracted data' };
    }
    if (extractors.has(actor.userId)) {
      return { code: 'auth.forbidden', message: 'A second member of the team checks the answers: you saved some of them' };
    }
    if (status === 'not_started' || status === 'in_progress') {
      return { code: 'review.cannot_check', message: 'The answers can be checked once every required field is answered' };
    }
    if (status === 'checked') {
      return { code: 'review.cannot_check', message: 'These answers are already checked' };
    }
    return undefined;
  };

  /**
   * Records that `actor` checked a record's answers (rapid reviews: one person extracts, a second
   * checks). `basis` is the fingerprint of the answers they checked: if the answers were saved again
   * since, nothing is recorded (`review.extraction_conflict`).
   */
  const checkAnswers = async (actor: Actor, id: ReviewId, recordId: RecordId, basis: string): Promise<void> => {
    const review = await load(actor, id);
    const { refusal } = await recordState(actor, review, recordId);
    if (refusal !== undefined) {
      throw new AppError(refusal.code, refusal.message);
    }
    const isSaved = await store.saveExtractionCheck({ reviewId: id, recordId, checkedBy: actor.userId, basis }, { isUnchanged: (saved) => basisOf(saved) === basis });
    if (!isSaved) {
      throw new AppError('review.extraction_conflict', 'The answers were saved again while you were checking them: read them again before you mark them as checked');
    }
  };

  /**
   * Saves a record's answers, all or nothing: any invalid answer fails the whole form with a message
   * per field. `basis` is what the form was filled from (`getRecordForm`); when someone else has saved
   * the record's answers since, nothing is written over theirs (`review.extraction_conflict`).
   */
  const saveAnswers = async (actor: Actor, id: ReviewId, recordId: RecordId, raw: Readonly<Record<string, RawAnswer>>, basis?: string): Promise<void> => {
    const review = await load(actor, id);
    assertThat(canScreen(actor, review), 'auth.forbidden', 'Only the review’s team extracts data');
    const [, fields] = await Promise.all([loadIncluded(review, recordId), store.listExtractionFields(id)]);
    const { values, errors } = validateAnswers(fields, raw);
    if (Object.keys(errors).length > 0) {
      throw new AppError('validation.failed', 'Some answers are not valid', { fields: errors });
    }
    // The answers the form was filled from are compared with the saved ones inside the write's
    // transaction, under the review's lock: two saves from the same page at once cannot both get through.
    const guard = basis === undefined ? undefined : { isUnchanged: (saved: ReadonlyMap<string, ExtractionValue>) => basisOf(saved) === basis };
    const isSaved = await store.saveExtractionValues({ reviewId: id, recordId, values, updatedBy: actor.userId }, guard);
    if (!isSaved) {
      throw new AppError('review.extraction_conflict', 'Someone saved answers for this record while you were filling it in; nothing was saved over theirs', {
        fields: { _form: 'Someone saved answers for this record while you were filling it in. Your answers are below and theirs were kept: reload the page to see theirs, or save again to replace them with yours' },
      });
    }
  };

  /** Included records with their answers: the extraction export and the evidence table. */
  const evidenceTable = async (actor: Actor, id: ReviewId) => {
    const review = await load(actor, id);
    const [fields, records, values, checked] = await Promise.all([store.listExtractionFields(id), includedRecords(review), valuesByRecord(id), store.listExtractionChecks(id)]);
    const checks = checkStates(checked, values);
    return { review, fields, rows: records.map((record) => ({ record, values: values.get(record.id) ?? new Map<string, ExtractionValue>(), check: checks.get(record.id) })) };
  };

  /**
   * Every screening decision (retired ones too) and every resolution, oldest first, with the record's
   * title: the log from which the review can be replayed.
   */
  const decisionLog = async (actor: Actor, id: ReviewId) => {
    const review = await load(actor, id);
    const [all, resolutions] = await Promise.all([store.listDecisions(id, { includeRetired: true }), store.listResolutions(id)]);
    // Blinding holds in the log and its export too.
    const decisions = decisionsVisibleTo(actor, review, all);
    const ids = [...new Set([...decisions, ...resolutions].map((entry) => entry.recordId))];
    const titles = new Map((await evidence.findRecords(ids)).map((record) => [record.id as string, record.title]));
    const entries: DecisionLogEntry[] = [
      ...decisions.map((decision) => ({
        kind: 'decision' as const,
        recordId: decision.recordId,
        title: titles.get(decision.recordId) ?? '',
        stage: decision.stage,
        screenerId: decision.screenerId,
        screenerName: decision.screenerName,
        decision: decision.decision,
        reason: decision.reason,
        decidedAt: decision.decidedAt,
        modelVersion: decision.modelVersion,
        rankPosition: decision.rankPosition,
        isCurrent: decision.isCurrent,
      })),
      ...resolutions.map((resolution) => ({
        kind: 'resolution' as const,
        recordId: resolution.recordId,
        title: titles.get(resolution.recordId) ?? '',
        stage: resolution.stage,
        screenerId: resolution.resolvedBy,
        screenerName: resolution.resolvedByName,
        decision: resolution.decision,
        reason: resolution.reason,
        decidedAt: resolution.resolvedAt,
        modelVersion: undefined,
        rankPosition: undefined,
        isCurrent: true,
      })),
    ];
    // Stable: decisions keep the order they were written in (by id) when their times are equal.
    entries.sort((left, right) => left.decidedAt.getTime() - right.decidedAt.getTime());
    return { review, entries };
  };

  return { getForm, saveForm, listRecords, getRecordForm, saveAnswers, checkAnswers, evidenceTable, decisionLog };
};

export type Extraction = ReturnType<typeof createExtraction>;
