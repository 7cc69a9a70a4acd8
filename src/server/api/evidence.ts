import { z } from 'zod';
import { studyDesigns } from '../../core/evidence/classify.js';
import { importFormats } from '../../core/evidence/record.js';
import { STUDY_DESIGN_NOT_LISTED } from '../../core/evidence/study-design-by-hand.js';
import { AppError } from '../../core/shared/errors.js';
import { isUuid, type CandidateId, type RecordId, type ThemeId } from '../../core/shared/ids.js';
import { sourceFromBytes } from '../../adapters/formats/file-source.js';
import type { Services } from '../../compose.js';
import { MAX_EXPORT_RECORDS, exportQuery, recordQuery, searchQuery, toRecordFilter } from '../evidence-query.js';
import { runSearch } from '../search-runner.js';
import { exportResponse } from '../export-response.js';
import { defineRoute } from './define.js';
import { idParams, importThemesQuery, themeFilterQuery, themeIdsOf } from './schemas.js';
import { chosenRecordIds, parseWith } from '../validation.js';

const when = z.iso.datetime({ offset: true });

export const evidenceRecordResponse = z.object({
  id: z.uuid(),
  libraryId: z.uuid(),
  title: z.string(),
  abstract: z.string().optional(),
  authors: z.array(z.string()),
  year: z.number().int().optional(),
  journal: z.string().optional(),
  volume: z.string().optional(),
  issue: z.string().optional(),
  pages: z.string().optional(),
  doi: z.string().optional(),
  pmid: z.string().optional(),
  pmcid: z.string().optional(),
  url: z.string().optional(),
  language: z.string().optional(),
  publicationTypes: z.array(z.string()),
  keywords: z.array(z.string()),
  meshTerms: z.array(z.string()),
  sourceDatabase: z.string().optional(),
  sourceDatabases: z.array(z.string()),
  issn: z.string().optional(),
  publisher: z.string().optional(),
  referenceType: z.string().optional(),
  studyDesign: z.enum(studyDesigns),
  evidenceLevel: z.number().int().min(1).max(6).optional(),
  studyDesignSetByHand: z
    .object({ at: when, by: z.object({ id: z.uuid(), name: z.string() }).optional().describe('Who chose it (absent when chosen outside the app)') })
    .optional()
    .describe('Present when a person chose the study design; absent when the classification rules graded it. Reclassification never changes a design set by hand, and a merge keeps it'),
  themes: z.array(z.object({ id: z.uuid(), name: z.string() })).describe('Research themes the record is tagged with'),
  createdAt: when,
  updatedAt: when,
});

const importSummaryResponse = z.object({
  file: z.string(),
  format: z.enum(importFormats),
  parsed: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  candidates: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
  isCommitted: z.boolean(),
  batchId: z.uuid().optional(),
});

const importQuery = z.object({
  fileName: z.string().trim().min(1).max(255).default('upload'),
  format: z.enum(importFormats).optional(),
  query: z.string().max(5000).optional(),
  skipInvalid: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  dryRun: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  library: z.uuid().optional(),
  themeId: z.uuid({ error: 'Not a valid theme id' }).optional().describe('Tag every record of the file (new or duplicate) with this theme; repeat for several'),
});

const candidateResponse = z.object({
  id: z.uuid(),
  score: z.number(),
  reasons: z.array(z.string()),
  status: z.enum(['open', 'merged', 'kept_apart']),
  left: evidenceRecordResponse,
  right: evidenceRecordResponse,
});

/**
 * How many records a search found, widening (RM3) included, and how many hold the query's own words:
 * the same fields on `/search` and on a need's `/needs/{id}/matches` (whose query is the need's words).
 */
