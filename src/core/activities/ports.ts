import type { NeedId, OrganisationId, ThemeId, UserId } from '../shared/ids.js';
import type { ActivityFilter } from './activity.schema.js';
import type { Activity, ActivityId, ActivityKind } from './types.js';

export interface NewActivity {
  kind: ActivityKind;
  title: string;
  occurredOn: string;
  hours: number;
  organisationId: OrganisationId | undefined;
  themeId: ThemeId | undefined;
  needId: NeedId | undefined;
  briefingId: string | undefined;
  fellowId: UserId;
  notes: string;
}

/** Activities of fellows. */
export interface ActivityStore {
  insert(activity: NewActivity): Promise<ActivityId>;
  /**
   * Inserts an automatic activity, its organisation and theme defaulting to the need's; nothing when
   * the same automatic activity (fellow, kind, title, need, output) is already there. Returns its id.
   */
  insertAutomatic(activity: NewActivity): Promise<ActivityId | undefined>;
  find(id: ActivityId): Promise<Activity | undefined>;
  list(filter: ActivityFilter): Promise<{ activities: Activity[]; total: number; hours: number }>;
  /** Whether the referenced organisation, theme and need exist. */
  references(refs: { organisationId: OrganisationId | undefined; themeId: ThemeId | undefined; needId: NeedId | undefined }): Promise<{
    organisation: boolean;
    theme: boolean;
    need: boolean;
  }>;
}
