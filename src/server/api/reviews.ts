import { z } from 'zod';
import type { Services } from '../../compose.js';
import { decisionInputSchema, newReviewInputSchema, resolutionInputSchema } from '../../core/reviews/review.schema.js';
import { decisions, frameworkNames, memberRoles, reviewStatuses, stages, type ReviewId } from '../../core/reviews/types.js';
import { defineRoute } from './define.js';
import { evidenceRecordResponse } from './evidence.js';
import { idParams } from './schemas.js';

const stageCountsResponse = z.object({
  records: z.number().int(),
  toScreen: z.number().int(),
  conflicts: z.number().int(),
  included: z.number().int(),
  excluded: z.number().int(),
  notRetrieved: z.number().int(),
  decisions: z.number().int(),
  excludedByReason: z.array(z.object({ reason: z.string(), count: z.number().int() })),
});

const reviewResponse = z.object({
  id: z.uuid(),
  reference: z.string(),
  title: z.string(),
  needId: z.uuid().optional(),
  status: z.enum(reviewStatuses),
  question: z.string(),
  framework: z.enum(frameworkNames as ['pico', 'peo', 'spider']),
  frameworkFields: z.record(z.string(), z.string()),
  inclusionCriteria: z.string(),
  exclusionCriteria: z.string(),
  exclusionReasons: z.array(z.string()),
  includeKeywords: z.array(z.string()),
  excludeKeywords: z.array(z.string()),
  isDual: z.boolean(),
  isBlind: z.boolean(),
  model: z.enum(['nb', 'logistic']),
  randomShare: z.number(),
  members: z.array(z.object({ userId: z.uuid(), name: z.string(), role: z.enum(memberRoles) })),
});

const decisionResponse = z.object({
  id: z.number().int(),
  recordId: z.uuid(),
  stage: z.enum(stages),
  screenerId: z.uuid(),
  screenerName: z.string(),
  decision: z.enum(decisions),
  reason: z.string().optional(),
  modelVersion: z.string().optional(),
  rankPosition: z.number().int().optional(),
  isCurrent: z.boolean(),
  decidedAt: z.iso.datetime(),
});

const stageQuery = z.object({ stage: z.enum(stages).default('title_abstract') });

/** The review workbench as JSON: the same use cases as the pages, for scripts and other tools. */
export const reviewRoutes = ({ reviews }: Services) => [
  defineRoute({
    method: 'get',
    path: '/reviews',
    summary: 'Reviews the caller may see (staff: all; others: those they are on)',
    tag: 'reviews',
    response: z.object({ reviews: z.array(z.object({ id: z.uuid(), reference: z.string(), title: z.string(), status: z.enum(reviewStatuses), records: z.number().int() })) }),
    handler: async ({ identity }) => ({
      reviews: (await reviews.listReviews(identity.actor)).map(({ id, reference, title, status, records }) => ({ id, reference, title, status, records })),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/reviews',
    summary: 'Start a review (optionally from a need) with its protocol and screening settings',
    tag: 'reviews',
    body: newReviewInputSchema,
    response: reviewResponse,
    status: 201,
    handler: ({ identity, body }) => reviews.createReview(identity.actor, body),
  }),
  defineRoute({
    method: 'get',
    path: '/reviews/{id}',
    summary: 'A review with its progress at each stage, agreement between screeners (Cohen’s kappa) and stopping guidance',
    tag: 'reviews',
    params: idParams,
    response: z.object({
      review: reviewResponse,
      stages: z.object({ title_abstract: stageCountsResponse, full_text: stageCountsResponse }),
      agreement: z.record(
        z.enum(stages),
        z.array(z.object({ screeners: z.array(z.object({ id: z.uuid(), name: z.string() })), records: z.number().int(), observed: z.number(), kappa: z.number().nullable() })),
      ),
      guidance: z.object({ screened: z.number().int(), included: z.number().int(), sinceLastInclusion: z.number().int(), explanation: z.string() }),
    }),
    handler: async ({ identity, params }) => {
      const overview = await reviews.overview(identity.actor, params.id as ReviewId);
      const agreement = Object.fromEntries(
        stages.map((stage) => [stage, overview.agreement[stage].map((pair) => ({ screeners: pair.screeners, records: pair.records, observed: pair.observed, kappa: pair.kappa ?? null }))]),
      );
      const { screened, included, sinceLastInclusion, explanation } = overview.guidance;
      return { review: overview.review, stages: overview.stages, agreement, guidance: { screened, included, sinceLastInclusion, explanation } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/reviews/{id}/next',
    summary: 'The next record for the caller to screen at a stage (active-learning order at title and abstract), or none',
    tag: 'reviews',
    params: idParams,
    query: stageQuery,
    response: z.object({
      record: evidenceRecordResponse.nullable(),
      order: z.object({ by: z.string(), modelVersion: z.string().optional(), position: z.number().int(), score: z.number().optional(), explanation: z.string() }).nullable(),
      remaining: z.number().int(),
    }),
    handler: async ({ identity, params, query }) => {
      const card = await reviews.nextCard(identity.actor, params.id as ReviewId, query.stage);
      return card ? { record: card.record, order: card.order, remaining: card.remaining } : { record: null, order: null, remaining: 0 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/reviews/{id}/decisions',
    summary: 'Record the caller’s decision on a record (include, exclude with one of the review’s reasons, maybe, or full text not retrieved)',
    tag: 'reviews',
    params: idParams,
    body: decisionInputSchema,
    response: decisionResponse,
    status: 201,
    handler: ({ identity, params, body }) => reviews.decide(identity.actor, params.id as ReviewId, body),
  }),
  defineRoute({
    method: 'get',
    path: '/reviews/{id}/decisions',
    summary:
      'Every decision, retired ones too, oldest first, and every resolution: the review’s reproducible log. In a blind review, a member who does not lead it gets their own decisions only (isAll false)',
    tag: 'reviews',
    params: idParams,
    response: z.object({
      isAll: z.boolean(),
      decisions: z.array(decisionResponse),
      resolutions: z.array(z.object({ recordId: z.uuid(), stage: z.enum(stages), decision: z.string(), reason: z.string().optional(), resolvedBy: z.uuid(), resolvedByName: z.string(), resolvedAt: z.iso.datetime() })),
    }),
    handler: ({ identity, params }) => reviews.decisionLog(identity.actor, params.id as ReviewId),
  }),
  defineRoute({
    method: 'post',
    path: '/reviews/{id}/resolutions',
    summary: 'Settle a conflict between two screeners (review leads and arbiters who did not screen the record)',
    tag: 'reviews',
    params: idParams,
    body: resolutionInputSchema,
    response: z.object({ ok: z.literal(true) }),
    status: 201,
    handler: async ({ identity, params, body }) => {
      await reviews.resolveConflict(identity.actor, params.id as ReviewId, body);
      return { ok: true as const };
    },
  }),
];
