import type { Logger } from 'pino';
import type { EvidenceIndex, IndexedDocument, SearchOptions, SearchResult } from '../../core/evidence/search.js';
import type { RecordId } from '../../core/shared/ids.js';
import { comparePositions, startOfFeed, type FeedPosition, type IndexFeed } from '../db/index-feed-repo.js';
import { InMemoryEvidenceIndex } from './evidence-index.js';
import { loadSnapshot, saveSnapshot } from './snapshot.js';

export interface EvidenceSearchDeps {
  feed: IndexFeed;
  /** Where this node keeps its snapshot (each node has its own); none keeps the index in memory only. */
  snapshotPath?: string | undefined;
  /** Subscribes to change announcements from other nodes (PostgreSQL LISTEN); absent on PGlite. */
  listen?: ((onChange: () => void) => Promise<() => Promise<void>>) | undefined;
  /** A safety net when announcements are missed: check the change feed this often. */
  pollMs?: number;
  logger?: Logger | undefined;
}

const PAGE = 5000;

/**
 * Changes already committed can wait behind a write transaction still running elsewhere on the
 * server (see `FeedPosition`); their announcement has come and gone, so the node reads again after
 * this long, doubling up to the poll interval, until they are through.
 */
const HELD_BACK_RETRY_MS = 20;

/**
 * Which records carry which theme, kept beside the index: a theme filter becomes the set of records
 * tagged with any of the themes, which the index applies while it scores. Loaded once at start and
 * kept current from the same change feed (tagging a record appends it to the feed).
 */
const createThemeMembers = () => {
  const byTheme = new Map<string, Set<string>>();
  const byRecord = new Map<string, readonly string[]>();
  const untag = (recordId: string) => {
    for (const themeId of byRecord.get(recordId) ?? []) {
      byTheme.get(themeId)?.delete(recordId);
    }
    byRecord.delete(recordId);
  };
  const tag = (recordId: string, themeIds: readonly string[]) => {
    untag(recordId);
    if (themeIds.length === 0) {
      return;
    }
    byRecord.set(recordId, themeIds);
    for (const themeId of themeIds) {
      let members = byTheme.get(themeId);
      if (!members) {
        members = new Set();
        byTheme.set(themeId, members);
      }
      members.add(recordId);
    }
  };
  return {
    load(pairs: readonly { recordId: string; themeId: string }[]) {
      byTheme.clear();
      byRecord.clear();
      const grouped = new Map<string, string[]>();
      for (const { recordId, themeId } of pairs) {
        grouped.set(recordId, [...(grouped.get(recordId) ?? []), themeId]);
      }
      for (const [recordId, themeIds] of grouped) {
        tag(recordId, themeIds);
      }
    },
    apply(live: readonly IndexedDocument[], gone: readonly string[]) {
      for (const document of live) {
        tag(document.id, document.themeIds ?? []);
      }
      for (const recordId of gone) {
        untag(recordId);
      }
    },
    recordsOf(themeIds: readonly string[]): Set<string> {
      const records = new Set<string>();
      for (const themeId of themeIds) {
        for (const recordId of byTheme.get(themeId) ?? []) {
          records.add(recordId);
        }
      }
      return records;
    },
  };
};

/**
 * The node's replica of the evidence index (DESIGN.md): loaded from its snapshot and the changes
 * since, or built from the database; kept current from the change feed, which every write feeds
 * through a trigger. Catching up is single-flight: a call during a catch-up schedules one more.
 * The node's place in the feed is a `FeedPosition`, saved with its snapshot.
 */
