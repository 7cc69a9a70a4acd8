import type { SearchOptions } from './search.js';

/**
 * Product defaults for evidence search. Pseudo-relevance feedback (RM3) is measured by
 * `mobilise eval retrieval`; see docs/decisions for the figures behind this choice.
 */
export const DEFAULT_EXPAND = true;
export const SEARCH_PAGE_SIZE = 20;

/** How results are ordered: `boosted` (the product's default) or `plain` BM25F relevance alone. */
export type SearchRanking = 'boosted' | 'plain';

/**
 * The boosts a ranking asks the index for: higher evidence levels and recent work first when
 * boosted, none when plain. One definition, so a saved search alerts in the order its page showed.
 */
export const boostsFor = (ranking: SearchRanking, currentYear: number): SearchOptions['boosts'] =>
  ranking === 'plain' ? undefined : { evidenceLevel: true, recency: true, currentYear };
