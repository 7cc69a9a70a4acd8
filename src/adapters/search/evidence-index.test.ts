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
    const only = await index.search({ text: 'befriending loneliness falls', limit: 10, filters: { recordIds: new Set(['befriending-rct', 'falls', 'no-such-record']) } });
    expect(only.hits.map((hit) => hit.id)).toEqual(['befriending-rct', 'falls']);
    expect(only.total).toBe(2);
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

  it('expands a query from its top documents (RM3) when asked, naming the words it added as they are written', async () => {
    const index = build();
    const expanded = await index.search({ text: 'befriending', limit: 5, expand: true, explain: true });
    expect(expanded.expandedWith).toEqual(expect.arrayContaining(['loneliness']));
    expect(expanded.expandedWith).not.toContain('loneli');
    expect(expanded.hits[0]?.explanation?.expandedWith).toEqual(expanded.expandedWith);
  });

  describe('counts the records with the query’s own words apart from the related ones widening adds', () => {
    // "isolation" is in three records; two more share their other words (befriending, volunteers) without it.
    const isolation = [
      document('own-1', { title: 'Social isolation in older people', abstract: 'Befriending volunteers visited people living alone every week.', year: 2021 }),
      document('own-2', { title: 'Isolation after stroke', abstract: 'Befriending volunteers and peer support for survivors living alone.', year: 2019 }),
      document('own-3', { title: 'Befriending volunteers and isolation', abstract: 'Volunteers telephoned people living alone.', year: 2012 }),
      document('related-1', { title: 'Befriending volunteers for carers', abstract: 'Volunteers visited carers living alone.', year: 2020 }),
      document('related-2', { title: 'Training befriending volunteers', abstract: 'A course for volunteers.', year: 2018 }),
      document('unrelated', { title: 'Hip fractures after falls', abstract: 'Surgery within a day.', year: 2020 }),
    ];
    const isolationTexts = new Map(isolation.map((entry) => [entry.id as string, `${entry.title} ${entry.abstract}`]));
    const buildIsolation = () => {
      const index = new InMemoryEvidenceIndex(async (wanted) => new Map(wanted.map((id) => [id as string, isolationTexts.get(id) ?? ''])));
      index.upsert(isolation);
      return index;
    };

    it('says how many hold the words, marks the related hits, and leaves the ranking and total as they were', async () => {
      const index = buildIsolation();
      const widened = await index.search({ text: 'isolation', limit: 10, expand: true });
      expect(widened.total).toBe(5);
      expect(widened.matching).toBe(3);
      expect(widened.expandedWith).toEqual(expect.arrayContaining(['befriending', 'volunteers']));
      const related = new Set(widened.hits.filter((hit) => hit.isRelated).map((hit) => hit.id));
      expect(related).toEqual(new Set(['related-1', 'related-2']));
      // A page further on knows its related hits too, and the count does not depend on the page.
      const second = await index.search({ text: 'isolation', limit: 2, offset: 3, expand: true });
      expect(second.hits.map((hit) => [hit.id, hit.isRelated])).toEqual(widened.hits.slice(3, 5).map((hit) => [hit.id, hit.isRelated]));
      expect(second.matching).toBe(3);
    });

    it('counts under the same filters, with prefixes, and equals the total when not widened or with a phrase', async () => {
      const index = buildIsolation();
      expect(await index.search({ text: 'isolation', limit: 10, expand: true, filters: { yearFrom: 2015 } })).toMatchObject({ total: 4, matching: 2 });
      expect(await index.search({ text: 'isol*', limit: 10, expand: true })).toMatchObject({ total: 5, matching: 3 });
      const plain = await index.search({ text: 'isolation', limit: 10 });
      expect(plain).toMatchObject({ total: 3, matching: 3, expandedWith: [] });
      expect(plain.hits.every((hit) => hit.isRelated === false)).toBe(true);
      // Every record a phrase search finds holds the phrase's words, widened or not.
      const phrase = await index.search({ text: '"social isolation"', limit: 10, expand: true });
      expect(phrase).toMatchObject({ total: 1, matching: 1 });
    });
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

  it('reads each field\'s frequencies from a posting, and levels beyond 7 in filters', async () => {
    const index = new InMemoryEvidenceIndex();
    index.upsert([document('levelled', { title: 'Sleep hygiene', keywords: ['sleep'], level: 9 }), document('plain', { title: 'Sleep', level: 2 })]);
    const result = await index.search({ text: 'sleep', limit: 5, explain: true, filters: { levels: [9] } });
    expect(result.hits.map((hit) => hit.id)).toEqual(['levelled']);
    expect(result.hits[0]?.explanation?.terms).toEqual([{ term: 'sleep', score: expect.any(Number), fields: ['title', 'keywords'] }]);
  });
});

