import { describe, expect, it } from 'vitest';
import type { EvidenceRecord } from '../../core/evidence/types.js';
import type { LibraryId, RecordId } from '../../core/shared/ids.js';
import { citationNumbers, formatReferences, inTextCitation, toCslItem } from './citations.js';

let sequence = 0;
const record = (fields: Partial<EvidenceRecord>): EvidenceRecord => {
  sequence += 1;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}` as RecordId,
    libraryId: 'main' as LibraryId,
    title: 'Untitled',
    authors: [],
    publicationTypes: [],
    keywords: [],
    meshTerms: [],
    studyDesign: 'other',
    evidenceLevel: undefined,
    sourceDatabases: [],
    themes: [],
    createdAt: new Date('2024-01-01T00:00:00Z'),
    updatedAt: new Date('2024-01-01T00:00:00Z'),
    ...fields,
  };
};

const trial = record({
  title: 'Home-based exercise to prevent falls in older people: a randomised controlled trial',
  authors: ['Smith, John Andrew', 'Jones, Mary', 'Brown, K.', 'Patel, Anita', 'Wong, Li', 'Green, Peter', 'Black, Q'],
  year: 2021,
  journal: 'BMJ',
  volume: '372',
  issue: '4',
  pages: '123-130',
  doi: '10.1136/bmj.n123',
  pmid: '33456789',
});
const review = record({ title: 'Social prescribing for loneliness', authors: ['Doe, Jane'], year: 2019, journal: 'Health and Social Care in the Community', volume: '27', pages: '1-10' });
const report = record({ title: 'Social prescribing in London', authors: ['NHS England'], year: 2020, publisher: 'NHS England', url: 'https://www.england.nhs.uk/social-prescribing', referenceType: 'RPRT' });

describe('formatReferences', () => {
  it('formats Vancouver references in citation order, with the DOI and numbered labels', () => {
    expect(formatReferences([trial, review, report], 'vancouver')).toEqual({
      references: [
        'Smith JA, Jones M, Brown K, Patel A, Wong L, Green P, et al. Home-based exercise to prevent falls in older people: a randomised controlled trial. BMJ. 2021;372(4):123–30. doi:10.1136/bmj.n123',
        'Doe J. Social prescribing for loneliness. Health and Social Care in the Community. 2019;27:1–10.',
        'NHS England. Social prescribing in London [Internet]. NHS England; 2020. Available from: https://www.england.nhs.uk/social-prescribing',
      ],
      inTextLabels: ['[1]', '[2]', '[3]'],
    });
  });

  it('formats Harvard (Cite Them Right) references in British English, in citation order', () => {
    expect(formatReferences([trial, review, report], 'harvard')).toEqual({
      references: [
        'Smith, J.A. et al. (2021) ‘Home-based exercise to prevent falls in older people: a randomised controlled trial’, BMJ, 372(4), pp. 123–130. doi:10.1136/bmj.n123.',
        'Doe, J. (2019) ‘Social prescribing for loneliness’, Health and Social Care in the Community, 27, pp. 1–10.',
        'NHS England (2020) Social prescribing in London. NHS England. Available at: https://www.england.nhs.uk/social-prescribing.',
      ],
      inTextLabels: ['Smith et al., 2021', 'Doe, 2019', 'NHS England, 2020'],
    });
  });

  it('tells apart two works by the same authors in the same year, in the label and the reference', () => {
    const first = record({ title: 'Falls in care homes', authors: ['Doe, Jane'], year: 2019, journal: 'Age and Ageing' });
    const second = record({ title: 'Falls at home', authors: ['Doe, J.'], year: 2019, journal: 'Age and Ageing' });
    const { references, inTextLabels } = formatReferences([first, second], 'harvard');
    // The suffixes follow the reference list's order (author, year, then title), as Cite Them Right asks.
    expect(inTextLabels).toEqual(['Doe, 2019b', 'Doe, 2019a']);
    expect(references[0]).toMatch(/^Doe, J\. \(2019b\) ‘Falls in care homes’/);
    expect(references[1]).toMatch(/^Doe, J\. \(2019a\) ‘Falls at home’/);
  });

  it('calls an article without volume or pages a preprint only when the record says it is one', () => {
    const online = record({ title: 'Falls online first', authors: ['Doe, Jane'], year: 2024, journal: 'BMJ', doi: '10.1136/bmj-2024-1' });
    const preprint = record({ title: 'Falls preprint', authors: ['Doe, Jane'], year: 2024, journal: 'medRxiv', publicationTypes: ['Preprint'] });
    expect(formatReferences([online, preprint], 'harvard').references).toEqual([
      'Doe, J. (2024a) ‘Falls online first’, BMJ. doi:10.1136/bmj-2024-1.',
      'Doe, J. (2024b) ‘Falls preprint’, medRxiv [Preprint].',
    ]);
  });

  it('copes with a record without authors or year', () => {
    const bare = record({ title: 'Guidance on falls' });
    expect(formatReferences([bare], 'harvard')).toEqual({ references: ['‘Guidance on falls’ (no date).'], inTextLabels: ['‘Guidance on falls’, no date'] });
    expect(formatReferences([bare], 'vancouver').references).toEqual(['Guidance on falls.']);
    expect(formatReferences([], 'vancouver')).toEqual({ references: [], inTextLabels: [] });
  });

  it('maps record fields to CSL-JSON, organisations as literal names', () => {
    expect(toCslItem(report, 'x')).toEqual({
      id: 'x',
      type: 'report',
      title: 'Social prescribing in London',
      author: [{ literal: 'NHS England' }],
      issued: { 'date-parts': [[2020]] },
      publisher: 'NHS England',
      URL: 'https://www.england.nhs.uk/social-prescribing',
    });
    expect(toCslItem(trial).author?.[0]).toEqual({ family: 'Smith', given: 'J. A.' });
  });
});

describe('in-text citations', () => {
  it('joins runs of numbers for Vancouver', () => {
    expect(citationNumbers([5, 1, 2, 3])).toBe('1–3, 5');
    expect(citationNumbers([2, 1])).toBe('1, 2');
    expect(inTextCitation([3, 1, 2], 'vancouver', [])).toBe('[1–3]');
  });

  it('lists author-year labels for Harvard', () => {
    expect(inTextCitation([1, 2], 'harvard', ['Smith et al., 2021', 'Doe, 2019'])).toBe('(Smith et al., 2021; Doe, 2019)');
  });
});
