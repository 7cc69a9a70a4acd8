import { describe, expect, it } from 'vitest';
import { customPrismaLabels, defaultPrismaLabels, prismaCounts, prismaLabels, prismaLabelsInputSchema, type PrismaSource } from './prisma.js';
import type { StageCounts } from './screening-state.js';

const stage = (counts: Partial<StageCounts>): StageCounts => ({
  records: 0,
  toScreen: 0,
  conflicts: 0,
  included: 0,
  excluded: 0,
  notRetrieved: 0,
  decisions: 0,
  excludedByReason: [],
  ...counts,
});

/**
 * A finished review: 3 searches (two from MEDLINE, one of them with 2 invalid records skipped, Embase
 * with 1), records from the library, a merge after import.
 */
const finished: PrismaSource = {
  batches: [
    { sourceDatabase: 'MEDLINE via Ovid', parsed: 120, duplicates: 0, skipped: 2 },
    { sourceDatabase: 'Embase', parsed: 80, duplicates: 25, skipped: 1 },
    { sourceDatabase: 'MEDLINE via Ovid', parsed: 10, duplicates: 4, skipped: 0 },
    { sourceDatabase: 'Mobilise evidence library', parsed: 6, duplicates: 2, skipped: 0 },
  ],
  mergedAfterImport: 3,
  stages: {
    title_abstract: stage({ records: 182, included: 30, excluded: 152, decisions: 182 }),
    full_text: stage({
      records: 30,
      included: 9,
      excluded: 18,
      notRetrieved: 3,
      excludedByReason: [
        { reason: 'Wrong population', count: 11 },
        { reason: 'Wrong study design', count: 7 },
      ],
    }),
  },
};

describe('prismaCounts', () => {
  it('counts identification per source, and removes duplicates found on import and merged later', () => {
    const counts = prismaCounts(finished);
    expect(counts.identified).toEqual({
      total: 219,
      bySource: [
        { source: 'MEDLINE via Ovid', count: 132 },
        { source: 'Embase', count: 81 },
        { source: 'Mobilise evidence library', count: 6 },
      ],
    });
    expect(counts.duplicatesRemoved).toBe(34);
    // What is left after de-duplication and the records removed for other reasons is what is screened.
    expect(counts.identified.total - counts.duplicatesRemoved - counts.removedForOtherReasons).toBe(counts.screened);
  });

  it('counts invalid records skipped at import among those identified by their source, and as removed for other reasons', () => {
    const counts = prismaCounts({
      batches: [
        { sourceDatabase: 'CINAHL', parsed: 9, duplicates: 1, skipped: 1 },
        { sourceDatabase: 'Scopus', parsed: 4, duplicates: 0, skipped: 0 },
      ],
      mergedAfterImport: 0,
      stages: { title_abstract: stage({ records: 12, toScreen: 12 }), full_text: stage({}) },
    });
    expect(counts.identified).toEqual({
      total: 14,
      bySource: [
        { source: 'CINAHL', count: 10 },
        { source: 'Scopus', count: 4 },
      ],
    });
    expect(counts.removedForOtherReasons).toBe(1);
    expect(counts.duplicatesRemoved).toBe(1);
    expect(counts.identified.total - counts.duplicatesRemoved - counts.removedForOtherReasons).toBe(counts.screened);
  });

  it('follows records from screening to inclusion, with each reason for excluding a report', () => {
    expect(prismaCounts(finished)).toMatchObject({
      screened: 182,
      excludedAtScreening: 152,
      sought: 30,
      notRetrieved: 3,
      assessed: 27,
      excludedReports: {
        total: 18,
        byReason: [
          { reason: 'Wrong population', count: 11 },
          { reason: 'Wrong study design', count: 7 },
        ],
      },
      included: 9,
      pending: { title_abstract: 0, full_text: 0 },
    });
  });

  it('names a source that was not named, and reports what is still undecided', () => {
    const counts = prismaCounts({
      batches: [
        { sourceDatabase: undefined, parsed: 5, duplicates: 0, skipped: 0 },
        { sourceDatabase: '  ', parsed: 2, duplicates: 0, skipped: 0 },
      ],
      mergedAfterImport: 0,
      stages: { title_abstract: stage({ records: 7, toScreen: 3, conflicts: 1, included: 2, excluded: 1 }), full_text: stage({ records: 2, toScreen: 2 }) },
    });
    expect(counts.identified.bySource).toEqual([{ source: 'Source not named', count: 7 }]);
    expect(counts.pending).toEqual({ title_abstract: 4, full_text: 2 });
    expect(counts.assessed).toBe(2);
  });

  it('gives zeros for a review with nothing imported yet', () => {
    const counts = prismaCounts({ batches: [], mergedAfterImport: 0, stages: { title_abstract: stage({}), full_text: stage({}) } });
    expect(counts).toMatchObject({ identified: { total: 0, bySource: [] }, duplicatesRemoved: 0, removedForOtherReasons: 0, screened: 0, included: 0 });
  });
});

describe('prisma labels', () => {
  it('uses the team’s wording where there is one and the template’s elsewhere', () => {
    const labels = prismaLabels({ screened: 'Titles and abstracts screened', removedOther: 'Records without a title', included: '  ', unknown: 'ignored' });
    expect(labels.screened).toBe('Titles and abstracts screened');
    expect(labels.removedOther).toBe('Records without a title');
    expect(defaultPrismaLabels.removedOther).toBe('Records removed for other reasons');
    expect(labels.included).toBe(defaultPrismaLabels.included);
    expect(Object.keys(labels)).not.toContain('unknown');
  });

  it('stores only the labels that differ from the template (an empty one restores the default)', () => {
    const input = prismaLabelsInputSchema.parse({ screened: ' Titles screened ', removedOther: ' Invalid records skipped ', included: '', sought: defaultPrismaLabels.sought });
    expect(customPrismaLabels(input)).toEqual({ screened: 'Titles screened', removedOther: 'Invalid records skipped' });
  });

  it('refuses a label longer than 200 characters', () => {
    const result = prismaLabelsInputSchema.safeParse({ heading: 'x'.repeat(201) });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['heading']);
  });
});
