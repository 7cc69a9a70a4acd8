import { z } from 'zod';
import { studyDesigns } from '../core/evidence/classify.js';
import { exportFormats } from '../core/evidence/record.js';
import type { RecordFilter } from '../core/evidence/ports.js';
import type { ImportBatchId, LibraryId } from '../core/shared/ids.js';

const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** Library filters as they arrive in a query string, for pages, API and export alike. */
export const recordQuery = z.object({
  text: z.preprocess(blankAsUndefined, z.string().trim().max(200).optional()),
  yearFrom: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1500).max(2100).optional()),
  yearTo: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1500).max(2100).optional()),
  design: z.preprocess(blankAsUndefined, z.enum(studyDesigns).optional()),
  level: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).max(6).optional()),
  source: z.preprocess(blankAsUndefined, z.string().max(200).optional()),
  batch: z.preprocess(blankAsUndefined, z.uuid().optional()),
  library: z.preprocess(blankAsUndefined, z.uuid().optional()),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type RecordQuery = z.infer<typeof recordQuery>;

export const exportQuery = recordQuery.extend({
  format: z.enum(exportFormats, { error: `Format must be one of: ${exportFormats.join(', ')}` }),
  ids: z.preprocess(blankAsUndefined, z.string().optional()).describe('Comma-separated record ids; otherwise the filtered records'),
});

export const toRecordFilter = (query: RecordQuery): Omit<RecordFilter, 'libraryId'> & { libraryId?: LibraryId | undefined } => ({
  libraryId: query.library as LibraryId | undefined,
  text: query.text,
  yearFrom: query.yearFrom,
  yearTo: query.yearTo,
  designs: query.design ? [query.design] : undefined,
  levels: query.level ? [query.level] : undefined,
  sourceDatabase: query.source,
  batchId: query.batch as ImportBatchId | undefined,
  limit: query.limit,
  offset: query.offset,
});

/** Exports are capped: a library export larger than this should be filtered or use the CLI. */
export const MAX_EXPORT_RECORDS = 50_000;

/** Search as it arrives in a query string: the text, the library filters, ranking options. */
export const searchQuery = z.object({
  q: z.preprocess(blankAsUndefined, z.string().trim().max(5000).optional()),
  yearFrom: recordQuery.shape.yearFrom,
  yearTo: recordQuery.shape.yearTo,
  design: recordQuery.shape.design,
  level: recordQuery.shape.level,
  library: recordQuery.shape.library,
  /** `boosted` (default) ranks higher evidence levels and recent work first; `plain` is BM25F alone. */
  rank: z.enum(['boosted', 'plain']).default('boosted'),
  expand: z.enum(['true', 'false']).optional(),
  explain: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});
export type SearchQuery = z.infer<typeof searchQuery>;
