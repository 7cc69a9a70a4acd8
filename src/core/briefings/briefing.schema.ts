import { z } from 'zod';
import { briefingStatuses, templates } from './types.js';

export const newBriefingSchema = z.object({
  template: z.enum(templates, { error: 'Choose a kind of briefing' }),
  title: z.string({ error: 'Enter a title' }).trim().min(5, 'Enter a title of at least 5 characters').max(300, 'Title must be 300 characters or fewer'),
  needId: z.uuid().optional(),
  reviewId: z.uuid().optional(),
  citationStyle: z.enum(['vancouver', 'harvard']).default('vancouver'),
});
export type NewBriefing = z.infer<typeof newBriefingSchema>;

export const saveBriefingSchema = z.object({
  /** The version the writer started from: a save on top of someone else's newer one is refused. */
  baseVersion: z.number().int().min(1),
  sections: z.array(z.object({ key: z.string().min(1).max(60), body: z.string().max(20_000, 'Each section must be 20,000 characters or fewer') })).max(20),
  note: z.string().trim().max(300).default(''),
});
export type SaveBriefing = z.infer<typeof saveBriefingSchema>;

export const briefingSettingsSchema = z.object({
  title: z.string().trim().min(5, 'Enter a title of at least 5 characters').max(300),
  citationStyle: z.enum(['vancouver', 'harvard']),
  isPublic: z.boolean().default(false),
});

export const briefingCommentSchema = z.object({ body: z.string().trim().min(1, 'Write a comment').max(4000), sectionKey: z.string().max(60).optional() });
export const briefingStatusSchema = z.object({ status: z.enum(briefingStatuses) });
