import { AppError, assertThat } from '../shared/errors.js';
import type { CandidateId, LibraryId, RecordId, ThemeId } from '../shared/ids.js';
import type { Actor } from '../accounts/roles.js';
import { classifyRecord } from './classify.js';
import { dedupeKeysOf, findPairs } from './dedupe.js';
import { canImportEvidence } from './import.js';
import { mergeFields } from './merge.js';
import type { EvidenceStore, RecordFilter } from './ports.js';
import type { RecordFields } from './record.js';
import { createStudyDesignByHand } from './study-design-by-hand.js';
import { canSetRecordThemes, lookUpThemes, resolveThemes } from './themes.js';
import type { EvidenceRecord, RecordTheme } from './types.js';
import type { SearchOptions, SearchResult } from './search.js';

export interface EvidenceLibraryDeps {
  store: EvidenceStore;
  /** The evidence index (this node's replica). */
  index?: { search(options: SearchOptions): Promise<SearchResult> };
  /** Told after records change, so that this node's index catches up at once. */
  onChanged?: () => void;
}

/** Everyone signed in reads the evidence library: it holds published literature, not personal data. */
export const createEvidenceLibrary = ({ store, index, onChanged }: EvidenceLibraryDeps) => {
  const libraryOf = async (libraryId: LibraryId | undefined) => {
    const library = libraryId ? await store.findLibrary(libraryId) : await store.findMainLibrary();
    assertThat(library, 'library.not_found', 'No such library');
    return library;
  };

  const listRecords = async (_actor: Actor, filter: Omit<RecordFilter, 'libraryId'> & { libraryId?: LibraryId | undefined }) => {
    const library = await libraryOf(filter.libraryId);
    const [page, facets] = await Promise.all([store.listRecords({ ...filter, libraryId: library.id }), store.facets(library.id)]);
    return { library, ...page, facets };
  };

  const getRecord = async (_actor: Actor, id: RecordId) => {
    const record = await store.findRecord(id);
    assertThat(record, 'record.not_found', 'No such record');
    return { record, sources: await store.listSources(id), classification: classifyRecord(record) };
  };

  const listBatches = async (_actor: Actor, libraryId?: LibraryId) => store.listBatches((await libraryOf(libraryId)).id);

  const listCandidates = async (_actor: Actor, paging: { limit: number; offset: number }, libraryId?: LibraryId) =>
    store.listCandidates((await libraryOf(libraryId)).id, 'open', paging);

  /** Tags a record with exactly these themes (staff): the library, search and matching filter on them. */
  const setRecordThemes = async (actor: Actor, id: RecordId, themeIds: readonly ThemeId[]): Promise<EvidenceRecord> => {
    assertThat(canSetRecordThemes(actor), 'auth.forbidden', 'Only fellows, leads and administrators set a record’s themes');
    assertThat(await store.findRecord(id), 'record.not_found', 'No such record');
    const themes = await resolveThemes(store, themeIds);
    await store.setRecordThemes({ recordId: id, themeIds: themes.map((theme) => theme.id), addedBy: actor.userId });
    onChanged?.();
    const record = await store.findRecord(id);
    assertThat(record, 'record.not_found', 'No such record');
    return record;
  };

  const { setStudyDesign } = createStudyDesignByHand({ store, onChanged });

  /** Themes by name or id, for the command line's `--theme`: `theme.not_found` naming any that match none. */
  const findThemes = async (_actor: Actor | undefined, namesOrIds: readonly string[]): Promise<RecordTheme[]> => {
    const { themes, unknown } = await lookUpThemes(store, namesOrIds);
    if (unknown.length > 0) {
      throw new AppError('theme.not_found', `No such theme: ${unknown.map((key) => `"${key}"`).join(', ')}`, { unknown });
    }
    return themes;
  };

  /** Merges a candidate pair: the richer record is kept, the other's fields, sources and themes join it. */
  const mergeCandidate = async (actor: Actor, id: CandidateId): Promise<EvidenceRecord> => {
    assertThat(canImportEvidence(actor), 'auth.forbidden', 'Only fellows, leads, administrators and researchers merge records');
    const candidate = await store.findCandidate(id);
    assertThat(candidate, 'candidate.not_found', 'No such duplicate pair');
    if (candidate.status !== 'open') {
      throw new AppError('candidate.already_decided', `This pair was already ${candidate.status === 'merged' ? 'merged' : 'kept apart'}`);
    }
    // Keep the record with more to it, so that links to it survive more often. Who set a design by hand
    // is not more to it (the merge keeps that choice whichever record is kept).
    const richness = ({ studyDesignSetByHand: _chosen, ...record }: EvidenceRecord) => JSON.stringify(record).length;
    const [keep, other] = richness(candidate.left) >= richness(candidate.right) ? [candidate.left, candidate.right] : [candidate.right, candidate.left];
    const fields: RecordFields = mergeFields(keep, other);
    const classification = classifyRecord(fields);
    await store.mergeRecords({
      keepId: keep.id,
      mergeId: other.id,
      fields: { ...fields, studyDesign: classification.design, evidenceLevel: classification.level, keys: dedupeKeysOf(fields) },
      candidateId: id,
      decidedBy: actor.userId,
    });
    onChanged?.();
    const merged = await store.findRecord(keep.id);
    assertThat(merged, 'record.not_found');
    return merged;
  };

  const keepApart = async (actor: Actor, id: CandidateId): Promise<void> => {
    assertThat(canImportEvidence(actor), 'auth.forbidden', 'Only fellows, leads, administrators and researchers decide on duplicates');
    const candidate = await store.findCandidate(id);
    assertThat(candidate, 'candidate.not_found', 'No such duplicate pair');
    if (candidate.status !== 'open') {
      throw new AppError('candidate.already_decided', 'This pair was already decided');
    }
    await store.keepApart({ candidateId: id, decidedBy: actor.userId });
  };

  /** The records to export: the given ids, or every record matching the filter (up to a limit). */
  const selectForExport = async (_actor: Actor | undefined, selection: { ids: RecordId[] } | { filter: Omit<RecordFilter, 'libraryId' | 'limit' | 'offset'> & { libraryId?: LibraryId | undefined }; limit: number }) => {
    if ('ids' in selection) {
      return store.findRecords(selection.ids);
    }
    const library = await libraryOf(selection.filter.libraryId);
    return (await store.listRecords({ ...selection.filter, libraryId: library.id, limit: selection.limit, offset: 0 })).records;
  };

  /**
   * Scans a whole library: exact duplicates (same DOI or PMID, or same title, year and first author)
   * are merged as on import; uncertain pairs join the list for a fellow. Pairs already decided stay decided.
   */
  const scanForDuplicates = async (actor: Actor | undefined, libraryId?: LibraryId): Promise<{ records: number; merged: number; candidates: number }> => {
    assertThat(canImportEvidence(actor), 'auth.forbidden', 'Only fellows, leads, administrators and researchers scan for duplicates');
    const library = await libraryOf(libraryId);
    const entries = await store.listDedupeKeys(library.id);
    const pairs = findPairs(entries.map((entry) => entry.keys));
    // Exact pairs form clusters (a = b, b = c); each cluster merges into its first record.
    const parent = entries.map((_, index) => index);
    const root = (index: number): number => (parent[index] === index ? index : (parent[index] = root(parent[index] ?? index)));
    for (const pair of pairs.filter((candidate) => candidate.match.kind === 'duplicate')) {
      const [left, right] = [root(pair.left), root(pair.right)];
      if (left !== right) {
        parent[Math.max(left, right)] = Math.min(left, right);
      }
    }
    let merged = 0;
    for (let index = 0; index < entries.length; index += 1) {
      const keepIndex = root(index);
      const keepEntry = entries[keepIndex];
      const mergeEntry = entries[index];
      if (keepIndex === index || !keepEntry || !mergeEntry) {
        continue;
      }
      // eslint-disable-next-line no-await-in-loop -- each merge reads the kept record as the last merge left it
      const [keep, other] = await store.findRecords([keepEntry.id, mergeEntry.id]);
      if (!keep || !other) {
        continue;
      }
      const fields = mergeFields(keep, other);
      const classification = classifyRecord(fields);
      // eslint-disable-next-line no-await-in-loop -- as above
      await store.mergeRecords({
        keepId: keep.id,
        mergeId: other.id,
        fields: { ...fields, studyDesign: classification.design, evidenceLevel: classification.level, keys: dedupeKeysOf(fields) },
        candidateId: undefined,
        decidedBy: actor?.userId,
      });
      merged += 1;
    }
    // Uncertain pairs, each side replaced by the record its cluster was merged into.
    const uncertain = pairs.flatMap((pair) => {
      const left = entries[root(pair.left)];
      const right = entries[root(pair.right)];
      return pair.match.kind === 'candidate' && left && right && left.id !== right.id
        ? [{ left: left.id, right: right.id, score: pair.match.score, reasons: pair.match.reasons }]
        : [];
    });
    const candidates = await store.insertCandidates(library.id, uncertain);
    if (merged > 0) {
      onChanged?.();
    }
    return { records: entries.length, merged, candidates };
  };

  /** Searches the library through the index; the hits come back with their records, best first. */
  const searchEvidence = async (_actor: Actor | undefined, options: SearchOptions) => {
    assertThat(index, 'library.not_found', 'Search is not available on this node');
    const result = await index.search(options);
    const records = await store.findRecords(result.hits.map((hit) => hit.id));
    const byId = new Map(records.map((record) => [record.id as string, record]));
    return {
      total: result.total,
      matching: result.matching,
      expandedWith: result.expandedWith,
      terms: result.terms,
      hits: result.hits.flatMap((hit) => {
        const record = byId.get(hit.id);
        return record ? [{ ...hit, record }] : [];
      }),
    };
  };

  return { searchEvidence, scanForDuplicates, listRecords, getRecord, setRecordThemes, setStudyDesign, findThemes, listBatches, listCandidates, mergeCandidate, keepApart, selectForExport };
};

export type EvidenceLibrary = ReturnType<typeof createEvidenceLibrary>;
