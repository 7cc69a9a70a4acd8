import type { ImportBatchId, LibraryId, NeedId, RecordId, UserId } from '../shared/ids.js';
import type {
  Decision,
  ExtractionField,
  ExtractionFieldId,
  ExtractionValue,
  MemberRole,
  ModelName,
  Protocol,
  Resolution,
  Review,
  ReviewAddition,
  ReviewBatch,
  ReviewId,
  ReviewStatus,
  ScreeningDecision,
  ScreeningSettings,
  Stage,
} from './types.js';

export interface ReviewSummary {
  id: ReviewId;
  reference: string;
  title: string;
  status: ReviewStatus;
  needId: NeedId | undefined;
  records: number;
  updatedAt: Date;
}

export interface NewDecision {
  reviewId: ReviewId;
  recordId: RecordId;
  stage: Stage;
  screenerId: UserId;
  decision: Decision;
  reason: string | undefined;
  modelVersion: string | undefined;
  rankPosition: number | undefined;
}

/** Reviews in the database. Decisions are append-only; a new decision retires the screener's previous one. */
export interface ReviewStore {
  createReview(input: { title: string; needId: NeedId | undefined; protocol: Protocol; settings: ScreeningSettings; createdBy: UserId }): Promise<ReviewId>;
  findReview(id: ReviewId): Promise<Review | undefined>;
  listReviews(filter: { memberId?: UserId | undefined; needId?: NeedId | undefined }): Promise<ReviewSummary[]>;
  updateReview(id: ReviewId, input: { title: string; protocol: Protocol; settings: ScreeningSettings }): Promise<void>;
  setStatus(id: ReviewId, status: ReviewStatus): Promise<void>;
  setMembers(id: ReviewId, members: { userId: UserId; role: MemberRole }[]): Promise<void>;
  listEligibleMembers(): Promise<{ id: UserId; name: string; role: string }[]>;
  setPrismaLabels(id: ReviewId, labels: Record<string, string>): Promise<void>;
  /** Live (unmerged) records of the review's library, oldest first. */
  listRecordIds(libraryId: LibraryId): Promise<RecordId[]>;
  /** Title and abstract of each live record, for the ranking model. */
  listTexts(libraryId: LibraryId): Promise<{ id: RecordId; title: string; abstract: string }[]>;
  listDecisions(reviewId: ReviewId, options?: { includeRetired?: boolean }): Promise<ScreeningDecision[]>;
  /** How many current (not retired) decisions the review has, at both stages. */
  countDecisions(reviewId: ReviewId): Promise<number>;
  listResolutions(reviewId: ReviewId): Promise<Resolution[]>;
  /**
   * Saves a decision, retiring the screener's previous one on the record and stage. Checked in the
   * same transaction, with the review locked, so that two screeners at once cannot both get through:
   * a screener with no current decision there is refused (undefined, nothing written) once the
   * record has `decisionsNeeded` current decisions or a resolution at that stage.
   */
  recordDecision(decision: NewDecision, guard: { decisionsNeeded: number }): Promise<ScreeningDecision | undefined>;
  resolveConflict(input: { reviewId: ReviewId; recordId: RecordId; stage: Stage; decision: Resolution['decision']; reason: string | undefined; resolvedBy: UserId }): Promise<void>;
  addNote(input: { reviewId: ReviewId; recordId: RecordId; authorId: UserId; body: string }): Promise<void>;
  listNotes(reviewId: ReviewId, recordId: RecordId): Promise<{ author: string; body: string; at: Date }[]>;
  setTags(input: { reviewId: ReviewId; recordId: RecordId; tags: string[]; addedBy: UserId }): Promise<void>;
  listTags(reviewId: ReviewId, recordId?: RecordId): Promise<{ recordId: RecordId; tag: string }[]>;
  /** Names where an import batch came from (e.g. "MEDLINE via Ovid"), for the PRISMA diagram. */
  labelBatch(batchId: ImportBatchId, sourceName: string | undefined): Promise<void>;
  listBatches(libraryId: LibraryId): Promise<(ReviewBatch & { parsed: number })[]>;
  /** The review's copies of records it took from the library, by the line each had in the addition batch. */
  recordBatchLines(batchId: ImportBatchId): Promise<{ line: number; recordId: RecordId }[]>;
  addAdditions(reviewId: ReviewId, additions: { source: ReviewAddition['source']; fromRecordId: RecordId; needId: NeedId | undefined; recordId: RecordId; addedBy: UserId }[]): Promise<void>;
  listAdditions(reviewId: ReviewId): Promise<ReviewAddition[]>;
  /** Records merged away inside the review's library after import (the duplicates page). */
  countMerged(libraryId: LibraryId): Promise<number>;
  saveModel(input: { reviewId: ReviewId; version: number; model: ModelName; included: number; excluded: number; records: number; trainedMs: number }): Promise<void>;
  lastModelVersion(reviewId: ReviewId): Promise<number>;
  listExtractionFields(reviewId: ReviewId): Promise<ExtractionField[]>;
  saveExtractionFields(reviewId: ReviewId, fields: (Omit<ExtractionField, 'id' | 'position'> & { id?: ExtractionFieldId | undefined })[]): Promise<void>;
  listExtractionValues(reviewId: ReviewId, recordId?: RecordId): Promise<{ recordId: RecordId; fieldId: ExtractionFieldId; value: ExtractionValue; updatedBy: UserId | undefined }[]>;
  /** Who checked each record's answers (or one record's), when, and the fingerprint of the answers they checked. */
  listExtractionChecks(reviewId: ReviewId, recordId?: RecordId): Promise<ExtractionCheck[]>;
  /**
   * Records that `checkedBy` checked a record's answers (replacing an earlier check), in one
   * transaction with the review locked, and only if `guard.isUnchanged` accepts the answers saved
   * then (false otherwise): a check is of the answers the checker saw.
   */
  saveExtractionCheck(
    input: { reviewId: ReviewId; recordId: RecordId; checkedBy: UserId; basis: string },
    guard: { isUnchanged: (saved: ReadonlyMap<string, ExtractionValue>) => boolean },
  ): Promise<boolean>;
  /**
   * Saves a record's answers in one transaction. With `guard`, the record's saved answers are read
   * again in that transaction, with the review locked, and nothing is written (false) unless
   * `guard.isUnchanged` accepts them: two saves from the same page at once cannot both get through.
   */
  saveExtractionValues(
    input: { reviewId: ReviewId; recordId: RecordId; values: { fieldId: ExtractionFieldId; value: ExtractionValue | undefined }[]; updatedBy: UserId },
    guard?: { isUnchanged: (saved: ReadonlyMap<string, ExtractionValue>) => boolean },
  ): Promise<boolean>;
}

