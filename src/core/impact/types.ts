import type { Brand, NeedId, UserId } from '../shared/ids.js';
import type { BriefingId } from '../briefings/types.js';

export type FollowupId = Brand<string, 'FollowupId'>;
export type ImpactRecordId = Brand<string, 'ImpactRecordId'>;

/** How the requester says the output was used (the follow-up form's first question). */
export const impactUses = ['informed_decision', 'changed_service', 'shared', 'not_used'] as const;
export type ImpactUse = (typeof impactUses)[number];
export const impactUseLabels: Record<ImpactUse, string> = {
  informed_decision: 'It informed a decision',
  changed_service: 'It changed a service or how we work',
  shared: 'We shared it with others',
  not_used: 'We have not used it',
};

/**
 * The kinds of research impact (instrumental, conceptual, capacity building, culture change), after
 * Nutley, Walter and Davies, "Using evidence" (2007) and the ESRC's impact typology.
 */
export const impactKinds = ['instrumental', 'conceptual', 'capacity_building', 'culture_change'] as const;
export type ImpactKind = (typeof impactKinds)[number];
export const impactKindLabels: Record<ImpactKind, string> = {
  instrumental: 'Instrumental',
  conceptual: 'Conceptual',
  capacity_building: 'Capacity building',
  culture_change: 'Culture change',
};
export const impactKindHints: Record<ImpactKind, string> = {
  instrumental: 'It directly informed a decision or changed a service',
  conceptual: 'It changed understanding, or was shared and discussed',
  capacity_building: 'It built skills or confidence in finding and using evidence',
  culture_change: 'It changed how an organisation asks for and uses evidence',
};

/** What else changed, ticked by the requester (the form's second question): each names one kind. */
export const impactDifferences = ['understanding', 'skills', 'culture'] as const;
export type ImpactDifference = (typeof impactDifferences)[number];
export const impactDifferenceLabels: Record<ImpactDifference, string> = {
  understanding: 'It changed how we understand the issue',
  skills: 'It built our skills or confidence in using evidence',
  culture: 'It changed how our organisation asks for or uses evidence',
};

export interface NeedRef {
  id: NeedId;
  reference: string;
  title: string;
}

export interface BriefingRef {
  id: BriefingId;
  reference: string;
  title: string;
}

export interface PersonRef {
  id: UserId;
  name: string;
}

/** One follow-up with the requester, some months after an output (or the need) was delivered. */
export interface Followup {
  id: FollowupId;
  need: NeedRef;
  briefing: BriefingRef | undefined;
  months: number;
  dueOn: string;
  recipientEmail: string | undefined;
  recipientName: string | undefined;
  sentAt: Date | undefined;
  sentVia: 'smtp' | 'by_hand' | undefined;
  answeredAt: Date | undefined;
  /** The fellows on the need, who will see the answer. */
  fellows: PersonRef[];
  createdAt: Date;
}

/** What difference the work made: from a follow-up answer, or logged by a fellow. */
export interface ImpactRecord {
  id: ImpactRecordId;
  need: NeedRef;
  briefing: BriefingRef | undefined;
  /** The follow-up it answers, and how many months after delivery; none when a fellow logged it. */
  followup: { id: FollowupId; months: number } | undefined;
  kinds: ImpactKind[];
  uses: ImpactUse[];
  detail: string;
  notUsedReason: string | undefined;
  fellows: PersonRef[];
  /** The fellow who logged it; none for the requester’s own answer to a follow-up. */
  recordedBy: PersonRef | undefined;
  createdAt: Date;
}
