import { z } from 'zod';
import { audiences, needStatuses, serviceTiers, supportKinds, urgencies } from './types.js';

/** Shared limits: used by the form, the API schema and the database checks. */
export const MAX_TITLE_LENGTH = 200;
export const MAX_QUESTION_LENGTH = 5000;
export const MAX_TEXT_LENGTH = 3000;
export const MAX_COMMENT_LENGTH = 10_000;

const optionalText = (max: number) => z.string().trim().max(max, `Must be ${max} characters or fewer`).default('');

/** A need as the requester (or a fellow on their behalf) writes it. */
export const needInputSchema = z.object({
  title: z
    .string({ error: 'Enter a title' })
    .trim()
    .min(5, 'Enter a title of at least 5 characters')
    .max(MAX_TITLE_LENGTH, `Title must be ${MAX_TITLE_LENGTH} characters or fewer`),
  question: z
    .string({ error: 'Enter your question' })
    .trim()
    .min(10, 'Describe your question in at least 10 characters')
    .max(MAX_QUESTION_LENGTH, `Question must be ${MAX_QUESTION_LENGTH} characters or fewer`),
  decision: z
    .string({ error: 'Enter the decision this will inform' })
    .trim()
    .min(5, 'Enter the decision this will inform')
    .max(MAX_TEXT_LENGTH),
  decisionMaker: optionalText(300),
  population: optionalText(MAX_TEXT_LENGTH),
  setting: optionalText(MAX_TEXT_LENGTH),
  triedSoFar: optionalText(MAX_TEXT_LENGTH),
  deadlineOn: z.iso.date({ error: 'Enter a real date' }).optional(),
  urgency: z.enum(urgencies, { error: 'Choose how urgent this is' }),
  audiences: z.array(z.enum(audiences)).min(1, 'Choose at least one audience for the answer'),
  organisationId: z.uuid({ error: 'Choose an organisation' }).optional(),
  themeIds: z.array(z.uuid()).max(20).default([]),
  isPublic: z.boolean().default(false),
  shareWithArcs: z.boolean().default(false),
  /** Staff posting on someone's behalf name the requester's account. */
  requesterId: z.uuid().optional(),
});
export type NeedInput = z.infer<typeof needInputSchema>;

export const needFilterSchema = z.object({
  status: z.enum(needStatuses).optional(),
  themeId: z.uuid().optional(),
  urgency: z.enum(urgencies).optional(),
  organisationId: z.uuid().optional(),
  /** Only needs the actor requested (or, for staff, is assigned to). */
  mine: z.boolean().optional(),
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).default(0),
});
export type NeedFilter = z.infer<typeof needFilterSchema>;

export const triageInputSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('accept'),
    tier: z.enum(serviceTiers, { error: 'Choose a service tier' }),
    supportKinds: z.array(z.enum(supportKinds)).min(1, 'Choose at least one kind of support'),
    fellowIds: z.array(z.uuid()).default([]),
  }),
  z.object({
    action: z.literal('decline'),
    reason: z.string().trim().min(5, 'Give the requester a reason').max(MAX_TEXT_LENGTH),
  }),
  z.object({
    action: z.literal('merge'),
    targetId: z.uuid({ error: 'Choose the need this duplicates' }),
  }),
]);
export type TriageInput = z.infer<typeof triageInputSchema>;

export const statusChangeSchema = z.object({
  status: z.enum(['in_progress', 'delivered', 'closed'] as const),
  note: z.string().trim().max(MAX_TEXT_LENGTH).optional(),
});
export type StatusChange = z.infer<typeof statusChangeSchema>;

export const commentInputSchema = z.object({
  body: z.string().trim().min(1, 'Enter a message').max(MAX_COMMENT_LENGTH, `Messages must be ${MAX_COMMENT_LENGTH} characters or fewer`),
  isInternal: z.boolean().default(false),
});
export type CommentInput = z.infer<typeof commentInputSchema>;

export const assignInputSchema = z.object({ fellowIds: z.array(z.uuid()).min(1, 'Choose at least one fellow') });
