import type { NeedId, OrganisationId, ThemeId, UserId } from '../shared/ids.js';
import type { Role } from '../accounts/roles.js';
import type { NeedFilter } from './need.schema.js';
import type { NeedVisibility } from './permissions.js';
import type {
  Audience,
  Comment,
  Need,
  NeedEvent,
  NeedEventKind,
  NeedLiveEvent,
  NeedStatus,
  Resolution,
  ServiceTier,
  SupportKind,
  Urgency,
} from './types.js';

export interface NewNeed {
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
  themeIds: ThemeId[];
  isPublic: boolean;
  shareWithArcs: boolean;
  requesterId: UserId | undefined;
  createdById: UserId;
}

export interface NeedPatch {
  status?: NeedStatus;
  tier?: ServiceTier;
  supportKinds?: SupportKind[];
  resolution?: Resolution;
  declineReason?: string;
  mergedIntoId?: NeedId;
}

/** Needs, their history, fellows and dialogue. History and comments are append-only. */
export interface NeedStore {
  /** Runs `work` in one transaction with a store bound to it. */
  transaction<T>(work: (store: NeedStore) => Promise<T>): Promise<T>;
  findNeed(id: NeedId): Promise<Need | undefined>;
  listNeeds(visibility: NeedVisibility, filter: NeedFilter, actorId: UserId): Promise<{ needs: Need[]; total: number }>;
  insertNeed(need: NewNeed): Promise<NeedId>;
  updateNeedFields(id: NeedId, fields: Omit<NewNeed, 'createdById' | 'requesterId'>): Promise<void>;
  patchNeed(id: NeedId, patch: NeedPatch): Promise<void>;
  /** Adds fellows not already assigned; returns those newly added. */
  addFellows(id: NeedId, userIds: UserId[], assignedBy: UserId): Promise<UserId[]>;
  appendEvent(event: {
    needId: NeedId;
    kind: NeedEventKind;
    actorId: UserId;
    fromStatus?: NeedStatus;
    toStatus?: NeedStatus;
    detail?: Record<string, unknown>;
  }): Promise<NeedEvent>;
  listEvents(id: NeedId): Promise<NeedEvent[]>;
  insertComment(comment: { needId: NeedId; authorId: UserId; body: string; isInternal: boolean }): Promise<Comment>;
  listComments(id: NeedId, includeInternal: boolean): Promise<Comment[]>;
  /** Role and organisation of accounts, to check assignees and requesters. */
  findAccounts(ids: UserId[]): Promise<{ id: UserId; role: Role; organisationId: OrganisationId | undefined }[]>;
  countThemes(ids: ThemeId[]): Promise<number>;
  organisationExists(id: OrganisationId): Promise<boolean>;
}

/** Publishes live events to open pages, on this node and (with PostgreSQL) every other node. */
export interface NeedEventPublisher {
  publish(event: NeedLiveEvent): void;
}
