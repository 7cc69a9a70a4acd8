import { describe, expect, it } from 'vitest';
import { answerKey, citationOf, formatAnswer, isAnswered, validateAnswers } from './extraction.js';
import type { ExtractionField, ExtractionFieldId } from './types.js';

const field = (id: string, overrides: Partial<ExtractionField>): ExtractionField => ({
  id: id as ExtractionFieldId,
  position: 0,
  label: id,
  kind: 'text',
  choices: [],
  columns: [],
  isRequired: false,
  ...overrides,
});

const fields = [
  field('setting', { label: 'Setting', isRequired: true }),
  field('size', { label: 'Sample size', kind: 'number', isRequired: true }),
  field('design', { label: 'Design', kind: 'choice', choices: ['RCT', 'Cohort'] }),
  field('outcomes', { label: 'Outcomes', kind: 'table', columns: ['Outcome', 'Effect'], isRequired: true }),
];

describe('validateAnswers', () => {
  it('accepts valid answers, turning numbers into numbers and dropping empty table rows', () => {
    const { values, errors } = validateAnswers(fields, {
      setting: '  Community  ',
      size: '1.2e3',
      design: 'RCT',
      outcomes: [
        ['Falls', ' RR 0.8 '],
        ['', ''],
        ['Fractures'],
      ],
    });
    expect(errors).toEqual({});
    expect(values).toEqual([
      { fieldId: 'setting', value: 'Community' },
      { fieldId: 'size', value: 1200 },
      { fieldId: 'design', value: 'RCT' },
      {
        fieldId: 'outcomes',
        value: [
          ['Falls', 'RR 0.8'],
          ['Fractures', ''],
        ],
      },
    ]);
  });

  it.each([
    ['twelve', '“Sample size” must be a number, like 120 or 3.5'],
    ['12,5', '“Sample size” must be a number, like 120 or 3.5'],
    ['Infinity', '“Sample size” must be a number, like 120 or 3.5'],
    ['', 'Enter a number for “Sample size”'],
  ])('refuses %j as a required number: %s', (size, message) => {
    const { errors } = validateAnswers(fields, { setting: 'x', size, outcomes: [['a', 'b']] });
    expect(errors).toEqual({ [answerKey('size')]: message });
  });

  it('gives one message per field: required answers, choices among the options, a table with a row', () => {
    const { errors, values } = validateAnswers(fields, { setting: ' ', size: '-3.5', design: 'Case report', outcomes: [['', '']] });
    expect(errors).toEqual({
      'answers.setting': 'Enter an answer for “Setting”',
      'answers.design': 'Choose one of the options for “Design”',
      'answers.outcomes': 'Add at least one row to “Outcomes”',
    });
    expect(values.find((value) => value.fieldId === 'size')?.value).toBe(-3.5);
  });

  it('clears optional answers left empty', () => {
    const { values, errors } = validateAnswers([field('notes', {}), field('design', { kind: 'choice', choices: ['RCT', 'Cohort'] })], { notes: '', design: '' });
    expect(errors).toEqual({});
    expect(values.map((value) => value.value)).toEqual([undefined, undefined]);
  });

  it('refuses overlong text', () => {
    const { errors } = validateAnswers([field('notes', { label: 'Notes' })], { notes: 'x'.repeat(10_001) });
    expect(errors['answers.notes']).toMatch(/10,000 characters or fewer/);
  });
});

describe('formatAnswer', () => {
  const table = field('outcomes', { kind: 'table', columns: ['Outcome', 'Effect'] });

  it('writes a table row by row, columns named, empty cells left out', () => {
    expect(
      formatAnswer(table, [
        ['Falls', 'RR 0.8'],
        ['Fractures', ''],
      ]),
    ).toBe('Outcome: Falls; Effect: RR 0.8 | Outcome: Fractures');
  });

  it('escapes separators inside cells so the text splits back unambiguously', () => {
    expect(formatAnswer(table, [['a; b | c \\ d', 'e']])).toBe('Outcome: a\\; b \\| c \\\\ d; Effect: e');
  });

  it('writes numbers and text as they are, and nothing for no answer', () => {
    expect(formatAnswer(field('n', { kind: 'number' }), 3.5)).toBe('3.5');
    expect(formatAnswer(field('t', {}), 'Community')).toBe('Community');
    expect(formatAnswer(field('t', {}), undefined)).toBe('');
  });

  it('counts an empty table or blank text as not answered', () => {
    expect([isAnswered([]), isAnswered(' '), isAnswered(0), isAnswered([['a']])]).toEqual([false, false, true, true]);
  });
});

describe('citationOf', () => {
  it('writes a Vancouver-style citation', () => {
    expect(
      citationOf({ authors: ['Okafor, Ada B.', 'Lindqvist, Bo', 'Smith, J', 'Jones, K'], title: 'Home exercise to prevent falls.', journal: 'BMJ', year: 2021, volume: '372', issue: '3', pages: '45-67' }),
    ).toBe('Okafor AB, Lindqvist B, Smith J, et al. Home exercise to prevent falls. BMJ. 2021;372(3):45-67.');
    expect(citationOf({ authors: [], title: 'A report', journal: undefined, year: undefined, volume: undefined, issue: undefined, pages: undefined })).toBe('A report.');
  });
});
