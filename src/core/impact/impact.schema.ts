import { z } from 'zod';
import { impactDifferences, impactKinds, impactUses, type ImpactDifference, type ImpactKind, type ImpactUse } from './types.js';

export const MAX_IMPACT_DETAIL_LENGTH = 4000;
export const MAX_NOT_USED_REASON_LENGTH = 2000;

/**
 * "Not used" stands alone, and needs a reason. Checked on the follow-up form and on records a fellow
 * logs, so every impact record reads the same way.
 */
const usesRule = (answer: { uses: ImpactUse[]; notUsedReason?: string | undefined; differences?: ImpactDifference[] }, context: z.RefinementCtx) => {
  if (!answer.uses.includes('not_used')) {
    return;
  }
  if (answer.uses.length > 1) {
    context.addIssue({ code: 'custom', path: ['uses'], message: 'Choose “We have not used it” on its own, or the ways it was used' });
  }
  if (answer.differences && answer.differences.length > 0) {
    context.addIssue({ code: 'custom', path: ['differences'], message: 'If you have not used it, leave these unticked' });
  }
  if (!answer.notUsedReason) {
    context.addIssue({ code: 'custom', path: ['notUsedReason'], message: 'Tell us why it has not been used' });
  }
};

const usesField = z.array(z.enum(impactUses), { error: 'Choose how it has been used' }).min(1, 'Choose how it has been used, or that it has not been used');
const detailField = z.string().trim().max(MAX_IMPACT_DETAIL_LENGTH, `Must be ${MAX_IMPACT_DETAIL_LENGTH} characters or fewer`).default('');
const reasonField = z
  .string()
  .trim()
  .max(MAX_NOT_USED_REASON_LENGTH, `Must be ${MAX_NOT_USED_REASON_LENGTH} characters or fewer`)
  .optional()
  .transform((text) => (text ? text : undefined));

/** The requester's answer to a follow-up (no account needed). */
export const followupAnswerSchema = z
  .object({
    uses: usesField,
    differences: z.array(z.enum(impactDifferences)).default([]),
    detail: detailField,
    notUsedReason: reasonField,
  })
  .superRefine(usesRule);
export type FollowupAnswer = z.infer<typeof followupAnswerSchema>;

/** An impact record a fellow logs by hand (a conversation, an email, a board paper). */
export const impactInputSchema = z
  .object({
    needId: z.uuid({ error: 'Choose the need' }),
    briefingId: z.uuid().optional(),
    uses: usesField,
    kinds: z.array(z.enum(impactKinds)).default([]),
    detail: detailField,
    notUsedReason: reasonField,
    /** The fellows it is credited to; none means the need's fellows and whoever logs it. */
    fellowIds: z.array(z.uuid()).max(20).default([]),
  })
  .superRefine(usesRule);
export type ImpactInput = z.infer<typeof impactInputSchema>;

/** A fellow's reading of a record: the kinds of impact it shows. */
export const reclassifySchema = z.object({ kinds: z.array(z.enum(impactKinds)).max(impactKinds.length) });
export type Reclassify = z.infer<typeof reclassifySchema>;

export const impactFilterSchema = z.object({
  needId: z.uuid().optional(),
  kind: z.enum(impactKinds).optional(),
  limit: z.number().int().min(1).max(500).default(100),
  offset: z.number().int().min(0).default(0),
});
export type ImpactFilter = z.infer<typeof impactFilterSchema>;

const kindOfUse: Record<ImpactUse, ImpactKind | undefined> = {
  informed_decision: 'instrumental',
  changed_service: 'instrumental',
  shared: 'conceptual',
  not_used: undefined,
};

const kindOfDifference: Record<ImpactDifference, ImpactKind> = {
  understanding: 'conceptual',
  skills: 'capacity_building',
  culture: 'culture_change',
};

/**
 * The kinds of impact an answer shows: informing a decision or changing a service is instrumental;
 * sharing it, or a changed understanding, conceptual; the requester's own "skills" and "how we use
 * evidence" ticks are capacity building and culture change. "Not used" shows none. A fellow may
 * reclassify the record afterwards.
 */
export const impactKindsFor = (answer: { uses: readonly ImpactUse[]; differences?: readonly ImpactDifference[] }): ImpactKind[] => {
  const kinds = new Set<ImpactKind>();
  for (const use of answer.uses) {
    const kind = kindOfUse[use];
    if (kind) {
      kinds.add(kind);
    }
  }
  for (const difference of answer.differences ?? []) {
    kinds.add(kindOfDifference[difference]);
  }
  return impactKinds.filter((kind) => kinds.has(kind));
};
