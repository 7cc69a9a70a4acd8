import { assignInputSchema, commentInputSchema, needInputSchema, statusChangeSchema, triageInputSchema, type NeedInput } from '../../core/needs/need.schema.js';
import type { Need } from '../../core/needs/types.js';
import type { NeedId } from '../../core/shared/ids.js';
import type { Services } from '../../compose.js';
import { parseWith } from '../validation.js';
import { defineRoute } from './define.js';
import { commentResponse, eventResponse, idParams, needListResponse, needQuery, needResponse, themeFilterQuery, themeIdsOf } from './schemas.js';
import { evidenceRecordResponse, isRelatedHit, widenedSearchCounts } from './evidence.js';
import type { RecordId } from '../../core/shared/ids.js';
import { z } from 'zod';

const toInput = (need: Need): NeedInput => ({
  title: need.title,
  question: need.question,
  decision: need.decision,
  decisionMaker: need.decisionMaker,
  population: need.population,
  setting: need.setting,
  triedSoFar: need.triedSoFar,
  deadlineOn: need.deadlineOn,
  urgency: need.urgency,
  audiences: need.audiences,
  organisationId: need.organisationId,
  themeIds: need.themes.map((theme) => theme.id),
  isPublic: need.isPublic,
  shareWithArcs: need.shareWithArcs,
});

