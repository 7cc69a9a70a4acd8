import type { CommentId, NeedId, OrganisationId, RecordId, ThemeId, UserId } from '../shared/ids.js';
import type { Role } from '../accounts/roles.js';

/** The life of a need (issue #2, item 6): submitted → triaged → in progress → delivered → closed. */
export const needStatuses = ['submitted', 'triaged', 'in_progress', 'delivered', 'closed'] as const;
export type NeedStatus = (typeof needStatuses)[number];
export const needStatusLabels: Record<NeedStatus, string> = {
  submitted: 'Submitted',
  triaged: 'Triaged',
  in_progress: 'In progress',
  delivered: 'Delivered',
  closed: 'Closed',
};

export const urgencies = ['routine', 'soon', 'urgent'] as const;
export type Urgency = (typeof urgencies)[number];
export const urgencyLabels: Record<Urgency, string> = {
  routine: 'Routine (within 3 months)',
  soon: 'Soon (within a month)',
  urgent: 'Urgent (within 2 weeks)',
};
/** Sort order for the triage queue: most urgent first when deadlines tie. */
export const urgencyRank: Record<Urgency, number> = { urgent: 0, soon: 1, routine: 2 };

export const audiences = ['board', 'practitioners', 'public'] as const;
export type Audience = (typeof audiences)[number];
export const audienceLabels: Record<Audience, string> = {
  board: 'Board or decision-making committee',
  practitioners: 'Practitioners',
  public: 'Patients and the public',
};

/** How much help a need gets; fixed at triage. */
export const serviceTiers = ['quick_answer', 'rapid_review', 'partnership'] as const;
export type ServiceTier = (typeof serviceTiers)[number];
export const serviceTierLabels: Record<ServiceTier, string> = {
  quick_answer: 'Quick answer (days)',
  rapid_review: 'Rapid review (weeks)',
  partnership: 'Partnership or project (months)',
};

/** The kinds of support in the KM mission. */
export const supportKinds = [
  'evidence_review',
  'briefing',
  'collaboration',
  'ppi_codesign',
  'evaluation_advice',
  'health_data',
] as const;
export type SupportKind = (typeof supportKinds)[number];
export const supportKindLabels: Record<SupportKind, string> = {
  evidence_review: 'Evidence review',
  briefing: 'Briefing',
  collaboration: 'Collaboration or research partnership',
  ppi_codesign: 'Public involvement (PPI) and co-design',
  evaluation_advice: 'Evaluation advice (logic model, theory of change)',
  health_data: 'Local health and care data',
};

/** Why a closed need is closed. */
export const resolutions = ['completed', 'declined', 'merged', 'withdrawn'] as const;
export type Resolution = (typeof resolutions)[number];

export interface PersonRef {
  id: UserId;
  name: string;
}

export interface Need {
  id: NeedId;
  /** Short human reference, e.g. `KN-0042`, for emails and phone calls. */
  reference: string;
  title: string;
  question: string;
  decision: string;
  decisionMaker: string;
  population: string;
  setting: string;
  triedSoFar: string;
  deadlineOn: string | undefined;
  urgency: Urgency;
  audiences: Audience[];
  organisationId: OrganisationId | undefined;
  organisationName: string | undefined;
  themes: { id: ThemeId; name: string }[];
  isPublic: boolean;
  shareWithArcs: boolean;
  status: NeedStatus;
  tier: ServiceTier | undefined;
  supportKinds: SupportKind[];
  resolution: Resolution | undefined;
  declineReason: string | undefined;
  mergedIntoId: NeedId | undefined;
  requester: PersonRef | undefined;
  createdBy: PersonRef;
  fellows: PersonRef[];
  createdAt: Date;
  updatedAt: Date;
}

export const needEventKinds = ['submitted', 'edited', 'triaged', 'assigned', 'status_changed', 'declined', 'merged'] as const;
export type NeedEventKind = (typeof needEventKinds)[number];

/** One line of a need's history: who did what, and when. Append-only. */
export interface NeedEvent {
  id: string;
  needId: NeedId;
  kind: NeedEventKind;
  actor: PersonRef;
  fromStatus: NeedStatus | undefined;
  toStatus: NeedStatus | undefined;
  detail: Record<string, unknown>;
  at: Date;
}

export interface Comment {
  id: CommentId;
  needId: NeedId;
  author: PersonRef & { role: Role };
  body: string;
  /** Internal notes are seen by staff only. */
  isInternal: boolean;
  createdAt: Date;
}

/** Messages pushed to open need pages (server-sent events). */
export type NeedLiveEvent =
  | { type: 'comment'; needId: NeedId; comment: Comment }
  | { type: 'status'; needId: NeedId; status: NeedStatus; event: NeedEvent }
  | { type: 'history'; needId: NeedId; event: NeedEvent }
  | { type: 'matches'; needId: NeedId; records: { id: RecordId; title: string }[] };
