import { isStaff, type Actor } from '../accounts/roles.js';
import { AppError, assertThat } from '../shared/errors.js';
import type { RecordId } from '../shared/ids.js';
import { classifyRecord, evidenceLevelOf, studyDesigns, type StudyDesign } from './classify.js';
import type { EvidenceStore } from './ports.js';
import type { EvidenceRecord } from './types.js';

/** Who corrects a record's study design: staff, who curate the library (as they tag records with themes). */
export const canSetStudyDesign = (actor: Actor | undefined): boolean => actor !== undefined && isStaff(actor.role);

export const isStudyDesign = (value: string): value is StudyDesign => (studyDesigns as readonly string[]).includes(value);

/** The `studyDesign` field's message when its value is not one of the designs (pages and the API say the same). */
export const STUDY_DESIGN_NOT_LISTED = 'Choose a study design from the list';

/** `value` as a study design; `validation.failed` on the `studyDesign` field when it is not one. */
export const parseStudyDesign = (value: string): StudyDesign => {
  if (!isStudyDesign(value)) {
    throw new AppError('validation.failed', `studyDesign "${value.slice(0, 60)}" is not a study design: use one of ${studyDesigns.join(', ')}`, {
      fields: { studyDesign: STUDY_DESIGN_NOT_LISTED },
    });
  }
  return value;
};

export interface StudyDesignByHandDeps {
  store: Pick<EvidenceStore, 'findRecord' | 'setStudyDesign'>;
  /** Told after a design changes, so that this node's index catches up at once. */
  onChanged?: () => void;
}

/**
 * Staff correct a record's study design when the rules misgrade it (a trial's design paper graded a
 * trial, a guideline graded other). A design set by hand is kept: reclassification skips it, and a
 * merge keeps it (the later choice when both records have one). Clearing it hands the record back to
 * the rules, which grade it again at once and at every reclassification after.
 */
export const createStudyDesignByHand = ({ store, onChanged }: StudyDesignByHandDeps) => {
  /**
   * Sets the record's design by hand (`design` one of `studyDesigns`; its evidence level follows), or
   * with `null` goes back to the automatic grade. Returns the record as stored.
   */
  const setStudyDesign = async (actor: Actor, id: RecordId, design: string | null): Promise<EvidenceRecord> => {
    assertThat(canSetStudyDesign(actor), 'auth.forbidden', 'Only fellows, leads and administrators set a record’s study design');
    const chosen = design === null ? undefined : parseStudyDesign(design);
    const isLive = await store.setStudyDesign(
      id,
      chosen === undefined
        ? { kind: 'automatic', classify: classifyRecord }
        : { kind: 'by_hand', design: chosen, level: evidenceLevelOf[chosen], setBy: actor.userId },
    );
    assertThat(isLive, 'record.not_found', 'No such record (or it was merged into another)');
    onChanged?.();
    const record = await store.findRecord(id);
    assertThat(record, 'record.not_found', 'No such record');
    return record;
  };

  return { setStudyDesign };
};

export type StudyDesignByHand = ReturnType<typeof createStudyDesignByHand>;