/** A deterministic generator (mulberry32), so the documents below are the same on every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
  return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
};
const vocabulary = 'falls fracture hip exercise balance frailty dementia delirium sleep loneliness befriending carer stroke diabetes insulin obesity smoking alcohol asthma copd vaccine influenza pain opioid anxiety depression therapy housing poverty school'.split(' ');
/** Documents of very different lengths, so that updates and deletes move the average field lengths. */
const randomDocuments = (seed: number, count: number, prefix = 'doc', longAbstracts = false): IndexedDocument[] => {
  const next = random(seed);
  const words = (length: number) => Array.from({ length }, () => vocabulary[Math.floor(next() * next() * vocabulary.length)] ?? 'care').join(' ');
  return Array.from({ length: count }, (_, number) =>
    document(`${prefix}-${number}`, {
      title: words(2 + Math.floor(next() * 12)),
      abstract: words(Math.floor(next() * (longAbstracts ? 400 : 120))),
      keywords: next() < 0.4 ? [words(1 + Math.floor(next() * 3))] : [],
      year: 1995 + Math.floor(next() * 30),
      level: 1 + Math.floor(next() * 6),
      design: next() < 0.3 ? 'rct' : 'cohort',
    }),
  );
};
const queries = ['falls hip fracture', 'sleep dementia delirium carer', 'befriending loneliness', 'vaccine influenza asthma copd smoking', 'pain opioid therapy anxiety depression housing'];
const searchVariants: Partial<Parameters<InMemoryEvidenceIndex['search']>[0]>[] = [
  {},
  { filters: { designs: ['rct'], yearFrom: 2005 } },
  { boosts: { evidenceLevel: true, recency: true, currentYear: 2026 } },
];
/** Rankings of a few queries: ids and scores of the top 30, and the totals. */
const rankings = async (index: InMemoryEvidenceIndex) => {
  const found = [];
  for (const text of queries) {
    for (const variant of searchVariants) {
      // eslint-disable-next-line no-await-in-loop -- query by query
      const result = await index.search({ text, limit: 30, ...variant });
      found.push({ text, total: result.total, hits: result.hits.map((hit) => ({ id: hit.id, score: hit.score })) });
    }
  }
  return found;
};
const expectSameRankings = (actual: Awaited<ReturnType<typeof rankings>>, expected: Awaited<ReturnType<typeof rankings>>) => {
  expect(actual.map((entry) => [entry.text, entry.total, entry.hits.map((hit) => hit.id)])).toEqual(expected.map((entry) => [entry.text, entry.total, entry.hits.map((hit) => hit.id)]));
  actual.forEach((entry, position) => {
    entry.hits.forEach((hit, rank) => {
      expect(hit.score).toBeCloseTo(expected[position]?.hits[rank]?.score ?? Number.NaN, 4);
    });
  });
};

