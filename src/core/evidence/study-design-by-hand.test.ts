import { describe, expect, it } from 'vitest';
import { createMemoryStudyDesignStore } from '../../../test/fakes/study-design-store.js';
import { roles, type Actor, type Role } from '../accounts/roles.js';
import type { LibraryId, RecordId, UserId } from '../shared/ids.js';
import { emptyRecord } from './record.js';
import { canSetStudyDesign, createStudyDesignByHand, parseStudyDesign } from './study-design-by-hand.js';
import type { EvidenceRecord } from './types.js';

const actorOf = (role: Role, name = 'Fiona Fellow'): Actor => ({ userId: `${role}-1` as UserId, role, organisationId: undefined, name });
const fellow = actorOf('fellow');

/** A record the rules grade a randomised trial, from its title. */
const trial: EvidenceRecord = {
  ...emptyRecord(),
  id: '6f1d2c1e-0000-4000-8000-000000000001' as RecordId,
  libraryId: '6f1d2c1e-0000-4000-8000-0000000000aa' as LibraryId,
  title: 'Befriending for carers: a randomised controlled trial',
  studyDesign: 'rct',
  evidenceLevel: 2,
  sourceDatabases: [],
  themes: [],
  createdAt: new Date('2026-01-05T10:00:00Z'),
  updatedAt: new Date('2026-01-05T10:00:00Z'),
};

const setUp = (records: EvidenceRecord[] = [trial]) => {
  const now = new Date('2026-03-02T09:00:00Z');
  const memory = createMemoryStudyDesignStore({ records, names: { [fellow.userId]: fellow.name }, now: () => now });
  let told = 0;
  const { setStudyDesign } = createStudyDesignByHand({ store: memory.store, onChanged: () => (told += 1) });
  return { memory, setStudyDesign, now, told: () => told };
};

describe('canSetStudyDesign', () => {
  it('lets staff (fellows, leads, administrators) set a design, and no other role or the operator without an account', () => {
    const allowed = roles.filter((role) => canSetStudyDesign(actorOf(role)));
    expect(allowed).toEqual(['fellow', 'lead', 'admin']);
    expect(canSetStudyDesign(undefined)).toBe(false);
  });
});

describe('parseStudyDesign', () => {
  it('accepts every design of the list', () => {
    expect(parseStudyDesign('guideline')).toBe('guideline');
    expect(parseStudyDesign('case_control')).toBe('case_control');
  });

  it.each(['trial', '', 'RCT', 'Randomised controlled trial'])('refuses %j, naming the studyDesign field and the designs it takes', (value) => {
    expect(() => parseStudyDesign(value)).toThrow(expect.objectContaining({ code: 'validation.failed', details: { fields: { studyDesign: 'Choose a study design from the list' } } }));
    expect(() => parseStudyDesign(value)).toThrow(/^studyDesign ".*" is not a study design: use one of guideline, systematic_review, rct, /);
  });
});

describe('setStudyDesign', () => {
  it('sets a design by hand with its evidence level, who chose it and when, and tells the index', async () => {
    const { setStudyDesign, now, told } = setUp();
    const record = await setStudyDesign(fellow, trial.id, 'other');
    expect(record).toMatchObject({ studyDesign: 'other', studyDesignSetByHand: { at: now, by: { id: fellow.userId, name: 'Fiona Fellow' } } });
    expect(record.evidenceLevel).toBeUndefined();
    expect(await setStudyDesign(fellow, trial.id, 'guideline')).toMatchObject({ studyDesign: 'guideline', evidenceLevel: 1 });
    expect(told()).toBe(2);
  });

  it('with null hands the design back to the rules, which grade the record again at once', async () => {
    const { setStudyDesign } = setUp();
    await setStudyDesign(fellow, trial.id, 'qualitative');
    const record = await setStudyDesign(fellow, trial.id, null);
    expect(record.studyDesignSetByHand).toBeUndefined();
    expect(record).toMatchObject({ studyDesign: 'rct', evidenceLevel: 2 });
  });

  it('writes nothing when the same design is chosen again, so who chose it first stays', async () => {
    const { setStudyDesign, memory } = setUp();
    await setStudyDesign(fellow, trial.id, 'other');
    const lead = actorOf('lead', 'Lee Lead');
    const again = await setStudyDesign(lead, trial.id, 'other');
    expect(again.studyDesignSetByHand?.by?.id).toBe(fellow.userId);
    expect(memory.writes()).toBe(1);
  });

  it.each(['researcher', 'contributor', 'requester'] as Role[])('refuses a %s with auth.forbidden before looking at the value', async (role) => {
    const { setStudyDesign, memory } = setUp();
    await expect(setStudyDesign(actorOf(role), trial.id, 'not a design')).rejects.toMatchObject({ code: 'auth.forbidden' });
    expect(memory.writes()).toBe(0);
  });

  it('refuses a design not on the list with validation.failed on studyDesign, writing nothing', async () => {
    const { setStudyDesign, memory, told } = setUp();
    await expect(setStudyDesign(fellow, trial.id, 'trial')).rejects.toMatchObject({ code: 'validation.failed', details: { fields: { studyDesign: 'Choose a study design from the list' } } });
    expect(memory.writes()).toBe(0);
    expect(told()).toBe(0);
  });

  it('answers record.not_found for an unknown record and one merged into another', async () => {
    const { setStudyDesign, memory } = setUp();
    await expect(setStudyDesign(fellow, '6f1d2c1e-0000-4000-8000-000000000999' as RecordId, 'rct')).rejects.toMatchObject({ code: 'record.not_found' });
    memory.merge(trial.id);
    await expect(setStudyDesign(fellow, trial.id, 'rct')).rejects.toMatchObject({ code: 'record.not_found' });
  });
});
