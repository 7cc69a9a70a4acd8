import { z } from 'zod';
import { decisions, frameworkNames, memberRoles, reviewStatuses, stages } from './types.js';

const text = (max: number) => z.string().trim().max(max, `Must be ${max} characters or fewer`).default('');
/** One entry per line in forms; the API sends arrays. */
const list = (max: number, each: number) => z.array(z.string().trim().min(1).max(each, `Each must be ${each} characters or fewer`)).max(max, `At most ${max}`).default([]);

export const protocolInputSchema = z.object({
  title: z.string({ error: 'Enter a title' }).trim().min(5, 'Enter a title of at least 5 characters').max(300, 'Title must be 300 characters or fewer'),
  question: z.string({ error: 'Enter the review question' }).trim().min(10, 'Enter the review question in at least 10 characters').max(4000, 'The review question must be 4000 characters or fewer'),
  framework: z.enum(frameworkNames as ['pico', 'peo', 'spider'], { error: 'Choose PICO, PEO or SPIDER' }).default('pico'),
  frameworkFields: z.record(z.string(), z.string().trim().max(2000, 'Must be 2000 characters or fewer')).default({}),
  inclusionCriteria: text(4000),
  exclusionCriteria: text(4000),
  exclusionReasons: list(30, 120),
  includeKeywords: list(100, 60),
  excludeKeywords: list(100, 60),
  isDual: z.boolean().default(false),
  isBlind: z.boolean().default(true),
  model: z.enum(['nb', 'logistic']).default('nb'),
  // A share (0 to 0.5) in the API; the form asks for a percentage, so the message names both.
  randomShare: z
    .number({ error: 'Enter random picks between 0% and 50%' })
    .min(0, 'Enter random picks between 0% and 50%')
    .max(0.5, 'Enter random picks between 0% and 50%')
    .default(0),
});
export type ProtocolInput = z.infer<typeof protocolInputSchema>;

export const newReviewInputSchema = protocolInputSchema.extend({ needId: z.uuid().optional() });
export type NewReviewInput = z.infer<typeof newReviewInputSchema>;

export const teamInputSchema = z.object({
  members: z.array(z.object({ userId: z.uuid(), role: z.enum(memberRoles) })).min(1, 'A review needs at least one member').max(50),
});
export type TeamInput = z.infer<typeof teamInputSchema>;

export const statusInputSchema = z.object({ status: z.enum(reviewStatuses, { error: 'Choose a status' }) });

export const decisionInputSchema = z
  .object({
    recordId: z.uuid(),
    stage: z.enum(stages),
    decision: z.enum(decisions, { error: 'Choose include, exclude or maybe' }),
    reason: z.string().trim().max(120).optional(),
    /** What ordered the record for the screener, echoed back from the card for the decision log. */
    modelVersion: z.string().max(40).optional(),
    rankPosition: z.number().int().min(0).optional(),
  })
  .refine((input) => input.decision !== 'exclude' || (input.reason !== undefined && input.reason.length > 0), { message: 'Choose a reason for excluding', path: ['reason'] })
  .refine((input) => input.decision !== 'not_retrieved' || input.stage === 'full_text', { message: 'Only a full text can be “not retrieved”', path: ['decision'] })
  // At full text a record is in or out: "maybe" would count as an inclusion in PRISMA and extraction.
  .refine((input) => input.decision !== 'maybe' || input.stage === 'title_abstract', { message: '“Maybe” is for title and abstract screening; at full text, include or exclude', path: ['decision'] });
export type DecisionInput = z.infer<typeof decisionInputSchema>;

export const resolutionInputSchema = z
  .object({
    recordId: z.uuid(),
    stage: z.enum(stages),
    decision: z.enum(['include', 'exclude', 'not_retrieved']),
    reason: z.string().trim().max(120).optional(),
  })
  .refine((input) => input.decision !== 'exclude' || (input.reason !== undefined && input.reason.length > 0), { message: 'Choose a reason for excluding', path: ['reason'] })
  .refine((input) => input.decision !== 'not_retrieved' || input.stage === 'full_text', { message: 'Only a full text can be “not retrieved”', path: ['decision'] });
export type ResolutionInput = z.infer<typeof resolutionInputSchema>;

export const noteInputSchema = z.object({ body: z.string().trim().min(1, 'Write a note').max(4000, 'A note must be 4000 characters or fewer') });
export const tagsInputSchema = z.object({ tags: list(20, 60) });

export const extractionFieldsInputSchema = z.object({
  fields: z
    .array(
      z.object({
        id: z.uuid().optional(),
        label: z.string().trim().min(1, 'Enter a label').max(200),
        kind: z.enum(['text', 'number', 'choice', 'table']),
        choices: list(50, 120),
        columns: list(12, 80),
        isRequired: z.boolean().default(false),
      }),
    )
    .max(100),
});
export type ExtractionFieldsInput = z.infer<typeof extractionFieldsInputSchema>;
