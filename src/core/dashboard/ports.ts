import type { ActivityKind } from '../activities/types.js';
import type { ImpactKind, ImpactUse } from '../impact/types.js';
import type { ServiceTier } from '../needs/types.js';
import type { OrganisationType } from '../organisations/types.js';

/** A period of London calendar dates, both ends included. */
export interface DashboardRange {
  from: string;
  to: string;
}

/** One need received or delivered in the period, as the figures need it. */
export interface NeedFact {
  /** London date the need was posted. */
  receivedOn: string;
  /** London date it was first marked delivered. */
  deliveredOn: string | undefined;
  /** From posting to the first staff reply in the dialogue (not an internal note) or triage decision. */
  daysToFirstResponse: number | undefined;
  /** From posting to first being marked delivered. */
  daysToDelivery: number | undefined;
  themes: string[];
  organisationType: OrganisationType | undefined;
  tier: ServiceTier | undefined;
}

/** One follow-up sent in the period. */
export interface FollowupFact {
  months: number;
  isAnswered: boolean;
}

/** One impact record made in the period. */
export interface ImpactFact {
  uses: ImpactUse[];
  kinds: ImpactKind[];
}

export interface ActivityTotal {
  kind: ActivityKind;
  count: number;
  hours: number;
}

/** The facts behind the impact dashboard, read in SQL. */
export interface DashboardStore {
  /** Needs received in the period, or delivered in it. */
  needFacts(range: DashboardRange): Promise<NeedFact[]>;
  followupFacts(range: DashboardRange): Promise<FollowupFact[]>;
  impactFacts(range: DashboardRange): Promise<ImpactFact[]>;
  activityTotals(range: DashboardRange): Promise<ActivityTotal[]>;
}
