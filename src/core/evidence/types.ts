import type { CandidateId, ImportBatchId, LibraryId, RecordId, ThemeId, UserId } from '../shared/ids.js';
import type { StudyDesign } from './classify.js';
import type { MatchReason } from './dedupe.js';
import type { ImportFormat, RecordFields } from './record.js';

export interface EvidenceRecord extends RecordFields {
  id: RecordId;
  libraryId: LibraryId;
  studyDesign: StudyDesign;
  evidenceLevel: number | undefined;
  /** Present when a person chose the study design (else the rules graded it): reclassification never changes it, a merge keeps it. */
  studyDesignSetByHand?: DesignSetByHand;
  /** Every database the record was imported from (a merge unites them). */
  sourceDatabases: string[];
  /** Research themes the record is tagged with, by name (a merge unites them). */
  themes: RecordTheme[];
  createdAt: Date;
  updatedAt: Date;
}

/** Who chose a record's study design by hand, and when (`by` is absent for a choice made outside the app). */
export interface DesignSetByHand {
  at: Date;
  by?: { id: UserId; name: string };
}

export interface RecordTheme {
  id: ThemeId;
  name: string;
}

/** One arrival of a record: which import, which line, and the fields as that source gave them. */
export interface RecordSource {
  id: string;
  batchId: ImportBatchId | undefined;
  fileName: string | undefined;
  format: string | undefined;
  line: number | undefined;
  sourceDatabase: string | undefined;
  fields: RecordFields;
  at: Date;
}

export interface ImportBatch {
  id: ImportBatchId;
  libraryId: LibraryId;
  fileName: string;
  format: ImportFormat;
  fileSha256: string;
  sourceDatabase: string | undefined;
  searchQuery: string | undefined;
  parsed: number;
  imported: number;
  duplicates: number;
  invalid: number;
  importedBy: string | undefined;
  createdAt: Date;
}

export interface ImportError {
  line: number;
  message: string;
}

/** The result of importing one file: the CLI prints it as JSON, the web shows it as a summary page. */
export interface ImportSummary {
  file: string;
  format: ImportFormat;
  parsed: number;
  imported: number;
  duplicates: number;
  /** Uncertain pairs left for a fellow to decide. */
  candidates: number;
  errors: ImportError[];
  /** False when nothing was written: a dry run, or invalid records without --skip-invalid. */
  isCommitted: boolean;
  batchId: ImportBatchId | undefined;
}

export interface DuplicateCandidate {
  id: CandidateId;
  score: number;
  reasons: MatchReason[];
  status: 'open' | 'merged' | 'kept_apart';
  left: EvidenceRecord;
  right: EvidenceRecord;
}

export interface Library {
  id: LibraryId;
  name: string;
  kind: 'main' | 'review';
}
