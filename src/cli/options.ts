import type { z } from 'zod';
import { AppError } from '../core/shared/errors.js';
import { parseWith } from '../server/validation.js';

/**
 * A command's options checked against its schema: a problem is a usage error (exit code 2) naming the
 * option, as commander's own are.
 */
export const parseOptions = <Schema extends z.ZodType>(schema: Schema, raw: Record<string, unknown>): z.infer<Schema> => {
  try {
    return parseWith(schema, raw, 'options');
  } catch (error) {
    throw error instanceof AppError ? new AppError('validation.failed', error.message, { ...error.details, usage: true }) : error;
  }
};
