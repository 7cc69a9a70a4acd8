import type { EvidenceStore } from '../../src/core/evidence/ports.js';
import type { EvidenceRecord } from '../../src/core/evidence/types.js';
import type { RecordId } from '../../src/core/shared/ids.js';

/**
 * The part of EvidenceStore that setting a design by hand uses, in memory, with the repository's
 * contract: only live records, a hand choice says who and when (`now`), going back to the rules
 * grades the record with `classify` and clears the mark, and a choice that changes nothing writes nothing.
 */
export const createMemoryStudyDesignStore = (options: { records: EvidenceRecord[]; names: Record<string, string>; now: () => Date }) => {
  const records = new Map<string, EvidenceRecord>(options.records.map((record) => [record.id, record]));
  const merged = new Set<string>();
  let writes = 0;
  const store: Pick<EvidenceStore, 'findRecord' | 'setStudyDesign'> = {
    findRecord: async (id) => records.get(id),
    setStudyDesign: async (recordId, choice) => {
      const record = records.get(recordId);
      if (!record || merged.has(recordId)) {
        return false;
      }
      if (choice.kind === 'by_hand') {
        if (record.studyDesignSetByHand && record.studyDesign === choice.design) {
          return true;
        }
        const by = { id: choice.setBy, name: options.names[choice.setBy] ?? 'unknown' };
        records.set(recordId, { ...record, studyDesign: choice.design, evidenceLevel: choice.level, studyDesignSetByHand: { at: options.now(), by } });
        writes += 1;
        return true;
      }
      const to = choice.classify({ ...record, abstract: record.abstract });
      if (!record.studyDesignSetByHand && to.design === record.studyDesign && to.level === record.evidenceLevel) {
        return true;
      }
      const { studyDesignSetByHand: _cleared, ...rest } = record;
      records.set(recordId, { ...rest, studyDesign: to.design, evidenceLevel: to.level });
      writes += 1;
      return true;
    },
  };
  return {
    store,
    /** Marks a record merged into another: it can no longer be changed. */
    merge: (id: RecordId) => merged.add(id),
    /** How many times a record was written. */
    writes: () => writes,
  };
};
