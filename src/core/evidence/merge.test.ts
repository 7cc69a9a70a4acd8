import { describe, expect, it } from 'vitest';
import { mergeFields } from './merge.js';
import { emptyRecord, type RecordFields } from './record.js';

const record = (overrides: Partial<RecordFields>): RecordFields => ({ ...emptyRecord(), title: 'Befriending for older people', ...overrides });

describe('mergeFields', () => {
  it('keeps the richest value of each field and unites lists', () => {
    const merged = mergeFields(
      record({ authors: ['Smith, J'], abstract: 'Short.', doi: '10.1/a', keywords: ['loneliness', 'Ageing'], sourceDatabase: 'Embase' }),
      record({ authors: ['Smith, J', 'Jones, K'], abstract: 'A much longer abstract.', pmid: '123', keywords: ['ageing', 'befriending'], meshTerms: ['Aged'], year: 2020 }),
    );
    expect(merged).toMatchObject({
      authors: ['Smith, J', 'Jones, K'],
      abstract: 'A much longer abstract.',
      doi: '10.1/a',
      pmid: '123',
      year: 2020,
      keywords: ['loneliness', 'Ageing', 'befriending'],
      meshTerms: ['Aged'],
      sourceDatabase: 'Embase',
    });
  });

  it('is stable: the kept record wins ties', () => {
    const left = record({ journal: 'BMJ', year: 2019 });
    expect(mergeFields(left, record({ journal: 'Lancet', year: 2020 }))).toMatchObject({ journal: 'Lancet', year: 2019 });
    expect(mergeFields(left, record({ journal: 'BMJ' }))).toEqual(left);
  });
});
