import { createAccounts } from './core/accounts/accounts.js';
import type { PasswordHasher } from './core/accounts/ports.js';
import { createNeeds } from './core/needs/needs.js';
import { createTriage } from './core/needs/triage.js';
import { createDirectory } from './core/organisations/directory.js';
import { createEvidenceImport } from './core/evidence/import.js';
import { createEvidenceLibrary } from './core/evidence/library.js';
import { createReclassification } from './core/evidence/reclassify.js';
import { createEvidenceRepo } from './adapters/db/evidence-repo.js';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createBriefings } from './core/briefings/briefings.js';
import { templateLabels } from './core/briefings/templates.js';
import { createBriefingsRepo } from './adapters/db/briefings-repo.js';
import { referenceFormatter } from './adapters/documents/citations.js';
import { createReviews } from './core/reviews/reviews.js';
import { createExtraction } from './core/reviews/extraction.js';
import { createReviewsRepo } from './adapters/db/reviews-repo.js';
import { createScreeningRanker } from './adapters/screening/ranker.js';
import { createFileImport } from './adapters/formats/file-import.js';
import { createIndexFeedRepo } from './adapters/db/index-feed-repo.js';
import { createEvidenceSearch } from './adapters/search/evidence-search.js';
import { createNeedIndex } from './adapters/search/need-index.js';
import { createPeopleIndex } from './adapters/search/people-index.js';
import { createMatchingRepo } from './adapters/db/matching-repo.js';
import { createMatching } from './core/matching/matching.js';
import { createLivingEvidence } from './core/matching/living.js';
import { createLivingRepo } from './adapters/db/living-repo.js';
import { createPercolator } from './adapters/search/percolator.js';
import { createDigests, type Mailer } from './core/matching/digests.js';
import { createDigestsRepo } from './adapters/db/digests-repo.js';
import { DEFAULT_EXPAND } from './core/evidence/search-defaults.js';
import type { SearchOptions } from './core/evidence/search.js';
import type { LibraryId } from './core/shared/ids.js';
import type { Logger } from 'pino';
import type { Clock } from './core/shared/clock.js';
import { createAccountsRepo } from './adapters/db/accounts-repo.js';
import type { Database } from './adapters/db/database.js';
import { createNeedsRepo } from './adapters/db/needs-repo.js';
import { createOrganisationsRepo } from './adapters/db/organisations-repo.js';
import { openPglite } from './adapters/db/pglite.js';
import { openPostgres } from './adapters/db/postgres.js';
import { createScryptHasher } from './adapters/crypto/scrypt-hasher.js';
import { nodeSecrets } from './adapters/crypto/secrets.js';
import { createRelayedEventBus } from './adapters/events/relayed-bus.js';
import { createActivities } from './core/activities/activities.js';
import { createDashboard } from './core/dashboard/dashboard.js';
import { createFollowThrough } from './core/impact/follow-through.js';
import { createFollowups } from './core/impact/followups.js';
import { createImpact } from './core/impact/impact.js';
import { createActivitiesRepo } from './adapters/db/activities-repo.js';
import { createDashboardRepo } from './adapters/db/dashboard-repo.js';
import { createFollowupsRepo, createImpactRepo } from './adapters/db/impact-repo.js';

export const systemClock: Clock = { now: () => new Date() };

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite in `dataDir`. */
export const openDatabase = (options: { databaseUrl: string | undefined; dataDir: string | undefined; holder?: string }): Promise<Database> =>
  options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openPglite({ dataDir: options.dataDir, ...(options.holder ? { holder: options.holder } : {}) });

export interface ServiceOptions {
  clock?: Clock;
  hasher?: PasswordHasher;
  /** Lets tests that start a real server build their data through the same use cases. */
  onServices?: (services: Services) => void;
  /** Where this node keeps its evidence index snapshot (none: rebuilt from the database at start). */
  snapshotPath?: string | undefined;
  /** How often the index checks the change feed, besides being told (0: only when told). */
  indexPollMs?: number;
  logger?: Logger;
  /** Sends digests of new evidence; without one they are kept for a fellow to send. */
  mailer?: Mailer | undefined;
  /** The app's address, for links in digests. */
  publicUrl?: string;
  /** Months after delivery at which the requester is followed up (FOLLOWUP_MONTHS; default 1, 3, 6, 12). */
  followupMonths?: readonly number[] | undefined;
}

