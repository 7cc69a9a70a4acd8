import type { NeedId, PersonId, RecordId, UserId } from '../shared/ids.js';

export interface Pin {
  recordId: RecordId;
  pinnedBy: { id: UserId; name: string };
  note: string;
  pinnedAt: Date;
}

/** Evidence pinned to needs. */
export interface PinStore {
  listPins(needId: NeedId): Promise<Pin[]>;
  /** Adds the pin (pinning twice keeps the first) and tags the record with the need's themes, in one transaction. */
  insertPin(pin: { needId: NeedId; recordId: RecordId; pinnedBy: UserId; note: string }): Promise<void>;
  deletePin(needId: NeedId, recordId: RecordId): Promise<boolean>;
  recordExists(recordId: RecordId): Promise<boolean>;
}

/** Needs searched by their text, for "similar needs". */
export interface NeedIndex {
  similar(text: string, limit: number): Promise<{ needId: NeedId; score: number }[]>;
}

/** People searched by their expertise, themes and the records they wrote. */
export interface ExpertIndex {
  matching(text: string, limit: number): Promise<{ personId: PersonId; score: number; terms: string[] }[]>;
}
