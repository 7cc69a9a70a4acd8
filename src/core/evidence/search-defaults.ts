/**
 * Product defaults for evidence search. Pseudo-relevance feedback (RM3) is measured by
 * `mobilise eval retrieval`; see docs/decisions for the figures behind this choice.
 */
export const DEFAULT_EXPAND = true;
export const SEARCH_PAGE_SIZE = 20;
