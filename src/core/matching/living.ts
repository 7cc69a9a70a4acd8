import { assertThat } from '../shared/errors.js';
import type { NeedId, RecordId, UserId } from '../shared/ids.js';
import type { Actor } from '../accounts/roles.js';
import { boostsFor, type SearchRanking } from '../evidence/search-defaults.js';
import type { SearchFilters, SearchOptions, SearchResult } from '../evidence/search.js';
import { resolveThemes } from '../evidence/themes.js';
import type { EvidenceStore } from '../evidence/ports.js';
import type { RecordTheme } from '../evidence/types.js';
import type { NeedEventPublisher, NeedStore } from '../needs/ports.js';
import type { Need } from '../needs/types.js';
import { needQueryText } from './matching.js';

/** A search kept alive: a need's own (its question), or one a user saved. */
export interface SavedSearch {
  id: string;
  ownerId: UserId;
  needId: NeedId | undefined;
  name: string;
  query: string;
  /** The filters as saved (a need's own search has none). */
  filters: SearchFilters;
  /** How its matches are ranked, as on the search page: `boosted` (the default) or `plain` BM25F. */
  ranking: SearchRanking;
  /**
   * The themes of the saved theme filter that still exist, by name. A theme deleted since the search
   * was saved is missing here, and its part of the filter falls away (see `activeFilters`).
   */
  themes: RecordTheme[];
  wantsEmail: boolean;
}

/**
 * The filters a saved search runs with: its theme filter keeps only the themes that still exist. When
 * every theme it was saved with has been deleted, the theme filter falls away and the search covers
 * every theme (rather than matching nothing for ever).
 */
export const activeFilters = (saved: Pick<SavedSearch, 'filters' | 'themes'>): SearchFilters => {
  const savedIds = saved.filters.themeIds ?? [];
  if (savedIds.length === 0) {
    return saved.filters;
  }
  const existing = new Set<string>(saved.themes.map((theme) => theme.id));
  const kept = savedIds.filter((id) => existing.has(id));
  return { ...saved.filters, themeIds: kept.length > 0 ? kept : undefined };
};

/** How many of the themes a search was saved with have since been deleted (and no longer filter it). */
export const deletedThemeCount = (saved: Pick<SavedSearch, 'filters' | 'themes'>): number => {
  const existing = new Set<string>(saved.themes.map((theme) => theme.id));
  return new Set((saved.filters.themeIds ?? []).filter((id) => !existing.has(id))).size;
};

export interface Alert {
  id: string;
  savedSearch: { id: string; name: string; needId: NeedId | undefined };
  record: { id: RecordId; title: string; year: number | undefined };
  createdAt: Date;
  seenAt: Date | undefined;
}

/** How many of a search's best matches are watched: a record entering them is news. */
export const WATCHED_MATCHES = 10;
const OPEN_STATUSES: readonly Need['status'][] = ['submitted', 'triaged', 'in_progress', 'delivered'];

export interface LivingStore extends Pick<EvidenceStore, 'findThemes'> {
  /** Every need search of a need still open or delivered, and every user's saved search. */
  listActiveSearches(): Promise<SavedSearch[]>;
  upsertNeedSearch(input: { needId: NeedId; ownerId: UserId; name: string; query: string }): Promise<{ search: SavedSearch; isNew: boolean; queryChanged: boolean }>;
  insertSavedSearch(input: { ownerId: UserId; name: string; query: string; filters: SearchFilters; ranking: SearchRanking; wantsEmail: boolean }): Promise<SavedSearch>;
  listSavedSearches(ownerId: UserId): Promise<SavedSearch[]>;
  deleteSavedSearch(ownerId: UserId, id: string): Promise<boolean>;
  /**
   * Adds matches not seen before for this search and alerts the followers about those in
   * `alertable`. Returns the alerted records. Safe with several nodes: a match is recorded (and
   * alerted) once.
   */
  recordMatches(searchId: string, matches: readonly { recordId: RecordId; score: number }[], followers: readonly UserId[], alertable: ReadonlySet<string>): Promise<RecordId[]>;
  listAlerts(userId: UserId, options: { limit: number; unseenOnly: boolean }): Promise<Alert[]>;
  countUnseen(userId: UserId): Promise<number>;
  markSeen(userId: UserId): Promise<void>;
}

/** Chooses which searches a change might affect (DESIGN.md: a percolator, not a query per search). */
export interface Percolator {
  candidates(searches: readonly SavedSearch[], changed: readonly RecordId[]): Promise<SavedSearch[]>;
}

export interface LivingDeps {
  store: LivingStore;
  needs: NeedStore;
  search: { search(options: SearchOptions): Promise<SearchResult> };
  percolator: Percolator;
  publisher: NeedEventPublisher;
  titles: (ids: readonly RecordId[]) => Promise<Map<string, string>>;
  currentYear: () => number;
  expand: boolean;
}

/**
 * Living needs (issue #4): a need is met with evidence when it is asked and again whenever new
 * evidence arrives. Each open need and saved search watches its best matches; records entering
 * them are pushed to open need pages and listed as alerts for the requester and fellows (or the
 * search's owner).
 */
