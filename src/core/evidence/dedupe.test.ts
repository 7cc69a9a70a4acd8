import { describe, expect, it } from 'vitest';
import { authorKeyOf, compareKeys, dedupeKeysOf, findPairs, normaliseTitle } from './dedupe.js';
import { emptyRecord, type RecordFields } from './record.js';

const record = (overrides: Partial<RecordFields>): RecordFields => ({ ...emptyRecord(), title: 'Reducing loneliness in older people: a systematic review', authors: ['Smith, Jane'], year: 2020, ...overrides });
const compare = (left: Partial<RecordFields>, right: Partial<RecordFields>) => compareKeys(dedupeKeysOf(record(left)), dedupeKeysOf(record(right)));

describe('normaliseTitle', () => {
  it.each([
    ['Effects of Café Culture.', 'effects of cafe culture'],
    ['[Effects of exercise on sleep in older adults].', 'effects of exercise on sleep in older adults'],
    ['The role of <i>Helicobacter pylori</i> in H<sub>2</sub>O', 'the role of helicobacter pylori in h 2 o'],
    ['Ca<mml:math><mml:msup><mml:mi>2</mml:mi><mml:mo>+</mml:mo></mml:msup></mml:math> signalling', 'ca 2 signalling'],
    ['Straße  and   Ærø—naïve', 'strasse and aero naive'],
    ['Title ending with periods...', 'title ending with periods'],
  ])('normalises %j to %j', (title, expected) => {
    expect(normaliseTitle(title)).toBe(expected);
  });
});

describe('authorKeyOf', () => {
  it.each([
    [['Gross-Tsur, V'], 'tsur'],
    [['V Gross-Tsur'], 'tsur'],
    [['Gross-Tsur V'], 'tsur'],
    [['van der Berg, J'], 'berg'],
    [['Jan van der Berg'], 'berg'],
    [['van der Berg JA'], 'berg'],
    [['Müller, Anna'], 'muller'],
    [['J. D. Tobias'], 'tobias'],
    [[], undefined],
  ])('takes the first author family name of %j as %j', (authors, expected) => {
    expect(authorKeyOf(authors)).toBe(expected);
  });
});

const authorless: Partial<RecordFields> = { title: 'Rofecoxib: new preparation. Once-daily COX-2 inhibitor', authors: [], year: 1999, journal: 'Lancet', volume: '354', pages: '1187' };
const longAbstract = 'A selective inhibitor of cyclo-oxygenase 2 is now available for osteoarthritis, taken once a day.';

describe('compareKeys', () => {
  it.each([
    ['the same DOI, in different case', { doi: '10.1000/ABC' }, { doi: '10.1000/abc', title: 'Other title entirely' }, 'duplicate'],
    ['the same PMID', { pmid: '123' }, { pmid: '123', title: 'Completely different' }, 'duplicate'],
    ['different PMIDs, same title', { pmid: '123' }, { pmid: '124' }, 'distinct'],
    ['the same title, year and first author, written differently', { title: 'Reducing loneliness in older people: a systematic review.' }, { title: 'REDUCING LONELINESS IN OLDER PEOPLE - A SYSTEMATIC REVIEW', authors: ['J Smith'] }, 'duplicate'],
    ['a bracketed translated title from MEDLINE', { title: '[Reducing loneliness in older people: a systematic review].' }, {}, 'duplicate'],
    ['the same title by a different first author (a comment)', {}, { authors: ['Jones, Bob'] }, 'distinct'],
    ['the same title and author a year apart (republication)', {}, { year: 2021 }, 'candidate'],
    ['a small edit to the title', {}, { title: 'Reducing loneliness in older people: a systematic reviews' }, 'candidate'],
    ['the same title with no authors on one side', {}, { authors: [] }, 'candidate'],
    ['the same title and author with the year missing on the right', {}, { year: undefined }, 'candidate'],
    ['the same title and author with the year missing on the left', { year: undefined }, {}, 'candidate'],
    ['a short generic title with no authors', { title: 'Heart failure.', authors: [] }, { title: 'Heart failure', authors: ['Jessup, M'] }, 'distinct'],
    ['titles five years apart', {}, { year: 2015 }, 'distinct'],
    ['different titles', {}, { title: 'Befriending services for carers: a randomised trial' }, 'distinct'],
    // Records with no authors (news items, editorials): the same everything else is the same record.
    ['no authors, the same title, year, journal, volume and pages', { ...authorless }, { ...authorless, journal: 'LANCET.' }, 'duplicate'],
    ['no authors, the same citation on a different page', { ...authorless }, { ...authorless, pages: '1188' }, 'candidate'],
    ['no authors, the same citation with another abstract', { ...authorless, abstract: longAbstract }, { ...authorless, abstract: `${longAbstract} Updated.` }, 'candidate'],
    ['no authors and no journal, the same short abstract', { ...authorless, journal: undefined, abstract: 'Not available.' }, { ...authorless, journal: undefined, abstract: 'Not available.' }, 'duplicate'],
    ['no authors and no journal, one with an abstract', { ...authorless, journal: undefined }, { ...authorless, journal: undefined, abstract: 'Not available.' }, 'candidate'],
    ['no authors and no journal, the same long abstract', { ...authorless, journal: undefined, abstract: longAbstract }, { ...authorless, journal: undefined, abstract: longAbstract }, 'duplicate'],
    ['the same citation, authors on one side', { ...authorless }, { ...authorless, authors: ['Smith, Jane'] }, 'candidate'],
    // Records with no year: the same authors and everything else make the same record.
    ['no year, the same title, authors and journal', { year: undefined, journal: 'BMJ' }, { year: undefined, journal: 'BMJ' }, 'duplicate'],
    ['no year, the same title and first author, another second author', { year: undefined, authors: ['Smith, Jane', 'Khan, A'] }, { year: undefined, authors: ['Smith, Jane', 'Lee, B'] }, 'candidate'],
    ['no year, no authors, nothing else but the same title (nothing tells them apart)', { year: undefined, authors: [] }, { year: undefined, authors: [] }, 'duplicate'],
    ['no authors, nothing else but the title, one with a year', { year: undefined, authors: [] }, { authors: [] }, 'candidate'],
  ])('judges %s as %s', (_case, left, right, expected) => {
    expect(compare(left, right).kind).toBe(expected);
  });

  it('scores candidates so that the closer pair ranks first', () => {
    const close = compare({}, { year: 2021 });
    const looser = compare({}, { title: 'Reducing loneliness in older people: a systematic reviews', authors: [], year: 2021 });
    expect(close.kind === 'candidate' && looser.kind === 'candidate' && close.score > looser.score).toBe(true);
  });
});

describe('findPairs', () => {
  it('finds each matching pair once, across blocks, and ignores distinct records', () => {
    const keys = [
      record({ doi: '10.1/a' }),
      record({ doi: '10.1/a', title: 'Something else' }),
      record({ title: 'Befriending for carers', authors: ['Jones, K'] }),
      record({ year: 2021 }),
    ].map(dedupeKeysOf);
    const pairs = findPairs(keys).map(({ left, right, match }) => [left, right, match.kind]);
    expect(pairs).toEqual(expect.arrayContaining([[0, 1, 'duplicate'], [0, 3, 'candidate']]));
    // Record 1 shares a DOI with record 0 but its title matches nobody: no pair with record 3.
    expect(pairs).toHaveLength(2);
  });
});
