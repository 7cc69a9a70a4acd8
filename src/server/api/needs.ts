import { assignInputSchema, commentInputSchema, needInputSchema, statusChangeSchema, triageInputSchema, type NeedInput } from '../../core/needs/need.schema.js';
import type { Need } from '../../core/needs/types.js';
import type { NeedId } from '../../core/shared/ids.js';
import type { Services } from '../../compose.js';
import { parseWith } from '../validation.js';
import { defineRoute } from './define.js';
import { commentResponse, eventResponse, idParams, needListResponse, needQuery, needResponse } from './schemas.js';
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
export const needRoutes = ({ needs, triage }: Services) => [
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
];