export const createLivingEvidence = ({ store, needs, search, percolator, publisher, titles, currentYear, expand }: LivingDeps) => {
  const topMatches = async (saved: Pick<SavedSearch, 'query' | 'filters' | 'themes' | 'ranking'>) =>
    (
      await search.search({
        text: saved.query,
        filters: activeFilters(saved),
        limit: WATCHED_MATCHES,
        boosts: boostsFor(saved.ranking, currentYear()),
        expand,
      })
    ).hits.map((hit) => ({
      recordId: hit.id,
      score: hit.score,
    }));

  const followersOf = async (saved: SavedSearch): Promise<UserId[]> => {
    if (!saved.needId) {
      return [saved.ownerId];
    }
    const need = await needs.findNeed(saved.needId);
    if (!need) {
      return [];
    }
    return [...new Set([...(need.requester ? [need.requester.id] : []), ...need.fellows.map((fellow) => fellow.id)])];
  };

  /**
   * Records whose refresh has been called on this node and has not finished, with how many such
   * refreshes there are. The index announces a change (`onChange`) in the same tick as it makes the
   * records searchable, so any record a search here can see whose change is still to be refreshed
   * is in this map.
   */
  const unrefreshed = new Map<string, number>();

  /**
   * Runs a search and stores its top matches as seen; stored records never alert again (so a record
   * that drops out of the top ten and comes back is not news, and neither is one already there when
   * the search was saved or its need's question last changed: `changed` is then `undefined`, a baseline).
   *
   * On a refresh, only the records that have just changed can be news. Adding records also shifts
   * scores a little (term statistics, query expansion), so an older record may cross into the best
   * matches: that is stored silently, never alerted. But a record another refresh has yet to finish
   * with is not an older record: refreshes run in the background and overlap, and one that stored a
   * record indexed while it ran would have taken that record's alert from the refresh coming for it
   * (that refresh, on this node or any other, would then find it seen). Such records are left for
   * their own refresh, which stores and alerts them. Storing is idempotent across nodes (the
   * repository's insert: only the first to store a match gets it back and alerts), so each node
   * leaving them to its own refresh still alerts once.
   */
  const run = async (saved: SavedSearch, changed: ReadonlySet<string> | undefined): Promise<RecordId[]> => {
    const top = await topMatches(saved);
    const followers = await followersOf(saved);
    const matches = changed ? top.filter((match) => changed.has(match.recordId) || !unrefreshed.has(match.recordId)) : top;
    const added = await store.recordMatches(saved.id, matches, followers, changed ?? new Set());
    if (added.length > 0 && saved.needId) {
      const names = await titles(added);
      publisher.publish({ type: 'matches', needId: saved.needId, records: added.map((id) => ({ id, title: names.get(id) ?? '' })) });
    }
    return added;
  };

  /**
   * Keeps a need's living search in step with its text; its current matches are the baseline,
   * so only evidence arriving later alerts anyone.
   */
  const watchNeed = async (need: Need): Promise<void> => {
    if (!OPEN_STATUSES.includes(need.status)) {
      return;
    }
    const { search: saved, isNew, queryChanged } = await store.upsertNeedSearch({
      needId: need.id,
      ownerId: need.requester?.id ?? need.createdBy.id,
      name: `${need.reference}: ${need.title}`,
      query: needQueryText(need),
    });
    if (isNew || queryChanged) {
      await run(saved, undefined);
    }
  };

  /**
   * After records change: re-runs the searches they might affect, and alerts on new matches. Called
   * in the same tick as this node's index makes the records searchable (the index's `onChange`), so
   * that no refresh already running can see them before they are marked as `unrefreshed`.
   */
  const refresh = async (changed: readonly RecordId[]): Promise<{ searches: number; rerun: number; newMatches: number }> => {
    // Registered before the first await, so that overlapping refreshes leave these records to this one.
    const changedSet = new Set<string>(changed);
    for (const id of changedSet) {
      unrefreshed.set(id, (unrefreshed.get(id) ?? 0) + 1);
    }
    try {
      const active = await store.listActiveSearches();
      const candidates = await percolator.candidates(active, changed);
      let newMatches = 0;
      for (const saved of candidates) {
        // eslint-disable-next-line no-await-in-loop -- searches run one at a time so a large import does not flood the database
        newMatches += (await run(saved, changedSet)).length;
      }
      return { searches: active.length, rerun: candidates.length, newMatches };
    } finally {
      for (const id of changedSet) {
        const count = (unrefreshed.get(id) ?? 1) - 1;
        if (count > 0) {
          unrefreshed.set(id, count);
        } else {
          unrefreshed.delete(id);
        }
      }
    }
  };

  /**
   * Saves a search with its filters and ranking (boosted unless said); a theme filter must name
   * themes that exist (`validation.failed` on `themeIds`).
   */
  const saveSearch = async (actor: Actor, input: { name: string; query: string; filters: SearchFilters; ranking?: SearchRanking | undefined; wantsEmail: boolean }): Promise<SavedSearch> => {
    const themes = await resolveThemes(store, input.filters.themeIds ?? []);
    const filters: SearchFilters = { ...input.filters, themeIds: themes.length > 0 ? themes.map((theme) => theme.id) : undefined, recordIds: undefined };
    const saved = await store.insertSavedSearch({ ownerId: actor.userId, ...input, filters, ranking: input.ranking ?? 'boosted' });
    await run(saved, undefined);
    return saved;
  };

  const deleteSavedSearch = async (actor: Actor, id: string): Promise<void> => {
    assertThat(await store.deleteSavedSearch(actor.userId, id), 'search.not_found', 'No such saved search');
  };

  return {
    watchNeed,
    refresh,
    saveSearch,
    deleteSavedSearch,
    listSavedSearches: (actor: Actor) => store.listSavedSearches(actor.userId),
    listAlerts: (actor: Actor, options: { limit: number; unseenOnly: boolean } = { limit: 100, unseenOnly: false }) => store.listAlerts(actor.userId, options),
    countUnseen: (actor: Actor) => store.countUnseen(actor.userId),
    markSeen: (actor: Actor) => store.markSeen(actor.userId),
  };
};

export type LivingEvidence = ReturnType<typeof createLivingEvidence>;
