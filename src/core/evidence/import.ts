import { assertThat } from '../shared/errors.js';
import type { IdSource, LibraryId, RecordId, ThemeId } from '../shared/ids.js';
import type { Actor } from '../accounts/roles.js';
import { isStaff } from '../accounts/roles.js';
import { classifyRecord } from './classify.js';
import { compareKeys, dedupeKeysOf, type DedupeKeys } from './dedupe.js';
import { resolveThemes } from './themes.js';
import type { EvidenceStore, StagedRow } from './ports.js';
import type { ImportFormat, ParseEvent, RecordFields } from './record.js';
import type { ImportError, ImportSummary } from './types.js';

/** Records are staged and matched against the library this many at a time. */
export const IMPORT_CHUNK = 500;

export interface ImportInput {
  fileName: string;
  format: ImportFormat;
  events: AsyncIterable<ParseEvent>;
  /** SHA-256 of the file's bytes, known once the stream has been read to the end. */
  fileSha256: () => string;
  libraryId?: LibraryId | undefined;
  searchQuery?: string | undefined;
  isDryRun?: boolean;
  skipInvalid?: boolean;
  /** Themes to tag every record of the file with (new records and the ones it duplicates). */
  themeIds?: readonly ThemeId[] | undefined;
}

export interface ImportDeps {
  store: EvidenceStore;
  ids: IdSource;
  /** Told after records change, so that this node's index catches up at once. */
  onChanged?: () => void;
}

/** Who may add evidence: staff and researchers (who contribute evidence and reviews). */
export const canImportEvidence = (actor: Actor | undefined): boolean => actor === undefined || isStaff(actor.role) || actor.role === 'researcher';

interface Known {
  recordId: RecordId;
  keys: DedupeKeys;
}

/**
 * Indexes the records seen so far in this file, so that duplicates within the file are found too.
 * Holds only keys and ids, not records.
 */
const createFileIndex = () => {
  const byId = new Map<string, Known>();
  const byBlock = new Map<string, Known[]>();
  return {
    add(known: Known) {
      for (const key of identifierKeys(known.keys)) {
        byId.set(key, known);
      }
      for (const key of known.keys.blockKeys) {
        const list = byBlock.get(key) ?? [];
        list.push(known);
        byBlock.set(key, list);
      }
    },
    lookup(keys: DedupeKeys): Known[] {
      const found = new Set<Known>();
      for (const key of identifierKeys(keys)) {
        const known = byId.get(key);
        if (known) {
          found.add(known);
        }
      }
      for (const key of keys.blockKeys) {
        for (const known of byBlock.get(key) ?? []) {
          found.add(known);
        }
      }
      return [...found];
    },
  };
};

const identifierKeys = (keys: DedupeKeys): string[] => [
  ...(keys.doi ? [`doi:${keys.doi}`] : []),
  ...(keys.pmid ? [`pmid:${keys.pmid}`] : []),
  `title:${keys.titleKey}`,
];

/**
 * Imports one parsed file into a library, all or nothing: records are classified, matched against
 * the library and the file itself, staged in chunks as the file streams in, and promoted in one
 * transaction at the end. A file with invalid records imports none of them unless `skipInvalid`.
 */
