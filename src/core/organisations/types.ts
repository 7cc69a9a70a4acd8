import type { OrganisationId, PersonId, ThemeId, UserId } from '../shared/ids.js';

/** The kinds of partner an ARC works with (issue #2, item 5). */
export const organisationTypes = [
  'health_innovation_network',
  'academic_health_partnership',
  'integrated_care_system',
  'integrated_care_board',
  'local_authority',
  'vcse',
  'provider',
  'community_group',
  'patients_and_public',
  'university',
] as const;
export type OrganisationType = (typeof organisationTypes)[number];

export const organisationTypeLabels: Record<OrganisationType, string> = {
  health_innovation_network: 'Health Innovation Network',
  academic_health_partnership: 'Academic health partnership',
  integrated_care_system: 'Integrated Care System',
  integrated_care_board: 'Integrated Care Board',
  local_authority: 'Local authority',
  vcse: 'Voluntary, community or social enterprise (VCSE) organisation',
  provider: 'Health or care provider',
  community_group: 'Community group',
  patients_and_public: 'Patients and public',
  university: 'University or research theme',
};

export interface Organisation {
  id: OrganisationId;
  name: string;
  type: OrganisationType;
  website: string | undefined;
  createdAt: Date;
}

export interface Theme {
  id: ThemeId;
  name: string;
  description: string;
}

/** A contact at a partner or a member of the ARC; may or may not have an account. */
export interface Person {
  id: PersonId;
  name: string;
  email: string | undefined;
  jobTitle: string | undefined;
  organisationId: OrganisationId | undefined;
  userId: UserId | undefined;
  themeIds: ThemeId[];
  /** Free-text expertise (topics, methods), matched to needs. */
  expertise: string;
}