/** A record's extracted data, checked by a second member of the team. */
export interface ExtractionCheck {
  recordId: RecordId;
  checkedBy: UserId;
  checkedByName: string;
  checkedAt: Date;
  /** The fingerprint of the answers checked (`basisOf`). */
  basis: string;
}

/** A ranking of a review's records for screening, most likely relevant first. */
export interface Ranking {
  /** `nb-v3`: the model and its retrain number; `protocol` before there is a model. */
  version: string;
  by: 'model' | 'protocol';
  /** Score per record id (higher: more likely relevant). */
  scores: Map<string, number>;
  /** One sentence for the screener: why records come in this order. */
  explanation: string;
}

/** Orders unscreened records with the active-learning model; retrains in the background. */
export interface ScreeningRanker {
  /** The latest ranking (waits only when there is none yet). */
  ranking(reviewId: ReviewId): Promise<Ranking>;
  /** Asks for a retrain on the decisions so far; returns at once and never makes the screener wait. */
  retrain(reviewId: ReviewId): void;
  /** Forgets what it holds for a review (records added or the protocol changed) and starts on the new ranking in the background. */
  invalidate(reviewId: ReviewId): void;
}

/** Fetches a need's title for a review created from it, and checks the actor may see it. */
export interface NeedLookup {
  findVisibleNeed(actor: import('../accounts/roles.js').Actor, id: NeedId): Promise<{ id: NeedId; title: string; question: string; population: string } | undefined>;
}