export const createEvidenceImport = ({ store, ids, onChanged }: ImportDeps) => {
  const importRecords = async (actor: Actor | undefined, input: ImportInput): Promise<ImportSummary> => {
    assertThat(canImportEvidence(actor), 'auth.forbidden', 'Only fellows, leads, administrators and researchers import evidence');
    const library = input.libraryId ? await store.findLibrary(input.libraryId) : await store.findMainLibrary();
    assertThat(library, 'library.not_found', 'No such library');
    // Checked before the file is read: an unknown theme fails the import before anything is staged.
    const themes = await resolveThemes(store, input.themeIds ?? []);
    const importId = ids.newId();
    const index = createFileIndex();
    const errors: ImportError[] = [];
    let parsed = 0;
    let seq = 0;
    let chunk: { line: number; fields: RecordFields }[] = [];
    const willWrite = () => !input.isDryRun && (errors.length === 0 || input.skipInvalid === true);

    const flush = async () => {
      const keyed = chunk.map((item) => ({ ...item, keys: dedupeKeysOf(item.fields) }));
      chunk = [];
      const existing = await store.findMatches(library.id, keyed.map((item) => item.keys));
      const rows: StagedRow[] = [];
      for (const item of keyed) {
        const pool: Known[] = [...existing.filter((match) => sharesKey(match.keys, item.keys)).map((match) => ({ recordId: match.id, keys: match.keys })), ...index.lookup(item.keys)];
        let duplicateOf: RecordId | undefined;
        const candidates: StagedRow['candidates'] = [];
        for (const known of pool) {
          const match = compareKeys(item.keys, known.keys);
          if (match.kind === 'duplicate') {
            duplicateOf = known.recordId;
            break;
          }
          if (match.kind === 'candidate' && !candidates.some((candidate) => candidate.otherId === known.recordId)) {
            candidates.push({ otherId: known.recordId, score: match.score, reasons: match.reasons });
          }
        }
        const classification = classifyRecord(item.fields);
        const recordId = duplicateOf ?? (ids.newId() as RecordId);
        if (!duplicateOf) {
          index.add({ recordId, keys: item.keys });
        }
        seq += 1;
        rows.push({
          seq,
          line: item.line,
          recordId,
          isNew: duplicateOf === undefined,
          fields: { ...item.fields, studyDesign: classification.design, evidenceLevel: classification.level, keys: item.keys },
          candidates: duplicateOf ? [] : candidates,
        });
      }
      if (willWrite()) {
        await store.stageRows(importId, rows);
      }
      return rows;
    };

    let duplicatesSeen = 0;
    let candidatesSeen = 0;
    let newSeen = 0;
    try {
      for await (const event of input.events) {
        if (event.kind === 'invalid') {
          errors.push({ line: event.line, message: event.message });
          continue;
        }
        parsed += 1;
        chunk.push({ line: event.line, fields: event.fields });
        if (chunk.length >= IMPORT_CHUNK) {
          const rows = await flush();
          ({ duplicatesSeen, candidatesSeen, newSeen } = tally(rows, { duplicatesSeen, candidatesSeen, newSeen }));
        }
      }
      if (chunk.length > 0) {
        const rows = await flush();
        ({ duplicatesSeen, candidatesSeen, newSeen } = tally(rows, { duplicatesSeen, candidatesSeen, newSeen }));
      }
    } catch (error) {
      await store.discardStaged(importId);
      throw error;
    }

    const base = { file: input.fileName, format: input.format, parsed, errors };
    if (!willWrite()) {
      await store.discardStaged(importId);
      return { ...base, imported: input.isDryRun ? newSeen : 0, duplicates: duplicatesSeen, candidates: input.isDryRun ? candidatesSeen : 0, isCommitted: false, batchId: undefined };
    }
    // Promotion is one transaction: if it fails (say a chosen theme was deleted meanwhile), nothing of
    // the file is kept, and its staged rows go too.
    let result;
    try {
      result = await store.promoteStaged(importId, {
        libraryId: library.id,
        fileName: input.fileName,
        format: input.format,
        fileSha256: input.fileSha256(),
        parsed,
        invalid: errors.length,
        importedBy: actor?.userId,
        searchQuery: input.searchQuery,
        themeIds: themes.map((theme) => theme.id),
        classify: classifyRecord,
      });
    } catch (error) {
      await store.discardStaged(importId);
      throw error;
    }
    onChanged?.();
    return { ...base, imported: result.imported, duplicates: result.duplicates, candidates: result.candidates, isCommitted: true, batchId: result.batchId };
  };

  return { importRecords };
};

const sharesKey = (left: DedupeKeys, right: DedupeKeys): boolean =>
  (left.doi !== undefined && left.doi === right.doi) ||
  (left.pmid !== undefined && left.pmid === right.pmid) ||
  left.titleKey === right.titleKey ||
  left.blockKeys.some((key) => right.blockKeys.includes(key));

const tally = (rows: StagedRow[], counts: { duplicatesSeen: number; candidatesSeen: number; newSeen: number }) => ({
  duplicatesSeen: counts.duplicatesSeen + rows.filter((row) => !row.isNew).length,
  newSeen: counts.newSeen + rows.filter((row) => row.isNew).length,
  candidatesSeen: counts.candidatesSeen + rows.reduce((sum, row) => sum + row.candidates.length, 0),
});

export type EvidenceImport = ReturnType<typeof createEvidenceImport>;
