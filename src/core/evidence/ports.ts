import type { UserId, CandidateId, ImportBatchId, LibraryId, RecordId, ThemeId } from '../shared/ids.js';
import type { StudyDesign } from './classify.js';
import type { DedupeKeys, MatchReason } from './dedupe.js';
import type { ImportFormat, RecordFields } from './record.js';
import type { DuplicateCandidate, EvidenceRecord, ImportBatch, Library, RecordSource, RecordTheme } from './types.js';

/** A record about to be imported, with what classification and de-duplication decided. */
export interface StagedRow {
  seq: number;
  line: number;
  /** The id the record will have when new, or the id of the record it duplicates. */
  recordId: RecordId;
  isNew: boolean;
  fields: RecordFields & { studyDesign: StudyDesign; evidenceLevel: number | undefined; keys: DedupeKeys };
  candidates: { otherId: RecordId; score: number; reasons: MatchReason[] }[];
}

/** What the study-design rules read of a stored record, with the design and level stored now. */
export interface StoredClassification {
  id: RecordId;
  title: string;
  abstract: string | undefined;
  publicationTypes: string[];
  meshTerms: string[];
  studyDesign: StudyDesign;
  evidenceLevel: number | undefined;
}

/** A stored design that a reclassification changed (or, in a dry run, would change). */
export interface DesignChange {
  id: RecordId;
  from: { design: StudyDesign; level: number | undefined };
  to: { design: StudyDesign; level: number | undefined };
}

/** The study-design rules applied to a stored record: the design and level it should have. */
export type GradeRecord = (record: StoredClassification) => { design: StudyDesign; level: number | undefined };

/** How a record's study design is to be set: chosen by a person, or worked out by the rules from the record as it stands. */
export type DesignChoice =
  | { kind: 'by_hand'; design: StudyDesign; level: number | undefined; setBy: UserId }
  | { kind: 'automatic'; classify: GradeRecord };

export interface RecordFilter {
  libraryId: LibraryId;
  yearFrom?: number | undefined;
  yearTo?: number | undefined;
  designs?: StudyDesign[] | undefined;
  levels?: number[] | undefined;
  sourceDatabase?: string | undefined;
  batchId?: ImportBatchId | undefined;
  /** Records tagged with any of these themes. */
  themeIds?: ThemeId[] | undefined;
  text?: string | undefined;
  limit: number;
  offset: number;
}

export interface RecordFacets {
  years: { year: number; count: number }[];
  designs: { design: StudyDesign; count: number }[];
  levels: { level: number | null; count: number }[];
  sourceDatabases: { name: string; count: number }[];
  themes: (RecordTheme & { count: number })[];
}

