import { z } from 'zod';
import { activityKinds } from './types.js';

export const MAX_ACTIVITY_HOURS = 1000;

/** An activity as a fellow logs it (form or API). */
export const activityInputSchema = z.object({
  kind: z.enum(activityKinds, { error: 'Choose the kind of activity' }),
  title: z.string({ error: 'Describe the activity' }).trim().min(3, 'Describe the activity in at least 3 characters').max(300, 'Must be 300 characters or fewer'),
  occurredOn: z.iso.date({ error: 'Enter a real date' }),
  // A form sends text: plain decimals only ("1e3" or "0x10" are not hours anyone typed on purpose).
  hours: z.preprocess(
    (value) => (typeof value === 'string' ? (/^\s*-?\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN) : value),
    z
      .number({ error: 'Enter the hours as a number, like 1.5' })
      .min(0, 'Hours cannot be negative')
      .max(MAX_ACTIVITY_HOURS, `Enter at most ${MAX_ACTIVITY_HOURS} hours`)
      .refine((hours) => Number.isFinite(hours) && Math.round(hours * 100) === hours * 100, 'Enter the hours to at most two decimal places'),
  ),
  organisationId: z.uuid({ error: 'Choose a partner organisation from the list' }).optional(),
  themeId: z.uuid({ error: 'Choose a theme from the list' }).optional(),
  needId: z.uuid({ error: 'Choose a need from the list' }).optional(),
  notes: z.string().trim().max(4000, 'Must be 4000 characters or fewer').default(''),
});
export type ActivityInput = z.infer<typeof activityInputSchema>;

export const activityFilterSchema = z.object({
  kind: z.enum(activityKinds).optional(),
  fellowId: z.uuid().optional(),
  organisationId: z.uuid().optional(),
  themeId: z.uuid().optional(),
  needId: z.uuid().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  limit: z.number().int().min(1).max(500).default(100),
  offset: z.number().int().min(0).default(0),
});
export type ActivityFilter = z.infer<typeof activityFilterSchema>;
