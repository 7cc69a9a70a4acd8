import { describe, expect, it } from 'vitest';
import { classifyRecord } from './classify.js';

const record = (overrides: { title?: string; abstract?: string; publicationTypes?: string[]; meshTerms?: string[] }) => ({
  title: 'A study',
  publicationTypes: [],
  meshTerms: [],
  ...overrides,
});

describe('classifyRecord', () => {
  it.each([
    [{ publicationTypes: ['Journal Article', 'Randomized Controlled Trial'] }, 'rct', 2],
    [{ publicationTypes: ['Meta-Analysis'] }, 'systematic_review', 1],
    [{ publicationTypes: ['Practice Guideline'] }, 'guideline', 1],
    [{ publicationTypes: ['Case Reports'] }, 'case_report', 5],
    [{ publicationTypes: ['Comment', 'Letter'] }, 'editorial', 6],
    [{ publicationTypes: ['Review'] }, 'other', undefined],
    [{ meshTerms: ['Humans', '*Cohort Studies'] }, 'cohort', 3],
    [{ meshTerms: ['Randomized Controlled Trials as Topic'] }, 'other', undefined],
    [{ title: 'Befriending for older people: a randomised controlled trial' }, 'rct', 2],
    [{ title: 'Exercise for depression: systematic review and meta-analysis' }, 'systematic_review', 1],
    [{ title: 'Cost-effectiveness of social prescribing' }, 'economic_evaluation', undefined],
    [{ title: 'Carers’ experiences', abstract: 'We conducted semi-structured interviews and a thematic analysis.' }, 'qualitative', undefined],
    [{ title: 'Smoking and stroke', abstract: 'A population-based case-control study.' }, 'case_control', 4],
    [{ title: 'Loneliness in London: a cross-sectional survey' }, 'cross_sectional', 5],
    [{ title: 'Trends in prescribing', meshTerms: ['Retrospective Studies'] }, 'cohort', 3],
    [{ title: 'Budesonide-formoterol as needed', abstract: 'In this randomized, open-label trial…', meshTerms: ['Surveys and Questionnaires'] }, 'rct', 2],
    [{ title: 'Stroke after surgery', abstract: 'We used a questionnaire survey.', meshTerms: ['Cohort Studies'] }, 'cohort', 3],
  ])('classifies %o as %s (level %s)', (fields, design, level) => {
    expect(classifyRecord(record(fields))).toMatchObject({ design, level });
  });

  it('says why it decided', () => {
    expect(classifyRecord(record({ title: 'A randomised controlled trial of befriending' })).reason).toContain('randomised controlled trial');
  });
});
