import type { NeedId, UserId } from '../shared/ids.js';
import type { BriefingId } from '../briefings/types.js';
import type { ImpactFilter } from './impact.schema.js';
import type { Followup, FollowupId, ImpactKind, ImpactRecord, ImpactRecordId, ImpactUse } from './types.js';

export interface NewImpactRecord {
  needId: NeedId;
  briefingId: BriefingId | undefined;
  followupId: FollowupId | undefined;
  kinds: ImpactKind[];
  uses: ImpactUse[];
  detail: string;
  notUsedReason: string | undefined;
  fellowIds: UserId[];
  recordedById: UserId | undefined;
}

export type FollowupState = 'due' | 'awaiting' | 'upcoming' | 'answered';

/** Follow-ups after delivery. A follow-up's link token is stored only as its SHA-256. */
export interface FollowupStore {
  /**
   * Adds the follow-ups that (need, briefing, months) does not have yet. With a briefing, the need's
   * unsent follow-ups that have no briefing are first attached to it, so a need delivered by hand and
   * then by an output is followed up once. Returns the follow-ups added.
   */
  schedule(input: {
    needId: NeedId;
    briefingId: BriefingId | undefined;
    recipientEmail: string | undefined;
    items: { months: number; dueOn: string; tokenSha256: string }[];
  }): Promise<Followup[]>;
  countForNeed(needId: NeedId): Promise<number>;
  /** The requester's email address, when the need has a requester with an account. */
  requesterEmail(needId: NeedId): Promise<string | undefined>;
  find(id: FollowupId): Promise<Followup | undefined>;
  findByTokenHash(tokenSha256: string): Promise<Followup | undefined>;
  /** Follow-ups in one state, on the given day: due (and unsent), awaiting an answer, upcoming, answered. */
  list(state: FollowupState, today: string, limit: number): Promise<Followup[]>;
  /**
   * Stores a new token hash and marks the follow-up sent, unless it is answered (or, when `onlyUnsent`,
   * already sent): a claim, so that two nodes never email the same follow-up. False when not claimed.
   */
  claim(input: { id: FollowupId; tokenSha256: string; via: 'smtp' | 'by_hand'; at: Date; onlyUnsent: boolean }): Promise<boolean>;
  /** Undoes a claim whose email could not be sent, so the follow-up is listed again. */
  release(id: FollowupId): Promise<void>;
  /** The need's fellows and the output's author, credited with the impact. */
  fellowsOf(needId: NeedId, briefingId: BriefingId | undefined): Promise<UserId[]>;
  /** Marks the follow-up answered and keeps the impact record, in one transaction; undefined when it was already answered. */
  answer(id: FollowupId, record: NewImpactRecord, at: Date): Promise<ImpactRecordId | undefined>;
}

export interface ImpactStore {
  list(filter: ImpactFilter): Promise<{ records: ImpactRecord[]; total: number }>;
  find(id: ImpactRecordId): Promise<ImpactRecord | undefined>;
  insert(record: NewImpactRecord): Promise<ImpactRecordId>;
  setKinds(id: ImpactRecordId, kinds: ImpactKind[]): Promise<boolean>;
  /** Whether the need (and the briefing, when given, of that need) exist. */
  references(needId: NeedId, briefingId: BriefingId | undefined): Promise<{ need: boolean; briefing: boolean }>;
  /** Which of these accounts are staff. */
  staffAmong(ids: UserId[]): Promise<UserId[]>;
}
