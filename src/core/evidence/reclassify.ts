import type { Actor } from '../accounts/roles.js';
import { isStaff } from '../accounts/roles.js';
import { assertThat } from '../shared/errors.js';
import type { LibraryId, RecordId } from '../shared/ids.js';
import { classificationRulesVersion, classifyRecord, type StudyDesign } from './classify.js';
import type { EvidenceStore } from './ports.js';

export interface ReclassificationDeps {
  store: Pick<EvidenceStore, 'classificationRulesVersion' | 'setClassificationRulesVersion' | 'reclassifyBatch' | 'findLibrary'>;
  /** Told after each batch that changed records, so that this node's index catches up at once (as after any edit). */
  onChanged?: () => void;
  /** The version of the rules `classifyRecord` applies (a test may pretend otherwise). */
  rulesVersion?: number;
  /** Records per transaction: small, so that other requests are not kept waiting (PGlite has one connection). */
  batchSize?: number;
}

export interface ReclassifyOptions {
  /** Work out what would change and write nothing. */
  dryRun?: boolean;
  /** Only this library (the workspace's rules version is then left as it is). */
  libraryId?: LibraryId | undefined;
  /** Asked between batches: true stops the run there (the app is stopping). */
  shouldStop?: () => boolean;
}

export interface ReclassifyResult {
  /** The version of the rules applied. */
  rulesVersion: number;
  /** The version the stored designs followed before this run (0: before the rules had versions). */
  previousVersion: number;
  dryRun: boolean;
  /** False when stopped before the last batch. */
  complete: boolean;
  /** Records checked: every live record whose design no one set by hand. */
  records: number;
  /** Records whose design or level changed (or would, in a dry run). */
  changed: number;
  /** How many went from each design to each other design, most first. */
  changes: { from: StudyDesign; to: StudyDesign; count: number }[];
  /** Some of the records that changed, for a person to look at. */
  examples: { id: RecordId; from: StudyDesign; to: StudyDesign }[];
}

const EXAMPLES = 20;

/** Who may reclassify the library: the command line and the app itself (no actor), or staff. */
export const canReclassify = (actor: Actor | undefined): boolean => actor === undefined || isStaff(actor.role);

/**
 * Keeps stored study designs in step with the classification rules. A record's design is worked out at
 * import and stored (the library filters and the index grade by it); when the rules improve, stored
 * designs would otherwise keep the old answer beside a record page that explains the new one. Designs a
 * person set by hand are never changed.
 */
export const createReclassification = ({ store, onChanged, rulesVersion = classificationRulesVersion, batchSize = 200 }: ReclassificationDeps) => {
  /**
   * Classifies every live record again with the current rules, in batches of one short transaction
   * each, and stores the designs that changed; then, over the whole workspace and not a dry run,
   * records that the stored designs follow these rules. Running it again changes nothing.
   */
  const reclassify = async (actor: Actor | undefined, options: ReclassifyOptions = {}): Promise<ReclassifyResult> => {
    assertThat(canReclassify(actor), 'auth.forbidden', 'Only fellows, leads and administrators reclassify the library');
    if (options.libraryId) {
      assertThat(await store.findLibrary(options.libraryId), 'library.not_found', 'No such library');
    }
    const dryRun = options.dryRun ?? false;
    const previousVersion = await store.classificationRulesVersion();
    const counts = new Map<string, { from: StudyDesign; to: StudyDesign; count: number }>();
    const examples: ReclassifyResult['examples'] = [];
    let records = 0;
    let changed = 0;
    let afterId: RecordId | undefined;
    let complete = false;
    for (;;) {
      if (options.shouldStop?.()) {
        break;
      }
      // eslint-disable-next-line no-await-in-loop -- one batch after another, each its own short transaction
      const batch = await store.reclassifyBatch({ afterId, limit: batchSize, libraryId: options.libraryId, dryRun }, (record) => {
        const { design, level } = classifyRecord(record);
        return { design, level };
      });
      if (batch.read === 0 || !batch.lastId) {
        complete = true;
        break;
      }
      records += batch.read;
      afterId = batch.lastId;
      for (const change of batch.changes) {
        changed += 1;
        const key = `${change.from.design}\u0000${change.to.design}`;
        const tally = counts.get(key) ?? { from: change.from.design, to: change.to.design, count: 0 };
        tally.count += 1;
        counts.set(key, tally);
        if (examples.length < EXAMPLES) {
          examples.push({ id: change.id, from: change.from.design, to: change.to.design });
        }
      }
      if (!dryRun && batch.changes.length > 0) {
        onChanged?.();
      }
      if (batch.read < batchSize) {
        complete = true;
        break;
      }
    }
    if (complete && !dryRun && options.libraryId === undefined) {
      await store.setClassificationRulesVersion(rulesVersion);
    }
    return {
      rulesVersion,
      previousVersion,
      dryRun,
      complete,
      records,
      changed,
      changes: [...counts.values()].sort((left, right) => right.count - left.count || left.from.localeCompare(right.from) || left.to.localeCompare(right.to)),
      examples,
    };
  };

  /**
   * At start: reclassifies the workspace when its stored designs follow older rules than these;
   * undefined when they are current (or newer, from a later version of the app).
   */
  const reclassifyIfOutdated = async (options: Pick<ReclassifyOptions, 'shouldStop'> = {}): Promise<ReclassifyResult | undefined> =>
    (await store.classificationRulesVersion()) < rulesVersion ? reclassify(undefined, options) : undefined;

  return { reclassify, reclassifyIfOutdated };
};

export type Reclassification = ReturnType<typeof createReclassification>;