/** The composition root: the one place that picks adapters and builds the use cases. */
export const createServices = (db: Database, options: ServiceOptions = {}) => {
  const clock = options.clock ?? systemClock;
  // Open pages hear events from every node: relayed through PostgreSQL, or in process on PGlite.
  const bus = createRelayedEventBus({ db, nodeId: randomUUID(), logger: options.logger });
  const needStore = createNeedsRepo(db);
  const evidenceStore = createEvidenceRepo(db);
  const feed = createIndexFeedRepo(db);
  const directoryStore = createOrganisationsRepo(db);
  const search = createEvidenceSearch({
    feed,
    snapshotPath: options.snapshotPath,
    listen: db.listen ? (onChange) => db.listen?.('evidence_changes', onChange) ?? Promise.resolve(async () => undefined) : undefined,
    pollMs: options.indexPollMs ?? 5000,
    logger: options.logger,
  });
  // Writes on this node reach its index at once; other nodes hear of them by LISTEN or polling.
  const onChanged = () => {
    void search.catchUp().catch((error: unknown) => options.logger?.error({ err: error }, 'index catch-up failed'));
  };
  const evidenceImport = createEvidenceImport({ store: evidenceStore, ids: { newId: randomUUID }, onChanged });
  // Searching and matching read the main library unless a library is named: a review's records
  // (its own library) are screening candidates, not the workspace's evidence.
  let mainLibraryId: Promise<LibraryId> | undefined;
  const mainLibrary = () => (mainLibraryId ??= evidenceStore.findMainLibrary().then((library) => library.id));
  const mainSearch = {
    search: async (options: SearchOptions) =>
      search.search(options.filters?.libraryIds?.length ? options : { ...options, filters: { ...options.filters, libraryIds: [await mainLibrary()] } }),
  };
  const evidence = createEvidenceLibrary({ store: evidenceStore, index: mainSearch, onChanged });
  // Stored designs follow the classification rules: changes reach the index and matching as edits do.
  const reclassification = createReclassification({ store: evidenceStore, onChanged });
  const logError = (what: string) => (error: unknown) => options.logger?.error({ err: error }, what);
  const living = createLivingEvidence({
    store: createLivingRepo(db),
    needs: needStore,
    search: mainSearch,
    percolator: createPercolator({ documentFrequency: search.documentFrequency, texts: feed.texts }),
    publisher: bus,
    titles: async (ids) => new Map((await evidenceStore.findRecords(ids)).map((record) => [record.id as string, record.title])),
    currentYear: () => clock.now().getUTCFullYear(),
    expand: DEFAULT_EXPAND,
  });
  // New evidence in this node's index is matched against open needs and saved searches.
  search.onChange((ids) => {
    void living.refresh(ids).catch(logError('living evidence refresh failed'));
  });
  const needsCore = createNeeds({ store: needStore, clock, publisher: bus });
  // A need is watched from the moment it is asked; its current matches are the baseline.
  const needs: typeof needsCore = {
    ...needsCore,
    submitNeed: async (actor, input) => {
      const need = await needsCore.submitNeed(actor, input);
      await living.watchNeed(need).catch(logError('could not watch the need'));
      return need;
    },
    editNeed: async (actor, id, input) => {
      const need = await needsCore.editNeed(actor, id, input);
      await living.watchNeed(need).catch(logError('could not watch the need'));
      return need;
    },
  };
  // Impact (issue #6): follow-ups after delivery, activities, impact records and the dashboard.
  const followupStore = createFollowupsRepo(db);
  const activities = createActivities({ store: createActivitiesRepo(db), clock });
  const followups = createFollowups({ store: followupStore, secrets: nodeSecrets, clock, mailer: options.mailer, publicUrl: options.publicUrl ?? 'http://localhost:3000', months: options.followupMonths });
  const followThrough = createFollowThrough({ followups, activities, clock });
  const triageCore = createTriage({ store: needStore, publisher: bus });
  // Accepting a need logs an activity; marking it delivered by hand schedules follow-ups and logs one.
  const triage: typeof triageCore = {
    ...triageCore,
    triageNeed: async (actor, id, input) => {
      const need = await triageCore.triageNeed(actor, id, input);
      await followThrough.needTriaged(actor, need).catch(logError('could not log the triage activity'));
      return need;
    },
    changeStatus: async (actor, id, input) => {
      const need = await triageCore.changeStatus(actor, id, input);
      if (input.status === 'delivered') {
        await followThrough.needDelivered(actor, need).catch(logError('could not follow up the delivered need'));
      }
      return need;
    },
  };
  const reviewStore = createReviewsRepo(db);
  const ranker = createScreeningRanker({ store: reviewStore, logger: options.logger });
  const reviews = createReviews({
    store: reviewStore,
    evidence: evidenceStore,
    evidenceImport,
    ranker,
    needs: {
      findVisibleNeed: async (actor, id) => {
        const need = await needsCore.getNeed(actor, id).catch(() => undefined);
        return need && { id: need.id, title: need.title, question: need.question, population: need.population };
      },
    },
    sha256: (text) => createHash('sha256').update(text).digest('hex'),
  });
  const matching = createMatching({
    needs: needStore,
    evidence,
    pins: createMatchingRepo(db),
    needIndex: createNeedIndex(db),
    experts: createPeopleIndex(db),
    directory: directoryStore,
    clock,
    expand: DEFAULT_EXPAND,
  });
  const publicUrl = options.publicUrl ?? 'http://localhost:3000';
  const briefings = createBriefings({
    store: createBriefingsRepo(db),
    evidence: evidenceStore,
    findNeed: (actor, id) => needsCore.getNeed(actor, id).catch(() => undefined),
    reviewIncluded: (actor, id) => reviews.includedRecords(actor, id),
    pinnedRecords: async (actor, id) => (await matching.listPinned(actor, id)).map((pin) => pin.record),
    formatter: referenceFormatter,
    newSlug: () => randomBytes(18).toString('base64url'),
    today: () => clock.now().toISOString().slice(0, 10),
    // Delivery closes the loop: follow-ups and an activity, the need marked delivered, the requester told in its thread.
    onDelivered: async (actor, briefing, need) => {
      await followThrough.outputDelivered(actor, { needId: need?.id, briefing, deliveredAt: briefing.deliveredAt ?? clock.now() });
      if (!need) {
        return;
      }
      if (need.status === 'triaged') {
        await triageCore.changeStatus(actor, need.id, { status: 'in_progress' });
      }
      if (need.status === 'triaged' || need.status === 'in_progress') {
        await triageCore.changeStatus(actor, need.id, { status: 'delivered' });
      }
      await needs.addComment(actor, need.id, {
        body: `Your ${templateLabels[briefing.template].toLowerCase()} “${briefing.title}” (${briefing.reference}) is ready: ${publicUrl}/briefings/${briefing.id}\n\nWe will ask you later whether and how it was used: ${followups.months.map((months) => `${months} month${months === 1 ? '' : 's'}`).join(', ')} from now.`,
        isInternal: false,
      });
    },
  });
  const services = {
    db,
    clock,
    bus,
    accounts: createAccounts({ store: createAccountsRepo(db), hasher: options.hasher ?? createScryptHasher(), secrets: nodeSecrets, clock }),
    directory: createDirectory({ store: directoryStore }),
    needs,
    living,
    digests: createDigests({ store: createDigestsRepo(db), mailer: options.mailer, baseUrl: options.publicUrl ?? 'http://localhost:3000' }),
    triage,
    activities,
    followups,
    followThrough,
    impact: createImpact({ store: createImpactRepo(db), followups: followupStore }),
    dashboard: createDashboard({ store: createDashboardRepo(db), clock }),
    evidenceImport,
    importFile: createFileImport(evidenceImport),
    evidence,
    reclassification,
    search,
    reviews,
    extraction: createExtraction({ store: reviewStore, evidence: evidenceStore }),
    ranker,
    matching,
    briefings,
  };
  options.onServices?.(services);
  return services;
};

export type Services = ReturnType<typeof createServices>;
