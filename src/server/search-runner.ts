import type { Actor } from '../core/accounts/roles.js';
import { DEFAULT_EXPAND, boostsFor } from '../core/evidence/search-defaults.js';
import type { LibraryId, ThemeId } from '../core/shared/ids.js';
import { makeSnippet } from '../adapters/search/snippet.js';
import type { Services } from '../compose.js';
import type { SearchHitView } from '../web/pages/search/search-page.js';
import type { SearchQuery } from './evidence-query.js';

/**
 * Runs a search for a page or the API: filters, ranking options, snippets from each abstract. `themeId`
 * is the theme filter (`themeFilterQuery` in api/schemas.ts) that the search page and API add to the query.
 */
export const runSearch = async (
  services: Services,
  actor: Actor,
  query: SearchQuery & { q: string; themeId?: string | undefined },
): Promise<{ total: number; matching: number; expandedWith: string[]; hits: (SearchHitView & { isRelated: boolean })[] }> => {
  const result = await services.evidence.searchEvidence(actor, {
    text: query.q,
    limit: query.limit,
    offset: query.offset,
    filters: {
      yearFrom: query.yearFrom,
      yearTo: query.yearTo,
      designs: query.design ? [query.design] : undefined,
      levels: query.level ? [query.level] : undefined,
      libraryIds: query.library ? [query.library as LibraryId] : undefined,
      themeIds: query.themeId ? [query.themeId as ThemeId] : undefined,
    },
    boosts: boostsFor(query.rank, services.clock.now().getUTCFullYear()),
    expand: query.expand === undefined ? DEFAULT_EXPAND : query.expand === 'true',
    explain: query.explain !== 'false',
  });
  return {
    total: result.total,
    matching: result.matching,
    expandedWith: result.expandedWith,
    hits: toHitViews(
      result.hits.map(({ record, score, isRelated, explanation }) => ({ record, score, isRelated: isRelated ?? false, explanation })),
      result.terms,
    ),
  };
};

/** Search hits as the pages show them: with a snippet of each abstract marked with the query's terms. */
export const toHitViews = <Hit extends { record: SearchHitView['record']; score: number; explanation?: SearchHitView['explanation'] }>(hits: Hit[], terms: readonly string[]) => {
  const set = new Set(terms);
  return hits.map((hit) => ({ ...hit, snippet: makeSnippet(hit.record.abstract ?? '', set) }));
};