export const widenedSearchCounts = {
  total: z
    .number()
    .int()
    .describe('Records the search found under the filters: those matching the query’s own words and, when the query was widened (expand, on by default), those matching only the words it was widened with'),
  matching: z
    .number()
    .int()
    .describe('Of total, the records holding the query’s own words (with their prefix* expansions, and its "phrases"), under the same filters; total − matching are related records only the widening found. Equal to total when the query was not widened'),
  expandedWith: z.array(z.string()).describe('The words the query was widened with, from its top results (empty when it was not widened)'),
};

/** A hit only the widening found. */
export const isRelatedHit = z
  .boolean()
  .describe('True when the record holds none of the query’s own words: only the widening found it. Hits stay in ranking order, so related ones may come before the last record with the query’s words');

/** `/api/evidence/…`: the library, imports, duplicate decisions and exports. */
export const evidenceRoutes = (services: Services) => {
  const { evidence, importFile } = services;
  return [
  defineRoute({
    method: 'get',
    path: '/search',
    summary: 'Search the evidence: BM25F with evidence-level and recency boosts (rank=plain for none), filters, snippets and explanations',
    tag: 'search',
    query: searchQuery.extend({ q: z.string().trim().min(1, 'Enter something to search for').max(5000) }).extend(themeFilterQuery.shape),
    response: z.object({
      ...widenedSearchCounts,
      hits: z.array(
        z.object({
          record: evidenceRecordResponse,
          score: z.number(),
          isRelated: isRelatedHit,
          snippet: z.array(z.object({ text: z.string(), isMatch: z.boolean() })),
          explanation: z
            .object({
              terms: z.array(z.object({ term: z.string(), score: z.number(), fields: z.array(z.enum(['title', 'abstract', 'keywords'])) })),
              boosts: z.object({ evidenceLevel: z.number(), recency: z.number() }),
              expandedWith: z.array(z.string()).describe('The words the query was widened with'),
            })
            .optional(),
        }),
      ),
    }),
    // `query.themeId` rides along to runSearch, which passes it to the index as `filters.themeIds`.
    handler: ({ identity, query }) => runSearch(services, identity.actor, query),
  }),
  defineRoute({
    method: 'get',
    path: '/evidence/records',
    summary: 'List and filter records in a library (main library unless `library` is given)',
    tag: 'evidence',
    query: recordQuery.extend(themeFilterQuery.shape),
    response: z.object({ records: z.array(evidenceRecordResponse), total: z.number().int() }),
    handler: async ({ identity, query }) => {
      const { records, total } = await evidence.listRecords(identity.actor, { ...toRecordFilter(query), themeIds: themeIdsOf(query) });
      return { records, total };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/evidence/records/{id}',
    summary: 'A record with its classification and every source it came from',
    tag: 'evidence',
    params: idParams,
    response: z.object({
      record: evidenceRecordResponse,
      classification: z
        .object({ design: z.enum(studyDesigns), level: z.number().int().optional(), reason: z.string() })
        .describe('What the classification rules say of the record now, and why: the automatic grade, which record.studyDesign keeps unless a person set it by hand'),
      sources: z.array(z.object({ id: z.uuid(), fileName: z.string().optional(), format: z.string().optional(), line: z.number().int().optional(), sourceDatabase: z.string().optional(), at: when }).loose()),
    }),
    handler: ({ identity, params }) => evidence.getRecord(identity.actor, params.id as RecordId),
  }),
  defineRoute({
    method: 'post',
    path: '/evidence/records/{id}/themes',
    summary: 'Set the research themes a record is tagged with (staff): exactly the ones given',
    tag: 'evidence',
    params: idParams,
    body: z.object({ themeIds: z.array(z.uuid({ error: 'Not a valid theme id' })).max(20, 'Choose at most 20 themes') }),
    response: evidenceRecordResponse,
    handler: ({ identity, params, body }) => evidence.setRecordThemes(identity.actor, params.id as RecordId, body.themeIds as ThemeId[]),
  }),
  defineRoute({
    method: 'post',
    path: '/evidence/records/{id}/study-design',
    summary: 'Correct a record’s study design by hand (staff), or with null hand it back to the automatic grade; the evidence level follows the design',
    tag: 'evidence',
    params: idParams,
    body: z.object({
      studyDesign: z
        .enum(studyDesigns, { error: STUDY_DESIGN_NOT_LISTED })
        .nullable()
        .describe('The design to keep whatever the rules say, or null to let the rules grade the record again (at once, and at every reclassification)'),
    }),
    response: evidenceRecordResponse,
    handler: ({ identity, params, body }) => evidence.setStudyDesign(identity.actor, params.id as RecordId, body.studyDesign),
  }),
  defineRoute({
    method: 'post',
    path: '/evidence/imports',
    summary: 'Import a reference file sent as the raw request body (any supported format; detected from content)',
    tag: 'evidence',
    query: importQuery,
    response: importSummaryResponse,
    status: 201,
    handler: async ({ identity, query, c }) => {
      const body = c.req.raw.body;
      if (!body) {
        throw new AppError('validation.failed', 'Send the file as the request body', { fields: { body: 'Empty body' } });
      }
      // Repeated `themeId`s: the spec's schema reads only one, so every value is checked here.
      const themes = parseWith(importThemesQuery, { themeId: c.req.queries('themeId') ?? [] }, 'query string');
      const source = await sourceFromBytes(query.fileName, body as unknown as AsyncIterable<Uint8Array>);
      return importFile(identity.actor, source, {
        format: query.format,
        searchQuery: query.query,
        skipInvalid: query.skipInvalid ?? false,
        isDryRun: query.dryRun ?? false,
        libraryId: query.library as never,
        themeIds: themes.themeId as ThemeId[],
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/evidence/scan',
    summary: 'Scan the whole library for duplicates: exact ones merged, uncertain pairs added to the candidates',
    tag: 'evidence',
    response: z.object({ records: z.number().int(), merged: z.number().int(), candidates: z.number().int() }),
    handler: ({ identity }) => evidence.scanForDuplicates(identity.actor),
  }),
  defineRoute({
    method: 'get',
    path: '/evidence/candidates',
    summary: 'Open pairs of possible duplicates, most alike first',
    tag: 'evidence',
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0) }),
    response: z.object({ candidates: z.array(candidateResponse), total: z.number().int() }),
    handler: ({ identity, query }) => evidence.listCandidates(identity.actor, query),
  }),
  defineRoute({
    method: 'post',
    path: '/evidence/candidates/{id}/merge',
    summary: 'Merge a pair of duplicates, keeping the richest fields and every source',
    tag: 'evidence',
    params: idParams,
    response: evidenceRecordResponse,
    handler: ({ identity, params }) => evidence.mergeCandidate(identity.actor, params.id as CandidateId),
  }),
  defineRoute({
    method: 'post',
    path: '/evidence/candidates/{id}/keep-apart',
    summary: 'Record that a pair are different works',
    tag: 'evidence',
    params: idParams,
    response: z.object({ status: z.literal('kept_apart') }),
    handler: async ({ identity, params }) => {
      await evidence.keepApart(identity.actor, params.id as CandidateId);
      return { status: 'kept_apart' as const };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/evidence/export',
    summary: `Download records as RIS, CSV, CSL-JSON or BibTeX: the given ids, or the filtered library (up to ${MAX_EXPORT_RECORDS})`,
    tag: 'evidence',
    query: exportQuery.extend(themeFilterQuery.shape),
    response: z.string().describe('The file, with Content-Disposition: attachment'),
    handler: async ({ identity, query, c }) => {
      const ids = chosenRecordIds(c.req.queries('ids'));
      const records = await evidence.selectForExport(identity.actor, ids ? { ids } : { filter: { ...toRecordFilter(query), themeIds: themeIdsOf(query) }, limit: MAX_EXPORT_RECORDS });
      return exportResponse(c, query.format, records);
    },
  }),
];
};
