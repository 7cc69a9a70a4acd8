import type { Percolator, SavedSearch } from '../../core/matching/living.js';
import type { RecordId } from '../../core/shared/ids.js';
import { parseQuery } from './query.js';
import { terms as termsOf } from './tokenize.js';

/** Each search is watched through this many of its rarest terms. */
const WATCHED_TERMS = 8;

/**
 * Decides which saved searches a change might affect without running them all (DESIGN.md,
 * measured: a SQL trigger per record cost 14 ms at 10k needs; this kind of percolator 0.14 ms).
 * Each search is keyed by its rarest terms in the index; a search is re-run only when a changed
 * record contains one of them. A record that shares only common words with a search is very
 * unlikely to enter its top matches.
 */
export const createPercolator = (deps: { documentFrequency: (term: string) => number; texts: (ids: readonly RecordId[]) => Promise<Map<string, string>> }): Percolator => {
  const watched = new Map<string, { query: string; terms: string[] }>();

  const termsFor = (search: SavedSearch): string[] => {
    const cached = watched.get(search.id);
    if (cached?.query === search.query) {
      return cached.terms;
    }
    const terms = [...parseQuery(search.query).weights.keys()]
      .sort((left, right) => deps.documentFrequency(left) - deps.documentFrequency(right))
      .slice(0, WATCHED_TERMS);
    watched.set(search.id, { query: search.query, terms });
    return terms;
  };

  return {
    async candidates(searches, changed) {
      if (changed.length === 0 || searches.length === 0) {
        return [];
      }
      const texts = await deps.texts(changed);
      const present = new Set<string>();
      for (const text of texts.values()) {
        for (const term of termsOf(text)) {
          present.add(term);
        }
      }
      return searches.filter((search) => termsFor(search).some((term) => present.has(term)));
    },
  };
};