/** The evidence library in the database. Import batches and sources are append-only. */
export interface EvidenceStore {
  findLibrary(id: LibraryId): Promise<Library | undefined>;
  findMainLibrary(): Promise<Library>;
  /** Existing records sharing any identifier or blocking key with the given keys. */
  findMatches(libraryId: LibraryId, keys: readonly DedupeKeys[]): Promise<{ id: RecordId; keys: DedupeKeys }[]>;
  /** Writes rows of an import in progress; invisible to readers until promoted. */
  stageRows(importId: string, rows: readonly StagedRow[]): Promise<void>;
  /**
   * Turns staged rows into records, sources and candidates, in one transaction. The duplicates fill in what the record they
   * duplicate lacks, every copy in the file contributing (each missing field from the first copy in file order that has it);
   * a record they change nothing in is not written. When that changes what the study-design rules read (an abstract,
   * publication types or MeSH headings arrive with a later copy), the record is graded again there and then with
   * `classify`, unless a person set its design by hand. A design that comes out the same is not written.
   */
  promoteStaged(
    importId: string,
    batch: {
      libraryId: LibraryId;
      fileName: string;
      format: ImportFormat;
      fileSha256: string;
      parsed: number;
      invalid: number;
      importedBy: UserId | undefined;
      searchQuery: string | undefined;
      /** Themes every record of the file (new or duplicate) is tagged with, in the same transaction. */
      themeIds: readonly ThemeId[];
      /** The study-design rules, for the records a duplicate enriches. */
      classify: GradeRecord;
    },
  ): Promise<{ batchId: ImportBatchId; imported: number; duplicates: number; candidates: number }>;
  discardStaged(importId: string): Promise<void>;
  listRecords(filter: RecordFilter): Promise<{ records: EvidenceRecord[]; total: number }>;
  facets(libraryId: LibraryId): Promise<RecordFacets>;
  findRecord(id: RecordId): Promise<EvidenceRecord | undefined>;
  listSources(id: RecordId): Promise<RecordSource[]>;
  /** Records by id in the order given, for export. */
  findRecords(ids: readonly RecordId[]): Promise<EvidenceRecord[]>;
  listBatches(libraryId: LibraryId): Promise<ImportBatch[]>;
  listCandidates(libraryId: LibraryId, status: DuplicateCandidate['status'], paging: { limit: number; offset: number }): Promise<{ candidates: DuplicateCandidate[]; total: number }>;
  findCandidate(id: CandidateId): Promise<DuplicateCandidate | undefined>;
  /**
   * Keeps `keepId` with the merged fields, moves every source of `mergeId` to it and adds its themes, hides `mergeId`.
   * A design set by hand on either record (the later choice when both have one) replaces the fields' design, with who chose it and when.
   */
  mergeRecords(input: { keepId: RecordId; mergeId: RecordId; fields: RecordFields & { studyDesign: StudyDesign; evidenceLevel: number | undefined; keys: DedupeKeys }; candidateId: CandidateId | undefined; decidedBy: UserId | undefined }): Promise<void>;
  /** The de-duplication keys of every live record in a library, for a whole-library scan. */
  listDedupeKeys(libraryId: LibraryId): Promise<{ id: RecordId; keys: DedupeKeys }[]>;
  /** Adds uncertain pairs; pairs already known (open or decided) are left as they are. Returns how many were new. */
  insertCandidates(libraryId: LibraryId, pairs: readonly { left: RecordId; right: RecordId; score: number; reasons: MatchReason[] }[]): Promise<number>;
  keepApart(input: { candidateId: CandidateId; decidedBy: UserId }): Promise<void>;
  /** The themes that exist among `ids`, by name; unknown ids are left out. */
  findThemes(ids: readonly ThemeId[]): Promise<RecordTheme[]>;
  /** Themes by name, ignoring case; names no theme has are left out. */
  findThemesByName(names: readonly string[]): Promise<RecordTheme[]>;
  /** Makes the record's themes exactly `themeIds`: adds the missing ones (by `addedBy`), removes the rest. */
  setRecordThemes(input: { recordId: RecordId; themeIds: readonly ThemeId[]; addedBy: UserId }): Promise<void>;
  /**
   * Sets a live record's study design in one transaction with its row locked: by hand (the design, its
   * level, who chose it and now), or back to the rules' grade (`classify` reads the record as it stands,
   * and the mark of a hand choice is cleared). A choice that changes nothing (the same design already set
   * by hand, or the rules' grade of a record no one graded by hand) writes nothing, so who chose a design
   * first stays. False when there is no such live record (none, or merged into another).
   */
  setStudyDesign(recordId: RecordId, choice: DesignChoice): Promise<boolean>;
  /** The version of the classification rules the workspace's stored designs follow (0: before versions). */
  classificationRulesVersion(): Promise<number>;
  /** Records that the stored designs follow `version` now (never lowers it). */
  setClassificationRulesVersion(version: number): Promise<void>;
  /**
   * One batch of a reclassification, in one short transaction: the next `limit` live records after
   * `afterId` (in id order, in `libraryId` if given) whose design no one set by hand, locked; each one
   * `decide` gives another design or level is updated (unless `dryRun`, which writes nothing). Every
   * update of a record reaches the change feed, so the index and matching hear of it as of any edit.
   * `lastId` is the last record read (undefined when none were left).
   */
  reclassifyBatch(
    input: { afterId: RecordId | undefined; limit: number; libraryId: LibraryId | undefined; dryRun: boolean },
    decide: GradeRecord,
  ): Promise<{ lastId: RecordId | undefined; read: number; changes: DesignChange[] }>;
}
