import type { ImportBatchId, LibraryId, NeedId, RecordId, UserId } from '../shared/ids.js';
import type { Brand } from '../shared/ids.js';
import type { EvidenceRecord } from '../evidence/types.js';
import type { StoppingGuidance } from '../screening/stopping.js';

export type ReviewId = Brand<string, 'ReviewId'>;
export type ExtractionFieldId = Brand<string, 'ExtractionFieldId'>;

export const reviewStatuses = ['planning', 'screening', 'extraction', 'complete', 'archived'] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];
export const reviewStatusLabels: Record<ReviewStatus, string> = {
  planning: 'Planning',
  screening: 'Screening',
  extraction: 'Data extraction',
  complete: 'Complete',
  archived: 'Archived',
};

/** Question frameworks and the fields each asks for (Cochrane's PICO; PEO; SPIDER for qualitative questions). */
export const frameworks = {
  pico: { label: 'PICO', fields: { population: 'Population', intervention: 'Intervention', comparison: 'Comparison', outcome: 'Outcome' } },
  peo: { label: 'PEO', fields: { population: 'Population', exposure: 'Exposure', outcome: 'Outcome' } },
  spider: {
    label: 'SPIDER',
    fields: { sample: 'Sample', phenomenon: 'Phenomenon of interest', design: 'Design', evaluation: 'Evaluation', researchType: 'Research type' },
  },
} as const;
export type Framework = keyof typeof frameworks;
export const frameworkNames = Object.keys(frameworks) as Framework[];

/** Reasons offered for exclusion until the team writes its own. */
export const defaultExclusionReasons = ['Wrong population', 'Wrong intervention or exposure', 'Wrong comparator', 'Wrong outcomes', 'Wrong study design', 'Wrong setting', 'Not in English', 'Duplicate'];

export const memberRoles = ['lead', 'screener', 'arbiter'] as const;
export type MemberRole = (typeof memberRoles)[number];
export const memberRoleLabels: Record<MemberRole, string> = {
  lead: 'Review lead (runs the review, screens, resolves conflicts)',
  screener: 'Screener',
  arbiter: 'Arbiter (screens and resolves conflicts)',
};

export const stages = ['title_abstract', 'full_text'] as const;
export type Stage = (typeof stages)[number];
export const stageLabels: Record<Stage, string> = { title_abstract: 'Title and abstract', full_text: 'Full text' };

export const decisions = ['include', 'exclude', 'maybe', 'not_retrieved'] as const;
export type Decision = (typeof decisions)[number];
export const decisionLabels: Record<Decision, string> = { include: 'Include', exclude: 'Exclude', maybe: 'Maybe', not_retrieved: 'Full text not retrieved' };

export type ModelName = 'nb' | 'logistic';
export const modelLabels: Record<ModelName, string> = { nb: 'Naive Bayes (the default, as in ASReview)', logistic: 'Logistic regression' };

export interface ReviewMember {
  userId: UserId;
  name: string;
  role: MemberRole;
}

export interface Protocol {
  question: string;
  framework: Framework;
  /** The chosen framework's fields, by the names in `frameworks`. */
  frameworkFields: Record<string, string>;
  inclusionCriteria: string;
  exclusionCriteria: string;
  exclusionReasons: string[];
  /** Words the team wants highlighted while screening. */
  includeKeywords: string[];
  excludeKeywords: string[];
}

export interface ScreeningSettings {
  isDual: boolean;
  isBlind: boolean;
  model: ModelName;
  /** Share of records served at random instead of by rank (0 to 0.5), against the model's blind spots. */
  randomShare: number;
}

export interface Review extends Protocol, ScreeningSettings {
  id: ReviewId;
  reference: string;
  title: string;
  needId: NeedId | undefined;
  libraryId: LibraryId;
  status: ReviewStatus;
  members: ReviewMember[];
  prismaLabels: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScreeningDecision {
  id: number;
  recordId: RecordId;
  stage: Stage;
  screenerId: UserId;
  screenerName: string;
  decision: Decision;
  reason: string | undefined;
  modelVersion: string | undefined;
  rankPosition: number | undefined;
  isCurrent: boolean;
  decidedAt: Date;
}

export interface Resolution {
  recordId: RecordId;
  stage: Stage;
  decision: Exclude<Decision, 'maybe'>;
  reason: string | undefined;
  resolvedBy: UserId;
  resolvedByName: string;
  resolvedAt: Date;
}

/** Where a record stands at one stage. */
export type RecordStageState =
  | { kind: 'not_reached' }
  | { kind: 'to_screen'; decisions: number }
  | { kind: 'conflict' }
  | { kind: 'decided'; decision: 'include' | 'exclude' | 'not_retrieved'; reason: string | undefined; byResolution: boolean };

export interface ReviewAddition {
  source: 'library' | 'need_matches';
  fromRecordId: RecordId | undefined;
  needId: NeedId | undefined;
  recordId: RecordId;
  addedAt: Date;
}

export interface ReviewBatch {
  id: ImportBatchId;
  fileName: string;
  sourceDatabase: string | undefined;
  searchQuery: string | undefined;
  fileSha256: string;
  imported: number;
  duplicates: number;
  /** Invalid records left out of the import (the team chose to import the good records and skip the rest). */
  skipped: number;
  createdAt: Date;
}

export interface ExtractionField {
  id: ExtractionFieldId;
  position: number;
  label: string;
  kind: 'text' | 'number' | 'choice' | 'table';
  choices: string[];
  columns: string[];
  isRequired: boolean;
}

/** One extraction answer: text, a number, a choice, or table rows (each a list of cells). */
export type ExtractionValue = string | number | string[][];

export interface ScreeningCard {
  record: EvidenceRecord;
  stage: Stage;
  /** Why this record comes now: the model's rank and score, a random pick, or the protocol (cold start). */
  order: { by: 'model' | 'random' | 'protocol' | 'none'; modelVersion: string | undefined; position: number; score: number | undefined; explanation: string };
  notes: { author: string; body: string; at: Date }[];
  tags: string[];
  /** Shown when not blind, or to the lead: the other screeners' decisions. */
  others: ScreeningDecision[];
  /** This screener's current decision on the record, when they reopen it. */
  mine: ScreeningDecision | undefined;
  /**
   * Whether this screener may decide the record: it still needs decisions at this stage, or they
   * are changing their own. A record opened by link that is settled, or in conflict, is read only.
   */
  canDecide: boolean;
  /** The record this screener decided last at this stage (another one), to go back and change it. */
  previous: RecordId | undefined;
  /** Records this screener still has at this stage, this one included. */
  remaining: number;
  /** Stopping guidance (title and abstract only). */
  guidance: StoppingGuidance | undefined;
}
