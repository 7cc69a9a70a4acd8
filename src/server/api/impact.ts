import { z } from 'zod';
import { activityFilterSchema, activityInputSchema } from '../../core/activities/activity.schema.js';
import { activityKinds } from '../../core/activities/types.js';
import { dashboardRangeSchema } from '../../core/dashboard/dashboard.js';
import { linkExpiresOn } from '../../core/impact/followups.js';
import { impactFilterSchema, impactInputSchema, reclassifySchema } from '../../core/impact/impact.schema.js';
import { impactKinds, impactUses, type Followup, type ImpactRecordId } from '../../core/impact/types.js';
import type { Services } from '../../compose.js';
import { parseWith } from '../validation.js';
import { defineRoute } from './define.js';
import { idParams } from './schemas.js';

const when = z.iso.datetime({ offset: true });
const person = z.object({ id: z.uuid(), name: z.string() });
const needRef = z.object({ id: z.uuid(), reference: z.string(), title: z.string() });
const briefingRef = needRef;

const activityResponse = z.object({
  id: z.uuid(),
  kind: z.enum(activityKinds),
  title: z.string(),
  occurredOn: z.iso.date(),
  hours: z.number(),
  organisation: z.object({ id: z.uuid(), name: z.string() }).optional(),
  theme: z.object({ id: z.uuid(), name: z.string() }).optional(),
  need: needRef.optional(),
  briefing: briefingRef.optional(),
  fellow: person,
  notes: z.string(),
  isAutomatic: z.boolean(),
  createdAt: when,
});

const impactRecordResponse = z.object({
  id: z.uuid(),
  need: needRef,
  briefing: briefingRef.optional(),
  followup: z.object({ id: z.uuid(), months: z.number().int() }).optional(),
  kinds: z.array(z.enum(impactKinds)),
  uses: z.array(z.enum(impactUses)),
  detail: z.string(),
  notUsedReason: z.string().optional(),
  fellows: z.array(person),
  recordedBy: person.optional(),
  createdAt: when,
});

const followupResponse = z.object({
  id: z.uuid(),
  need: needRef,
  briefing: briefingRef.optional(),
  months: z.number().int(),
  dueOn: z.iso.date(),
  recipientEmail: z.string().optional(),
  recipientName: z.string().optional(),
  sentAt: when.optional(),
  sentVia: z.enum(['smtp', 'by_hand']).optional(),
  answeredAt: when.optional(),
  linkExpiresOn: z.iso.date(),
  fellows: z.array(person),
  createdAt: when,
});

const figureResponse = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  columns: z.array(z.object({ key: z.string(), label: z.string(), kind: z.enum(['text', 'count', 'days', 'hours', 'percent']) })),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
});

const pageQuery = { limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).default(0) };

/** `/api/activities`, `/api/impact`, `/api/followups` and `/api/dashboard`: the same use cases as the pages. */
export const impactRoutes = ({ activities, impact, followups, dashboard }: Services) => [
  defineRoute({
    method: 'get',
    path: '/activities',
    summary: 'List activities (staff), newest first, with the hours they add up to',
    tag: 'activities',
    query: activityFilterSchema.extend(pageQuery),
    response: z.object({ activities: z.array(activityResponse), total: z.number().int(), hours: z.number() }),
    handler: ({ identity, query }) => activities.list(identity.actor, query),
  }),
  defineRoute({
    method: 'post',
    path: '/activities',
    summary: 'Log an activity (staff)',
    tag: 'activities',
    body: activityInputSchema,
    response: activityResponse,
    status: 201,
    handler: ({ identity, body }) => activities.log(identity.actor, body),
  }),
  defineRoute({
    method: 'get',
    path: '/impact',
    summary: 'List impact records (staff), newest first',
    tag: 'impact',
    query: impactFilterSchema.extend(pageQuery),
    response: z.object({ records: z.array(impactRecordResponse), total: z.number().int() }),
    handler: ({ identity, query }) => impact.list(identity.actor, query),
  }),
  defineRoute({
    method: 'post',
    path: '/impact',
    summary: 'Log an impact record by hand (staff)',
    tag: 'impact',
    body: impactInputSchema,
    response: impactRecordResponse,
    status: 201,
    handler: ({ identity, body }) => impact.log(identity.actor, body),
  }),
  defineRoute({
    method: 'patch',
    path: '/impact/{id}',
    summary: 'Reclassify an impact record: its kinds of impact (staff)',
    tag: 'impact',
    params: idParams,
    body: reclassifySchema,
    response: impactRecordResponse,
    handler: ({ identity, params, body }) => impact.reclassify(identity.actor, params.id as ImpactRecordId, body),
  }),
  defineRoute({
    method: 'get',
    path: '/followups',
    summary: 'Follow-ups in one state: due (to send), awaiting an answer, upcoming or answered (staff)',
    tag: 'impact',
    query: z.object({ state: z.enum(['due', 'awaiting', 'upcoming', 'answered']).default('due'), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
    response: z.array(followupResponse),
    handler: async ({ identity, query }) =>
      (await followups.list(identity.actor, query.state, query.limit)).map((followup: Followup) => ({ ...followup, linkExpiresOn: linkExpiresOn(followup, followups.linkDays) })),
  }),
  defineRoute({
    method: 'get',
    path: '/dashboard',
    summary: 'Every figure of the impact dashboard for a period (staff; default: the last twelve months)',
    tag: 'impact',
    query: z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() }),
    response: z.object({ range: z.object({ from: z.iso.date(), to: z.iso.date() }), figures: z.array(figureResponse) }),
    handler: async ({ identity, query }) => {
      const fallback = dashboard.defaultRange();
      const range = query.from || query.to ? parseWith(dashboardRangeSchema, { from: query.from ?? fallback.from, to: query.to ?? fallback.to }, 'period') : undefined;
      const view = await dashboard.view(identity.actor, range);
      return { range: view.range, figures: view.figures.map(({ chart: _chart, ...figure }) => figure) };
    },
  }),
];
