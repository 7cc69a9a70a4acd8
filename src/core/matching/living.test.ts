import { describe, expect, it } from 'vitest';
import type { SearchOptions } from '../evidence/search.js';
import type { RecordTheme } from '../evidence/types.js';
import type { NeedLiveEvent } from '../needs/types.js';
import type { NeedStore } from '../needs/ports.js';
import type { NeedId, RecordId, ThemeId, UserId } from '../shared/ids.js';
import { WATCHED_MATCHES, activeFilters, createLivingEvidence, deletedThemeCount, type LivingStore, type SavedSearch } from './living.js';

const carers: RecordTheme = { id: '5d1f0c2a-7a55-4c1e-9d0e-3b6f2a9c0001' as ThemeId, name: 'Carers' };
const falls: RecordTheme = { id: '5d1f0c2a-7a55-4c1e-9d0e-3b6f2a9c0002' as ThemeId, name: 'Falls prevention' };

describe('activeFilters and deletedThemeCount (a saved search’s theme filter)', () => {
  it('keeps a search without a theme filter as it was saved', () => {
    const saved = { filters: { yearFrom: 2015, designs: ['rct'] as const }, themes: [] };
    expect(activeFilters(saved)).toBe(saved.filters);
    expect(deletedThemeCount(saved)).toBe(0);
  });

  it('filters by the saved themes while they exist', () => {
    const saved = { filters: { yearFrom: 2015, themeIds: [carers.id, falls.id] }, themes: [carers, falls] };
    expect(activeFilters(saved)).toEqual({ yearFrom: 2015, themeIds: [carers.id, falls.id] });
    expect(deletedThemeCount(saved)).toBe(0);
  });

  it('drops a deleted theme from the filter and keeps the rest', () => {
    const saved = { filters: { themeIds: [carers.id, falls.id] }, themes: [falls] };
    expect(activeFilters(saved).themeIds).toEqual([falls.id]);
    expect(deletedThemeCount(saved)).toBe(1);
  });

  it('lets the theme filter fall away, keeping the other filters, once every theme is deleted', () => {
    const saved = { filters: { yearTo: 2024, themeIds: [carers.id] }, themes: [] };
    expect(activeFilters(saved)).toEqual({ yearTo: 2024, themeIds: undefined });
    expect(deletedThemeCount(saved)).toBe(1);
  });
});

/** A promise settled from outside, to hold a refresh at a chosen point. */
const deferred = () => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
};

const rid = (label: string) => `00000000-0000-4000-8000-${label.padStart(12, '0')}` as RecordId;
const owner = 'owner' as UserId;
const requester = 'requester' as UserId;
const fellowId = 'fellow' as UserId;
const userSearch: SavedSearch = { id: 'user-search', ownerId: owner, needId: undefined, name: 'Sensory gardens', query: 'sensory gardens', filters: {}, ranking: 'boosted', themes: [], wantsEmail: false };
const needSearch: SavedSearch = { id: 'need-search', ownerId: requester, needId: 'need-1' as NeedId, name: 'N-1: Day centres', query: 'day centres', filters: {}, ranking: 'boosted', themes: [], wantsEmail: false };

/**
 * One app node around an in-memory store that behaves like the repository: a match is stored once
 * per search (the first caller gets it back), and only stored matches in `alertable` alert. Its
 * index is `visible`, searched when a search runs; a refresh can be held in the percolator until
 * its gate opens, to interleave two refreshes.
 */
const buildNode = (searches: readonly SavedSearch[], store = { seen: new Map<string, Set<string>>(), alerts: [] as { userId: UserId; searchId: string; recordId: RecordId }[] }) => {
  const visible: RecordId[] = [];
  const gates = new Map<string, Promise<void>>();
  const published: NeedLiveEvent[] = [];
  /** What each search asked the index. */
  const asked: SearchOptions[] = [];
  const livingStore = {
    listActiveSearches: () => Promise.resolve([...searches]),
    recordMatches: (searchId: string, matches: readonly { recordId: RecordId; score: number }[], followers: readonly UserId[], alertable: ReadonlySet<string>) => {
      const seen = store.seen.get(searchId) ?? new Set<string>();
      store.seen.set(searchId, seen);
      const added = matches.map((match) => match.recordId).filter((id) => !seen.has(id));
      for (const id of added) {
        seen.add(id);
      }
      const alerted = added.filter((id) => alertable.has(id));
      for (const recordId of alerted) {
        for (const userId of followers) {
          store.alerts.push({ userId, searchId, recordId });
        }
      }
      return Promise.resolve(alerted);
    },
  } as unknown as LivingStore;
  const needs = {
    findNeed: () => Promise.resolve({ requester: { id: requester }, fellows: [{ id: fellowId }] }),
  } as unknown as NeedStore;
  const living = createLivingEvidence({
    store: livingStore,
    needs,
    // The index as it is when the search runs, best first.
    search: {
      search: (options) => {
        asked.push(options);
        return Promise.resolve({ hits: visible.slice(0, WATCHED_MATCHES).map((id, index) => ({ id, score: 100 - index })), total: visible.length, matching: visible.length, expandedWith: [], terms: [] });
      },
    },
    percolator: {
      candidates: async (all, changed) => {
        await gates.get(changed[0] ?? '');
        return [...all];
      },
    },
    publisher: { publish: (event) => published.push(event) },
    titles: (ids) => Promise.resolve(new Map(ids.map((id) => [id as string, `Title ${id}`]))),
    currentYear: () => 2025,
    expand: false,
  });
  /** Holds the refresh for `id` in the percolator; returns what lets it go on. */
  const hold = (id: RecordId) => {
    const gate = deferred();
    gates.set(id, gate.promise);
    return gate.resolve;
  };
  return { living, visible, store, published, hold, asked };
};

