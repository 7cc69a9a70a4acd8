import type { LibraryId, RecordId, ThemeId } from '../shared/ids.js';
import type { StudyDesign } from './classify.js';

/** What the evidence index holds of a record: the searchable text and the filterable facts. */
export interface IndexedDocument {
  id: RecordId;
  libraryId: LibraryId;
  title: string;
  abstract: string;
  /** Keywords and MeSH headings: one BM25F field. */
  keywords: string[];
  year: number | undefined;
  design: StudyDesign;
  level: number | undefined;
  /**
   * The record's research themes, for the theme filter. The database feed always fills it; documents
   * built elsewhere (evaluation collections, benchmark corpora) have none, so it may be left out.
   */
  themeIds?: readonly ThemeId[] | undefined;
}

export interface SearchFilters {
  yearFrom?: number | undefined;
  yearTo?: number | undefined;
  designs?: readonly StudyDesign[] | undefined;
  levels?: readonly number[] | undefined;
  libraryIds?: readonly LibraryId[] | undefined;
  /** Documents tagged with any of these themes. */
  themeIds?: readonly ThemeId[] | undefined;
  /**
   * Only these records. The search service turns a theme filter into this set (themes change without
   * the text changing, so the index itself keeps no themes); other callers may restrict a search too.
   */
  recordIds?: ReadonlySet<string> | undefined;
}

export interface SearchOptions {
  /** Free text; "quoted phrases" must appear as written; `prefix*` matches words starting so. */
  text: string;
  filters?: SearchFilters;
  limit: number;
  offset?: number;
  /** Boost higher evidence levels and recent years (on by default in the product, off for evaluation). */
  boosts?: { evidenceLevel: boolean; recency: boolean; currentYear: number };
  /** Pseudo-relevance feedback (RM3): expand the query with terms from the top documents. */
  expand?: boolean;
  explain?: boolean;
}

export interface SearchExplanation {
  /** Matched query terms (as the user wrote them, before stemming) and what each contributed. */
  terms: { term: string; score: number; fields: ('title' | 'abstract' | 'keywords')[] }[];
  boosts: { evidenceLevel: number; recency: number };
  expandedWith: string[];
}

export interface SearchHit {
  id: RecordId;
  score: number;
  /**
   * True when the record holds none of the query's own words (nor their prefix expansions): only the
   * widening (RM3) found it. Absent or false for every hit of a query that was not widened.
   */
  isRelated?: boolean;
  explanation?: SearchExplanation;
}

export interface SearchResult {
  hits: SearchHit[];
  /**
   * Documents matching the query and filters (phrase matches are verified; see the index). When the
   * query was widened (RM3), this counts the documents matching any of the added words too.
   */
  total: number;
  /**
   * Of `total`, the documents holding the query's own words (with their prefix expansions and
   * phrases) under the same filters; `total - matching` are the related ones only the widening found.
   * The same as `total` when the query was not widened.
   */
  matching: number;
  /** The words the query was widened with, as they appear in the top documents (empty when not widened). */
  expandedWith: string[];
  /** The query's own terms after normalisation (not those added by expansion), for highlighting. */
  terms: string[];
}

/** The in-process evidence index (DESIGN.md): BM25F over title, abstract and keywords/MeSH. */
export interface EvidenceIndex {
  upsert(documents: readonly IndexedDocument[]): void;
  remove(ids: readonly RecordId[]): void;
  search(options: SearchOptions): Promise<SearchResult>;
  size(): number;
}