/** `/api/needs…`: the same use cases as the pages, so permissions are the same. */
export const needRoutes = ({ needs, triage, matching }: Services) => [
  defineRoute({
    method: 'get',
    path: '/needs',
    summary: 'List the needs you may see, soonest deadline first',
    tag: 'needs',
    query: needQuery,
    response: needListResponse,
    handler: ({ identity, query }) => needs.listNeeds(identity.actor, query),
  }),
  defineRoute({
    method: 'post',
    path: '/needs',
    summary: 'Post a need (staff may post on behalf of a requester)',
    tag: 'needs',
    body: needInputSchema,
    response: needResponse,
    status: 201,
    handler: ({ identity, body }) => needs.submitNeed(identity.actor, body),
  }),
  defineRoute({
    method: 'get',
    path: '/needs/{id}',
    summary: 'Read a need',
    tag: 'needs',
    params: idParams,
    response: needResponse,
    handler: ({ identity, params }) => needs.getNeed(identity.actor, params.id as NeedId),
  }),
  defineRoute({
    method: 'patch',
    path: '/needs/{id}',
    summary: 'Edit a need; fields left out keep their values',
    tag: 'needs',
    params: idParams,
    body: needInputSchema.partial(),
    response: needResponse,
    handler: async ({ identity, params, body }) => {
      const current = await needs.getNeed(identity.actor, params.id as NeedId);
      const merged = parseWith(needInputSchema, { ...toInput(current), ...Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) });
      return needs.editNeed(identity.actor, params.id as NeedId, merged);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/needs/{id}/triage',
    summary: 'Triage a need: accept (tier, support, fellows), decline (reason) or merge (target)',
    tag: 'needs',
    params: idParams,
    body: triageInputSchema,
    response: needResponse,
    handler: ({ identity, params, body }) => triage.triageNeed(identity.actor, params.id as NeedId, body),
  }),
  defineRoute({
    method: 'post',
    path: '/needs/{id}/status',
    summary: 'Move a need on: in progress, delivered or closed',
    tag: 'needs',
    params: idParams,
    body: statusChangeSchema,
    response: needResponse,
    handler: ({ identity, params, body }) => triage.changeStatus(identity.actor, params.id as NeedId, body),
  }),
  defineRoute({
    method: 'post',
    path: '/needs/{id}/fellows',
    summary: 'Assign fellows to a need',
    tag: 'needs',
    params: idParams,
    body: assignInputSchema,
    response: needResponse,
    handler: ({ identity, params, body }) => triage.assignFellows(identity.actor, params.id as NeedId, body.fellowIds),
  }),
  defineRoute({
    method: 'get',
    path: '/needs/{id}/history',
    summary: 'Every change to a need: who, what and when',
    tag: 'needs',
    params: idParams,
    response: z.array(eventResponse),
    handler: ({ identity, params }) => needs.listHistory(identity.actor, params.id as NeedId),
  }),
  defineRoute({
    method: 'get',
    path: '/needs/{id}/comments',
    summary: 'The dialogue on a need (internal notes for staff only)',
    tag: 'comments',
    params: idParams,
    response: z.array(commentResponse),
    handler: ({ identity, params }) => needs.listComments(identity.actor, params.id as NeedId),
  }),
  defineRoute({
    method: 'post',
    path: '/needs/{id}/comments',
    summary: 'Add a message to the dialogue, or an internal note (staff)',
    tag: 'comments',
    params: idParams,
    body: commentInputSchema,
    response: commentResponse,
    status: 201,
    handler: ({ identity, params, body }) => needs.addComment(identity.actor, params.id as NeedId, body),
  }),
  defineRoute({
    method: 'get',
    path: '/needs/{id}/matches',
    summary:
      'Evidence matching the need (question, population, decision context), best first (only records on one research theme with `themeId`), and similar needs. The search is widened with words from its top results: `matching` counts the records holding the need’s own words, `total` those and the related ones',
    tag: 'matching',
    params: idParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10), offset: z.coerce.number().int().min(0).default(0) }).extend(themeFilterQuery.shape),
    response: z.object({
      query: z.string().describe('The need’s words the evidence was searched with: its title, question, population, setting and decision'),
      ...widenedSearchCounts,
      evidence: z.array(z.object({ record: evidenceRecordResponse, score: z.number(), isPinned: z.boolean(), isRelated: isRelatedHit })),
      similarNeeds: z.array(z.object({ id: z.uuid(), reference: z.string(), title: z.string(), status: z.string(), score: z.number() })),
    }),
    handler: async ({ identity, params, query }) => {
      const [matches, similar] = await Promise.all([
        matching.matchEvidence(identity.actor, params.id as NeedId, { limit: query.limit, offset: query.offset, filters: { themeIds: themeIdsOf(query) } }),
        matching.similarNeeds(identity.actor, params.id as NeedId, 5),
      ]);
      return {
        query: matches.query,
        total: matches.total,
        matching: matches.matching,
        expandedWith: matches.expandedWith,
        evidence: matches.hits.map((hit) => ({ record: hit.record, score: hit.score, isPinned: hit.isPinned, isRelated: hit.isRelated ?? false })),
        similarNeeds: similar.map((other) => ({ id: other.id, reference: other.reference, title: other.title, status: other.status, score: other.score })),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/needs/{id}/evidence',
    summary: 'Evidence pinned to the need',
    tag: 'matching',
    params: idParams,
    response: z.array(z.object({ record: evidenceRecordResponse, pinnedBy: z.object({ id: z.uuid(), name: z.string() }), note: z.string(), pinnedAt: z.iso.datetime({ offset: true }) })),
    handler: ({ identity, params }) => matching.listPinned(identity.actor, params.id as NeedId),
  }),
  defineRoute({
    method: 'post',
    path: '/needs/{id}/evidence',
    summary: 'Pin a record to the need (staff)',
    tag: 'matching',
    params: idParams,
    body: z.object({ recordId: z.uuid(), note: z.string().trim().max(2000).default('') }),
    response: z.object({ pinned: z.literal(true) }),
    status: 201,
    handler: async ({ identity, params, body }) => {
      await matching.pinEvidence(identity.actor, params.id as NeedId, body.recordId as RecordId, body.note);
      return { pinned: true as const };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/needs/{id}/evidence/{recordId}',
    summary: 'Unpin a record from the need (staff)',
    tag: 'matching',
    params: z.object({ id: z.uuid(), recordId: z.uuid() }),
    response: z.object({ pinned: z.literal(false) }),
    handler: async ({ identity, params }) => {
      await matching.unpinEvidence(identity.actor, params.id as NeedId, params.recordId as RecordId);
      return { pinned: false as const };
    },
  }),
];
