import type { Brand, NeedId, OrganisationId, ThemeId, UserId } from '../shared/ids.js';
import { supportKindLabels, supportKinds } from '../needs/types.js';
import type { BriefingRef, NeedRef, PersonRef } from '../impact/types.js';

export type ActivityId = Brand<string, 'ActivityId'>;

/** Everything in the KM mission: the kinds of support a need can get, and training. */
export const activityKinds = [...supportKinds, 'training'] as const;
export type ActivityKind = (typeof activityKinds)[number];
export const activityKindLabels: Record<ActivityKind, string> = {
  ...supportKindLabels,
  training: 'Training and capacity building',
};

/** One thing a fellow did, with partner, theme and hours. */
export interface Activity {
  id: ActivityId;
  kind: ActivityKind;
  title: string;
  occurredOn: string;
  hours: number;
  organisation: { id: OrganisationId; name: string } | undefined;
  theme: { id: ThemeId; name: string } | undefined;
  need: NeedRef | undefined;
  briefing: BriefingRef | undefined;
  fellow: PersonRef;
  notes: string;
  /** Logged by the system when a need or output moved on, not typed by a fellow. */
  isAutomatic: boolean;
  createdAt: Date;
}

export interface AutomaticActivity {
  kind: ActivityKind;
  title: string;
  fellowId: UserId;
  /** Defaults to today (Europe/London). */
  occurredOn?: string | undefined;
  hours?: number | undefined;
  needId?: NeedId | undefined;
  briefingId?: string | undefined;
  /** Default to the need's organisation and first theme. */
  organisationId?: OrganisationId | undefined;
  themeId?: ThemeId | undefined;
  notes?: string | undefined;
}
