import { describe, expect, it } from 'vitest';
import type { IndexedDocument } from '../../core/evidence/search.js';
import type { LibraryId, RecordId } from '../../core/shared/ids.js';
import { InMemoryEvidenceIndex } from './evidence-index.js';

const main = 'library-main' as LibraryId;
const other = 'library-review' as LibraryId;
const document = (id: string, overrides: Partial<IndexedDocument> = {}): IndexedDocument => ({
  id: id as RecordId,
  libraryId: main,
  title: '',
  abstract: '',
  keywords: [],
  year: 2020,
  design: 'other',
  level: undefined,
  ...overrides,
});

const corpus = [
  document('befriending-rct', { title: 'Befriending for loneliness in older people: a randomised controlled trial', abstract: 'Loneliness fell with weekly befriending calls.', design: 'rct', level: 2, year: 2022 }),
  document('befriending-review', { title: 'Befriending and loneliness: systematic review', abstract: 'Twelve trials of befriending for loneliness.', design: 'systematic_review', level: 1, year: 2015 }),
  document('paediatric', { title: 'Paediatric anaemia in primary care', abstract: 'Iron deficiency anaemia in children.', keywords: ['anaemia', 'child health'], year: 2019 }),
  document('falls', { title: 'Falls prevention in care homes', abstract: 'Exercise programmes reduced falls among residents.', year: 2018, design: 'cohort', level: 3 }),
  document('alcohol', { title: 'Alcohol brief interventions in emergency departments', abstract: 'Brief advice reduced drinking.', libraryId: other, year: 2012 }),
];
const texts = new Map(corpus.map((entry) => [entry.id as string, `${entry.title} ${entry.abstract}`]));
const build = () => {
  const index = new InMemoryEvidenceIndex(async (ids) => new Map(ids.map((id) => [id as string, texts.get(id) ?? ''])));
  index.upsert(corpus);
  return index;
};
const ids = async (index: InMemoryEvidenceIndex, text: string, extra: Partial<Parameters<InMemoryEvidenceIndex['search']>[0]> = {}) =>
  (await index.search({ text, limit: 10, ...extra })).hits.map((hit) => hit.id);

describe('InMemoryEvidenceIndex', () => {
  it('ranks by BM25F: a match in the title beats one in the abstract', async () => {
    const index = build();
    expect(await ids(index, 'loneliness befriending')).toEqual(['befriending-review', 'befriending-rct']);
  });

  it('finds American spellings with British queries and the reverse', async () => {
    const index = build();
    expect(await ids(index, 'pediatric anemia')).toEqual(['paediatric']);
    expect(await ids(index, 'exercise programs')).toEqual(['falls']);
  });

  it('applies filters inside the search, so totals count only matching documents', async () => {
    const index = build();
    const result = await index.search({ text: 'befriending loneliness alcohol', limit: 1, filters: { designs: ['rct'] } });
    expect(result.hits.map((hit) => hit.id)).toEqual(['befriending-rct']);
    expect(result.total).toBe(1);
    expect(await ids(index, 'alcohol', { filters: { libraryIds: [main] } })).toEqual([]);
    expect(await ids(index, 'befriending', { filters: { yearFrom: 2016 } })).toEqual(['befriending-rct']);
    expect(await ids(index, 'befriending', { filters: { levels: [1] } })).toEqual(['befriending-review']);
  });

  it('boosts higher evidence and recent work only when asked, and says why', async () => {
    const index = build();
    const boosted = await index.search({ text: 'befriending trial', limit: 2, explain: true, boosts: { evidenceLevel: true, recency: true, currentYear: 2026 } });
    const [first] = boosted.hits;
    expect(first?.explanation?.terms.map((term) => term.term)).toEqual(expect.arrayContaining(['befriending']));
    expect(first?.explanation?.boosts.evidenceLevel).toBeGreaterThan(1);
    const plain = await index.search({ text: 'befriending trial', limit: 2, explain: true });
    expect(plain.hits[0]?.explanation?.boosts).toEqual({ evidenceLevel: 1, recency: 1 });
  });

  it('matches quoted phrases in order only, and prefixes', async () => {
    const index = build();
    expect(await ids(index, '"brief interventions"')).toEqual(['alcohol']);
    expect(await ids(index, '"interventions brief"')).toEqual([]);
    expect(await ids(index, 'befriend*')).toHaveLength(2);
    expect(await ids(index, 'paediatr*')).toEqual(['paediatric']);
  });

  it('updates and removes documents incrementally', async () => {
    const index = build();
    index.upsert([document('falls', { title: 'Hip fractures after falls', abstract: '' })]);
    expect(await ids(index, 'care homes')).not.toContain('falls');
    expect(await ids(index, 'hip fractures')).toEqual(['falls']);
    index.remove(['falls' as RecordId]);
    expect(await ids(index, 'hip fractures')).toEqual([]);
    expect(index.size()).toBe(4);
  });

  it('expands a query from its top documents (RM3) when asked', async () => {
    const index = build();
    const expanded = await index.search({ text: 'befriending', limit: 5, expand: true, explain: true });
    expect(expanded.hits[0]?.explanation?.expandedWith).toEqual(expect.arrayContaining(['loneli']));
  });

  it('keeps only the top k with a heap, best first, over many documents', async () => {
    const index = new InMemoryEvidenceIndex();
    index.upsert(Array.from({ length: 2000 }, (_, number) => document(`doc-${number}`, { title: `falls ${'prevention '.repeat(number % 7)}`, abstract: `residents ${number}` })));
    const result = await index.search({ text: 'falls prevention', limit: 5, offset: 5 });
    expect(result.total).toBe(2000);
    expect(result.hits).toHaveLength(5);
    const scores = result.hits.map((hit) => hit.score);
    expect([...scores].sort((left, right) => right - left)).toEqual(scores);
  });
});