const alertsOf = (store: ReturnType<typeof buildNode>['store'], searchId: string, userId: UserId) =>
  store.alerts.filter((alert) => alert.searchId === searchId && alert.userId === userId).map((alert) => alert.recordId);

describe('refresh (living needs and saved searches) when records arrive while a refresh runs', () => {
  const older = rid('1');
  const first = rid('2');
  const second = rid('3');

  it.each([
    ['a saved search', userSearch, [owner]],
    ['an open need', needSearch, [requester, fellowId]],
  ] as const)('alerts %s on a record that an earlier, still running refresh already saw', async (_kind, saved, followers) => {
    const node = buildNode([saved]);
    node.visible.push(older);
    node.store.seen.set(saved.id, new Set([older]));
    // The first change is indexed and its refresh starts, but is held before it runs the search.
    node.visible.unshift(first);
    const releaseFirst = node.hold(first);
    const firstRefresh = node.living.refresh([first]);
    // The second record is indexed (the index announces it at once) before the first refresh searches.
    node.visible.unshift(second);
    const releaseSecond = node.hold(second);
    const secondRefresh = node.living.refresh([second]);
    // The first refresh runs to the end and sees both new records in the top ten...
    releaseFirst();
    await firstRefresh;
    // ...and only then does the second one run.
    releaseSecond();
    await secondRefresh;

    for (const userId of followers) {
      expect(alertsOf(node.store, saved.id, userId).sort()).toEqual([first, second].sort());
    }
    if (saved.needId) {
      expect(node.published.flatMap((event) => (event.type === 'matches' ? event.records.map((record) => record.id) : [])).sort()).toEqual([first, second].sort());
    }
  });

  it('alerts once when the later refresh finishes first, and once across two nodes', async () => {
    const shared = { seen: new Map<string, Set<string>>([[userSearch.id, new Set([older])]]), alerts: [] as { userId: UserId; searchId: string; recordId: RecordId }[] };
    const one = buildNode([userSearch], shared);
    const two = buildNode([userSearch], shared);
    for (const node of [one, two]) {
      node.visible.push(second, first, older);
    }
    const releaseFirst = one.hold(first);
    const firstOnOne = one.living.refresh([first]);
    await one.living.refresh([second]);
    releaseFirst();
    await firstOnOne;
    await two.living.refresh([first]);
    await two.living.refresh([second]);
    expect(alertsOf(shared, userSearch.id, owner).sort()).toEqual([first, second].sort());
  });

  it('stores an older record that drifts into the top ten silently, and never alerts it later', async () => {
    const node = buildNode([userSearch]);
    node.store.seen.set(userSearch.id, new Set([older]));
    const drifted = rid('9');
    node.visible.push(first, older, drifted);
    await node.living.refresh([first]);
    expect(node.store.seen.get(userSearch.id)?.has(drifted)).toBe(true);
    // An edit to the drifted record (a theme, a keyword) is a change, but it was already in the top ten.
    await node.living.refresh([drifted]);
    expect(alertsOf(node.store, userSearch.id, owner)).toEqual([first]);
  });

  it('does not alert again on a record that drops out of the top ten and comes back', async () => {
    const node = buildNode([userSearch]);
    node.visible.push(first);
    await node.living.refresh([first]);
    node.visible.length = 0;
    node.visible.push(...Array.from({ length: WATCHED_MATCHES }, (_, index) => rid(`10${index}`)));
    await node.living.refresh([]);
    node.visible.length = 0;
    node.visible.push(first);
    await node.living.refresh([first]);
    expect(alertsOf(node.store, userSearch.id, owner)).toEqual([first]);
  });

  it('runs each saved search with the ranking it was saved with: boosted by default, BM25F alone when plain', async () => {
    const plainSearch: SavedSearch = { ...userSearch, id: 'plain-search', query: 'quiet rooms', ranking: 'plain' };
    const node = buildNode([userSearch, plainSearch]);
    node.visible.push(first);
    await node.living.refresh([first]);
    const boostsOf = (text: string) => node.asked.find((options) => options.text === text)?.boosts;
    expect(boostsOf('sensory gardens')).toEqual({ evidenceLevel: true, recency: true, currentYear: 2025 });
    expect(node.asked.some((options) => options.text === 'quiet rooms')).toBe(true);
    expect(boostsOf('quiet rooms')).toBeUndefined();
  });
});
