import type { z } from 'zod';
import { AppError, type FieldErrors } from '../core/shared/errors.js';
import { isUuid, type RecordId } from '../core/shared/ids.js';

/** Zod issues as one message per field, keyed by the field's path. The first message wins. */
export const fieldErrors = (error: z.ZodError): FieldErrors => {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '_';
    // Array items (themeIds.0) report against the field itself, which is what the form shows.
    const field = key.replace(/\.\d+$/, '');
    fields[field] ??= issue.message;
  }
  return fields;
};

/** Parses or throws `validation.failed` with per-field details. */
export const parseWith = <Schema extends z.ZodType>(schema: Schema, input: unknown, what = 'request'): z.infer<Schema> => {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError('validation.failed', `The ${what} is not valid`, { fields: fieldErrors(result.error) });
  }
  return result.data;
};

/** A form body (`parseBody({ all: true })`) as plain strings and string lists, files dropped. */
export type FormBody = Record<string, string | string[]>;

export const formBody = (body: Record<string, unknown>): FormBody => {
  const out: FormBody = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') {
      out[key] = value;
    } else if (Array.isArray(value)) {
      out[key] = value.filter((item): item is string => typeof item === 'string');
    }
  }
  return out;
};

export const formText = (body: FormBody, name: string): string | undefined => {
  const value = body[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === '' ? undefined : text;
};

export const formList = (body: FormBody, name: string): string[] => {
  const value = body[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((item) => item !== '');
};

export const formFlag = (body: FormBody, name: string): boolean => formList(body, name).includes('true');

/**
 * Record ids chosen for an export: one comma-separated value (links) or repeated checkboxes (the
 * library page). Undefined when none are given (the export then takes the filter); an id that is not
 * one is an error, never "everything".
 */
export const chosenRecordIds = (values: readonly string[] | undefined): RecordId[] | undefined => {
  const given = (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  const bad = given.find((value) => !isUuid(value));
  if (bad !== undefined) {
    throw new AppError('validation.failed', `Not a record id: ${bad.slice(0, 60)}`, { fields: { ids: 'Choose records from the library' } });
  }
  return given.length > 0 ? (given as RecordId[]) : undefined;
};

/** A `?page=` number: 1 when missing or not a whole number from 1 to 100,000. */
export const pageNumberOf = (value: string | undefined): number => {
  const number = Number.parseInt(value ?? '', 10);
  return Number.isInteger(number) && number >= 1 && number <= 100_000 ? number : 1;
};