describe('InMemoryEvidenceIndex impacts', () => {
  it('ranks as an index built from scratch after updates, deletes and additions that move the average lengths', async () => {
    // normDrift 0: every change that moves an average recomputes the norms, so the rankings must match exactly.
    const incremental = new InMemoryEvidenceIndex(undefined, { normDrift: 0 });
    const initial = randomDocuments(1, 1200);
    incremental.upsert(initial);
    const replacements = new Map(randomDocuments(2, 950, 'doc', true).map((entry) => [entry.id as string, entry]));
    const added = randomDocuments(3, 40, 'new');
    // Searches in between bring impacts up to date, so later changes must make them stale again.
    await rankings(incremental);
    incremental.remove(initial.slice(0, 50).map((entry) => entry.id));
    incremental.upsert(added.slice(0, 20));
    await rankings(incremental);
    const updates = [...replacements.values()].map((entry, number) => ({ ...entry, id: initial[50 + number]?.id ?? entry.id }));
    for (let start = 0; start < updates.length; start += 50) {
      incremental.upsert(updates.slice(start, start + 50));
      if (start % 200 === 0) {
        // eslint-disable-next-line no-await-in-loop -- interleaved with the changes on purpose
        await rankings(incremental);
      }
    }
    incremental.upsert(added.slice(20));
    // 1,000 documents replaced or removed: removed documents have been swept out, so idf counts only live ones.
    const final = [...updates, ...initial.slice(1000), ...added];
    expect(incremental.size()).toBe(final.length);
    const scratch = new InMemoryEvidenceIndex();
    scratch.upsert(final);
    expectSameRankings(await rankings(incremental), await rankings(scratch));
  });

  it('recomputes impacts when deletes move an average length beyond the drift allowed', async () => {
    const documents = [...randomDocuments(4, 300, 'short'), ...randomDocuments(5, 300, 'long', true)];
    const index = new InMemoryEvidenceIndex();
    index.upsert(documents);
    await index.search({ text: 'falls', limit: 10 });
    index.remove(documents.filter((entry) => entry.id.startsWith('long')).map((entry) => entry.id));
    const scratch = new InMemoryEvidenceIndex();
    scratch.upsert(documents.filter((entry) => entry.id.startsWith('short')));
    for (const text of ['falls', 'dementia', 'housing']) {
      // One term: the order depends on the impacts alone (idf, which still counts removed documents, scales every score alike).
      // eslint-disable-next-line no-await-in-loop -- query by query
      const [left, right] = await Promise.all([index.search({ text, limit: 50 }), scratch.search({ text, limit: 50 })]);
      expect(left.hits.map((hit) => hit.id)).toEqual(right.hits.map((hit) => hit.id));
      const ratios = left.hits.map((hit, rank) => hit.score / (right.hits[rank]?.score ?? Number.NaN));
      for (const ratio of ratios) {
        expect(ratio).toBeCloseTo(ratios[0] ?? Number.NaN, 5);
      }
    }
  });

  it('keeps the norms of a few small changes within the drift allowed, and recomputes them for a batch', async () => {
    const documents = randomDocuments(6, 500);
    const index = new InMemoryEvidenceIndex();
    index.upsert(documents);
    const scratch = new InMemoryEvidenceIndex();
    scratch.upsert(documents);
    const single = async (of: InMemoryEvidenceIndex) => new Map((await of.search({ text: 'falls', limit: 500 })).hits.map((hit) => [hit.id as string, hit.score]));
    const before = await single(scratch);
    // One longer document moves the averages by well under 2%: the norms stay, so for a one-term
    // query every other document's score changes only by the idf's factor (one more document).
    index.upsert([{ ...document('extra'), title: 'falls', abstract: 'hip '.repeat(30) }]);
    const after = await single(index);
    const ratios = [...before].map(([id, score]) => (after.get(id) ?? Number.NaN) / score);
    expect(ratios.length).toBeGreaterThan(100);
    for (const ratio of ratios) {
      expect(ratio).toBeCloseTo(ratios[0] ?? Number.NaN, 6);
    }
    // A batch of more than 100 always recomputes: the same as from scratch.
    const batch = randomDocuments(7, 150, 'batch', true);
    index.upsert(batch);
    const rebuilt = new InMemoryEvidenceIndex();
    rebuilt.upsert([...documents, { ...document('extra'), title: 'falls', abstract: 'hip '.repeat(30) }, ...batch]);
    expectSameRankings(await rankings(index), await rankings(rebuilt));
  });

  it('skips common terms (MaxScore) without changing the top results or the totals', async () => {
    const index = new InMemoryEvidenceIndex();
    index.upsert(randomDocuments(8, 3000));
    // Small blocks, so that skipping starts early and spans many blocks; terms in a tenth of the documents may be skipped.
    Object.assign(index.tuning, { block: 64, bitmapShare: 0.1 });
    const next = random(9);
    const texts = Array.from({ length: 40 }, () => Array.from({ length: 2 + Math.floor(next() * 40) }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(' '));
    const compare = async () => {
      for (const text of texts) {
        for (const extra of [{ limit: 10 }, { limit: 3, offset: 2 }, { limit: 10, boosts: { evidenceLevel: true, recency: true, currentYear: 2026 } }]) {
          index.tuning.prune = true;
          // eslint-disable-next-line no-await-in-loop -- the two ways, query by query
          const pruned = await index.search({ text, ...extra });
          index.tuning.prune = false;
          // eslint-disable-next-line no-await-in-loop -- as above
          const exhaustive = await index.search({ text, ...extra });
          expect(pruned.total).toBe(exhaustive.total);
          expect(pruned.hits.map((hit) => hit.id)).toEqual(exhaustive.hits.map((hit) => hit.id));
          pruned.hits.forEach((hit, rank) => expect(hit.score).toBeCloseTo(exhaustive.hits[rank]?.score ?? Number.NaN, 4));
        }
      }
    };
    await compare();
    // Bitmaps built by those queries must follow additions (documents found only through the most
    // common terms are counted from the bitmaps alone), updates and removals (and their sweep).
    index.upsert(Array.from({ length: 50 }, (_, number) => document(`common-${number}`, { title: vocabulary.slice(0, 1 + (number % 3)).join(' ') })));
    await compare();
    index.upsert(randomDocuments(10, 60, 'late', true));
    index.upsert(randomDocuments(11, 40, 'doc'));
    index.remove(Array.from({ length: 1100 }, (_, number) => `doc-${number + 100}` as RecordId));
    index.upsert(randomDocuments(12, 5000, 'more'));
    await compare();
  });
});