export const createEvidenceSearch = ({ feed, snapshotPath, listen, pollMs = 5000, logger }: EvidenceSearchDeps) => {
  let index = new InMemoryEvidenceIndex(feed.texts);
  const themes = createThemeMembers();
  let position: FeedPosition = startOfFeed;
  /** The position of the last snapshot written or read, so unchanged indexes are not written again. */
  let savedPosition: FeedPosition | undefined;
  let starting: Promise<{ source: 'snapshot' | 'database'; records: number; ms: number }> | undefined;
  let catchingUp: Promise<void> | undefined;
  let isPending = false;
  let timer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryMs = HELD_BACK_RETRY_MS;
  let isStopped = false;
  let unlisten: (() => Promise<void>) | undefined;
  const listeners = new Set<(changed: RecordId[]) => void>();

  const build = async () => {
    const fresh = new InMemoryEvidenceIndex(feed.texts);
    // Changes during the build are applied afterwards from this point, so none is lost.
    const from = await feed.head();
    let after: string | undefined;
    for (;;) {
      // eslint-disable-next-line no-await-in-loop -- pages in id order
      const page = await feed.listDocuments(after, PAGE);
      fresh.upsert(page);
      if (page.length < PAGE) {
        break;
      }
      after = page.at(-1)?.id;
    }
    index = fresh;
    position = from;
  };

  const applyChanges = async () => {
    // Changes this node never applied were pruned from the feed: only a rebuild can catch up.
    if (comparePositions(position, await feed.prunedUpTo()) < 0) {
      logger?.warn({ position }, 'the change feed was pruned past this index: rebuilding it from the records');
      await build();
      themes.load(await feed.recordThemes());
      return;
    }
    for (;;) {
      // eslint-disable-next-line no-await-in-loop -- the feed is read in order
      const { ids, reached, isHeldBack } = await feed.changesSince(position, PAGE);
      if (ids.length === 0) {
        position = reached;
        scheduleRetry(isHeldBack);
        return;
      }
      // eslint-disable-next-line no-await-in-loop -- as above
      const { live, gone } = await feed.findDocuments(ids);
      index.upsert(live);
      index.remove(gone);
      themes.apply(live, gone);
      position = reached;
      for (const listener of listeners) {
        listener(ids as RecordId[]);
      }
    }
  };

  /** Reads the feed again soon while committed changes wait behind a running transaction, backing off. */
  const scheduleRetry = (isHeldBack: boolean) => {
    if (!isHeldBack) {
      retryMs = HELD_BACK_RETRY_MS;
      return;
    }
    if (retryTimer || isStopped) {
      return;
    }
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void catchUp().catch((error: unknown) => logger?.error({ err: error }, 'index catch-up failed'));
    }, retryMs);
    retryTimer.unref();
    retryMs = Math.min(2 * retryMs, Math.max(pollMs, HELD_BACK_RETRY_MS));
  };

  const catchUp = (): Promise<void> => {
    // Before start there is no index to keep current: start() reads everything anyway.
    if (!starting) {
      return Promise.resolve();
    }
    if (catchingUp) {
      isPending = true;
      return catchingUp;
    }
    catchingUp = (async () => {
      try {
        do {
          isPending = false;
          await applyChanges();
        } while (isPending);
      } finally {
        catchingUp = undefined;
      }
    })();
    return catchingUp;
  };

  const start = () =>
    (starting ??= (async () => {
      const started = performance.now();
      const snapshot = snapshotPath ? loadSnapshot(snapshotPath, feed.texts) : undefined;
      let source: 'snapshot' | 'database' = 'database';
      // A snapshot is usable when it is not ahead of the feed (another database) and not behind what was pruned.
      if (snapshot && comparePositions(snapshot.position, await feed.head()) <= 0 && comparePositions(snapshot.position, await feed.prunedUpTo()) >= 0) {
        index = snapshot.index;
        position = snapshot.position;
        savedPosition = snapshot.position;
        source = 'snapshot';
      } else {
        await build();
      }
      // Themes as they are now; the changes caught up next bring them (and the index) to the same point.
      themes.load(await feed.recordThemes());
      await catchUp();
      if (listen) {
        unlisten = await listen(() => {
          void catchUp().catch((error: unknown) => logger?.error({ err: error }, 'index catch-up failed'));
        });
      }
      if (pollMs > 0) {
        timer = setInterval(() => {
          void catchUp().catch((error: unknown) => logger?.error({ err: error }, 'index catch-up failed'));
        }, pollMs);
        timer.unref();
      }
      return { source, records: index.size(), ms: Math.round(performance.now() - started) };
    })());

  return {
    start,
    catchUp,
    /** Searches once the index is ready (the first call loads or builds it). */
    async search(options: SearchOptions): Promise<SearchResult> {
      await start();
      const themeIds = options.filters?.themeIds;
      if (!themeIds || themeIds.length === 0) {
        return index.search(options);
      }
      const tagged = themes.recordsOf(themeIds);
      const allowed = options.filters?.recordIds ? new Set([...tagged].filter((id) => options.filters?.recordIds?.has(id))) : tagged;
      return index.search({ ...options, filters: { ...options.filters, themeIds: undefined, recordIds: allowed } });
    },
    /** Called with the ids of records that changed, after the index has them. */
    onChange(listener: (changed: RecordId[]) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    index: (): EvidenceIndex => index,
    documentFrequency: (term: string): number => index.documentFrequency(term),
    /** Where this node is in the change feed: everything before it is in the index. */
    position: (): FeedPosition => position,
    /** Writes the snapshot if the index moved on since the last one (a periodic save keeps restarts fast). */
    saveSnapshot(): boolean {
      if (!snapshotPath || !starting || (savedPosition && comparePositions(position, savedPosition) === 0)) {
        return false;
      }
      saveSnapshot(index, snapshotPath, position);
      savedPosition = position;
      return true;
    },
    /** Deletes changes older than `days` days from the shared feed (any node may; nodes behind it rebuild). */
    pruneFeed: (days: number): Promise<number> => feed.prune(days),
    async stop(): Promise<void> {
      isStopped = true;
      clearInterval(timer);
      clearTimeout(retryTimer);
      await unlisten?.();
      if (starting && snapshotPath) {
        await starting;
        await catchingUp;
        saveSnapshot(index, snapshotPath, position);
      }
    },
  };
};

export type EvidenceSearch = ReturnType<typeof createEvidenceSearch>;
