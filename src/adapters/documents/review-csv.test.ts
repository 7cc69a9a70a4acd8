import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { evidenceLevelLabels, studyDesignLabels } from '../../core/evidence/classify.js';
import type { EvidenceRecord } from '../../core/evidence/types.js';
import type { DecisionLogEntry } from '../../core/reviews/extraction.js';
import type { ExtractionField, ExtractionFieldId, ExtractionValue } from '../../core/reviews/types.js';
import type { LibraryId, RecordId, UserId } from '../../core/shared/ids.js';
import { decisionLogCsv, evidenceTableCsv, extractionCsv } from './review-csv.js';

const rowsOf = (csv: string): string[][] => parse(csv, { bom: true });

const record: EvidenceRecord = {
  id: '00000000-0000-4000-8000-000000000001' as RecordId,
  libraryId: 'main' as LibraryId,
  title: '=HYPERLINK("http://evil.example","click")',
  authors: ['@Smith, J', 'Jones, K'],
  year: 2021,
  journal: 'BMJ',
  volume: '12',
  pages: '-45',
  publicationTypes: [],
  keywords: [],
  meshTerms: [],
  studyDesign: 'rct',
  evidenceLevel: 2,
  sourceDatabases: [],
  themes: [],
  createdAt: new Date('2024-01-01T00:00:00Z'),
  updatedAt: new Date('2024-01-01T00:00:00Z'),
};

const field = (id: string, label: string, kind: ExtractionField['kind']): ExtractionField => ({
  id: id as ExtractionFieldId,
  position: 0,
  label,
  kind,
  choices: [],
  columns: kind === 'table' ? ['Outcome', 'Effect'] : [],
  isRequired: false,
});
const fields = [field('effect', 'Effect size', 'number'), field('note', '+Notes', 'text'), field('outcomes', 'Outcomes', 'table')];
const values = new Map<string, ExtractionValue>([
  ['effect', -0.45],
  ['note', "-2+3 and +cmd|' /C calc'!A0"],
  ['outcomes', [['=1+1', '-0.2']]],
]);

describe('review CSV exports', () => {
  it('guards a hostile title, reason and screener name in the decision log, leaving the rank a number', () => {
    const entry: DecisionLogEntry = {
      kind: 'decision',
      recordId: record.id,
      title: record.title,
      stage: 'title_abstract',
      screenerId: 'user-1',
      screenerName: '@Mallory',
      decision: 'exclude',
      reason: '-Wrong population',
      decidedAt: new Date('2025-06-30T09:00:00Z'),
      modelVersion: undefined,
      rankPosition: 3,
      isCurrent: true,
    };
    const csv = decisionLogCsv([entry]);
    expect(csv.startsWith('\uFEFFrecord_id,title,')).toBe(true);
    expect(csv).toContain(
      `,"'=HYPERLINK(""http://evil.example"",""click"")",title_abstract,'@Mallory,user-1,exclude,'-Wrong population,2025-06-30T09:00:00.000Z,,3,current,decision\n`,
    );
    expect(rowsOf(csv)[1]).toEqual([
      record.id,
      `'${record.title}`,
      'title_abstract',
      "'@Mallory",
      'user-1',
      'exclude',
      "'-Wrong population",
      '2025-06-30T09:00:00.000Z',
      '',
      '3',
      'current',
      'decision',
    ]);
  });

  it('guards text answers, field labels and record fields in the extraction data, writing a negative number as a number', () => {
    const rows = rowsOf(extractionCsv(fields, [{ record, values }]));
    expect(rows[0]?.slice(10)).toEqual(['Effect size', "'+Notes", 'Outcomes', 'checked_by', 'checked_at']);
    expect(rows[1]).toEqual([
      record.id,
      `'${record.title}`,
      "'@Smith, J; Jones, K",
      '2021',
      'BMJ',
      '12',
      '',
      "'-45",
      '',
      '',
      '-0.45',
      "'-2+3 and +cmd|' /C calc'!A0",
      'Outcome: =1+1; Effect: -0.2',
      '',
      '',
    ]);
    expect(extractionCsv(fields, [{ record, values }])).toContain(',-0.45,');
  });

  it('says who checked the answers and when, only while the answers are the ones checked', () => {
    const checkedAt = new Date('2026-12-08T09:30:00Z');
    const check = { recordId: record.id, checkedBy: 'u2' as UserId, checkedByName: '=Checker', checkedAt };
    const current = rowsOf(extractionCsv(fields, [{ record, values, check: { ...check, isCurrent: true } }]));
    expect(current[1]?.slice(-2)).toEqual(["'=Checker", '2026-12-08T09:30:00.000Z']);
    const stale = rowsOf(extractionCsv(fields, [{ record, values, check: { ...check, isCurrent: false } }]));
    expect(stale[1]?.slice(-2)).toEqual(['', '']);
  });

  it('guards the citation and answers in the evidence table', () => {
    const rows = rowsOf(evidenceTableCsv(fields, [{ record, values: new Map<string, ExtractionValue>([['effect', -1], ['note', '=1+1']]) }]));
    expect(rows[0]).toEqual(['Citation', 'Year', 'Study design', 'Evidence level', 'Effect size', "'+Notes", 'Outcomes']);
    expect(rows[1]?.[0]).toMatch(/^'@Smith J, Jones K\. =HYPERLINK/);
    expect(rows[1]?.slice(1)).toEqual(['2021', studyDesignLabels.rct, evidenceLevelLabels[2], '-1', "'=1+1", '']);
  });
});
