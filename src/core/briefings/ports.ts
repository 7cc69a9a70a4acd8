import type { RecordId, UserId } from '../shared/ids.js';
import type { Briefing, BriefingComment, BriefingId, BriefingStatus, BriefingVersion, Section } from './types.js';
import type { NewBriefing } from './briefing.schema.js';

export interface BriefingSummary {
  id: BriefingId;
  reference: string;
  title: string;
  template: Briefing['template'];
  status: BriefingStatus;
  needId: string | undefined;
  /** The review it was started from, if any. */
  reviewId: string | undefined;
  currentVersion: number;
  updatedAt: Date;
}

export interface BriefingFilter {
  needId?: string | undefined;
  reviewId?: string | undefined;
  status?: BriefingStatus | undefined;
}

/** Briefings in the database. Versions are append-only: saving writes the next one. */
export interface BriefingStore {
  create(input: Omit<NewBriefing, 'needId' | 'reviewId'> & { needId: string | undefined; reviewId: string | undefined; createdBy: UserId; sections: Section[]; recordIds: RecordId[] }): Promise<BriefingId>;
  find(id: BriefingId): Promise<Briefing | undefined>;
  findBySlug(slug: string): Promise<Briefing | undefined>;
  /** Briefings, most recently changed first, narrowed to a need, the review they were started from, or a status. */
  list(filter: BriefingFilter): Promise<BriefingSummary[]>;
  version(id: BriefingId, version: number): Promise<BriefingVersion | undefined>;
  listVersions(id: BriefingId): Promise<Omit<BriefingVersion, 'sections'>[]>;
  /** Writes version `current + 1` and makes it current, unless another save got there first (then false). */
  saveVersion(input: { id: BriefingId; expectedVersion: number; sections: Section[]; note: string; createdBy: UserId }): Promise<boolean>;
  setRecords(id: BriefingId, recordIds: RecordId[]): Promise<void>;
  update(id: BriefingId, input: { title: string; citationStyle: Briefing['citationStyle']; isPublic: boolean; publicSlug: string | undefined }): Promise<void>;
  setStatus(input: { id: BriefingId; from: BriefingStatus; to: BriefingStatus; actorId: UserId }): Promise<void>;
  addComment(input: { id: BriefingId; version: number; sectionKey: string | undefined; authorId: UserId; body: string }): Promise<void>;
  listComments(id: BriefingId): Promise<BriefingComment[]>;
  listEvents(id: BriefingId): Promise<{ from: BriefingStatus | undefined; to: BriefingStatus; actor: string; at: Date }[]>;
}
