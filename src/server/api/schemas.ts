import { z } from 'zod';
import { roles } from '../../core/accounts/roles.js';
import { needEventKinds, needStatuses, resolutions, serviceTiers, supportKinds, urgencies, audiences } from '../../core/needs/types.js';
import { organisationTypes } from '../../core/organisations/types.js';
import type { ThemeId } from '../../core/shared/ids.js';

/** Response shapes of the JSON API, as clients see them (dates as ISO 8601 text). */
const when = z.iso.datetime({ offset: true });
const ref = z.object({ id: z.uuid(), name: z.string() });

export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

export const meResponse = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  organisationId: z.uuid().optional(),
  csrfToken: z.string().optional().describe('Send as X-CSRF-Token on writes made with the session cookie'),
});

export const needResponse = z.object({
  id: z.uuid(),
  reference: z.string(),
  title: z.string(),
  question: z.string(),
  decision: z.string(),
  decisionMaker: z.string(),
  population: z.string(),
  setting: z.string(),
  triedSoFar: z.string(),
  deadlineOn: z.iso.date().optional(),
  urgency: z.enum(urgencies),
  audiences: z.array(z.enum(audiences)),
  organisationId: z.uuid().optional(),
  organisationName: z.string().optional(),
  themes: z.array(ref),
  isPublic: z.boolean(),
  shareWithArcs: z.boolean(),
  status: z.enum(needStatuses),
  tier: z.enum(serviceTiers).optional(),
  supportKinds: z.array(z.enum(supportKinds)),
  resolution: z.enum(resolutions).optional(),
  declineReason: z.string().optional(),
  mergedIntoId: z.uuid().optional(),
  requester: ref.optional(),
  createdBy: ref,
  fellows: z.array(ref),
  createdAt: when,
  updatedAt: when,
});

export const needListResponse = z.object({ needs: z.array(needResponse), total: z.number().int() });

export const commentResponse = z.object({
  id: z.uuid(),
  needId: z.uuid(),
  author: ref.extend({ role: z.enum(roles) }),
  body: z.string(),
  isInternal: z.boolean(),
  createdAt: when,
});

export const eventResponse = z.object({
  id: z.uuid(),
  needId: z.uuid(),
  kind: z.enum(needEventKinds),
  actor: ref,
  fromStatus: z.enum(needStatuses).optional(),
  toStatus: z.enum(needStatuses).optional(),
  detail: z.record(z.string(), z.unknown()),
  at: when,
});

export const organisationResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(organisationTypes),
  website: z.string().optional(),
  createdAt: when,
});

export const themeResponse = z.object({ id: z.uuid(), name: z.string(), description: z.string() });

export const personResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string().optional().describe('Only for staff (fellows, leads and administrators), and only when known; left out for everyone else'),
  jobTitle: z.string().optional(),
  organisationId: z.uuid().optional(),
  userId: z.uuid().optional(),
  themeIds: z.array(z.uuid()),
  expertise: z.string().describe('Free text: topics and methods, matched to needs'),
});

export const organisationDetailResponse = z.object({ organisation: organisationResponse, people: z.array(personResponse) });

export const idParams = z.object({ id: z.uuid({ error: 'Not a valid id' }) });

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const needQuery = z.object({
  status: z.enum(needStatuses).optional(),
  themeId: z.uuid().optional(),
  urgency: z.enum(urgencies).optional(),
  organisationId: z.uuid().optional(),
  mine: flag.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const organisationInput = z.object({
  name: z.string().trim().min(2, 'Enter the organisation name').max(200),
  type: z.enum(organisationTypes, { error: 'Choose the type of organisation' }),
  website: z.url({ error: 'Enter a full web address, starting https://' }).optional(),
});

export const themeInput = z.object({
  name: z.string().trim().min(2, 'Enter the theme name').max(120),
  description: z.string().trim().max(1000).optional(),
});

export const personInput = z.object({
  name: z.string().trim().min(2, 'Enter the person’s name').max(200),
  email: z.email({ error: 'Enter an email address like name@example.org' }).optional(),
  jobTitle: z.string().trim().max(200).optional(),
  organisationId: z.uuid().optional(),
  themeIds: z.array(z.uuid()).max(20).default([]),
});

export const peopleQuery = z.object({ organisationId: z.uuid().optional(), themeId: z.uuid().optional() });

/**
 * The theme filter of the evidence library, search and a need's matches: `?themeId=<uuid>`, blank
 * for any theme (the filter forms send an empty value). Kept beside the library's own filters.
 */
export const themeFilterQuery = z.object({
  themeId: z
    .preprocess((value) => (value === '' ? undefined : value), z.uuid({ error: 'Choose a theme from the list' }).optional())
    .describe('Only records tagged with this research theme'),
});

/** The theme filter as the index and the library take it. */
export const themeIdsOf = (query: { themeId?: string | undefined }): ThemeId[] | undefined => (query.themeId ? [query.themeId as ThemeId] : undefined);

/** Themes to tag a whole import with: `?themeId=` repeated, each a theme's id. */
export const importThemesQuery = z.object({ themeId: z.array(z.uuid({ error: 'Not a valid theme id' })).max(20, 'Choose at most 20 themes') });
