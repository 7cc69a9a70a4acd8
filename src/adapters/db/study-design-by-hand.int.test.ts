import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.js';
import { buildActor, buildLibrary, recordEvents, testHasher } from '../../../test/support/builders.js';
import { createServices, type Services } from '../../compose.js';
import type { Actor } from '../../core/accounts/roles.js';
import type { StudyDesign } from '../../core/evidence/classify.js';
import type { RecordFields } from '../../core/evidence/record.js';
import type { CandidateId, LibraryId, RecordId } from '../../core/shared/ids.js';
import type { Database } from './database.js';

// A design set by hand is kept by reclassification, a re-import and a merge; handing it back to the
// rules grades the record again at once and at every reclassification after. Other test files may
// write to the same PostgreSQL database meanwhile, so every check is on this test's own library.
describe.each(testDatabases)('study designs set by hand on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let fellow: Actor;
  let lead: Actor;
  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    fellow = (await buildActor(services, 'fellow')).actor;
    lead = (await buildActor(services, 'lead')).actor;
    await services.search.start();
  });
  afterAll(async () => {
    await services.search.stop();
    await db.close();
  });

  const tagged = () => `zqsd${randomUUID().slice(0, 8)}`;
  const importInto = (libraryId: LibraryId, fileName: string, ...records: Partial<RecordFields>[]) =>
    services.evidenceImport.importRecords(fellow, { fileName, format: 'ris', events: recordEvents(records), fileSha256: () => 'abc', libraryId });
  const recordsIn = async (libraryId: LibraryId, designs?: StudyDesign[]) => (await services.evidence.listRecords(fellow, { libraryId, designs, limit: 50, offset: 0 })).records;
  /** One record the rules grade a randomised trial (from its title), in a library of its own. */
  const trialPaper = async () => {
    const libraryId = await buildLibrary(db);
    const tag = tagged();
    const title = `Befriending for carers ${tag}: rationale of a randomised controlled trial`;
    await importInto(libraryId, 'trial.ris', { title, authors: ['Okoro, Ada'], year: 2021 });
    const [record] = await recordsIn(libraryId);
    expect(record?.studyDesign).toBe('rct');
    return { libraryId, tag, title, id: record?.id as RecordId };
  };
  const stored = async (id: RecordId) =>
    (
      await db.query<{ study_design: StudyDesign; evidence_level: number | null; study_design_set_by_hand: boolean; study_design_set_by_id: string | null; study_design_set_at: Date | null }>(
        'select study_design, evidence_level, study_design_set_by_hand, study_design_set_by_id, study_design_set_at from evidence_records where id = $1',
        [id],
      )
    )[0];
  const feedEntries = async (id: RecordId) => (await db.query<{ count: number }>('select count(*)::int as count from evidence_changes where record_id = $1', [id]))[0]?.count ?? 0;
  const searchIds = async (text: string, designs: StudyDesign[], libraryId: LibraryId) => {
    await services.search.catchUp();
    return (await services.search.search({ text, limit: 10, filters: { designs, libraryIds: [libraryId] } })).hits.map((hit) => hit.id);
  };

  it('stores a design set by hand with who and when, in one change to the feed, and the design filters, facets and index follow it', async () => {
    const { libraryId, tag, id } = await trialPaper();
    const feedBefore = await feedEntries(id);
    const record = await services.evidence.setStudyDesign(fellow, id, 'other');
    expect(record).toMatchObject({ studyDesign: 'other', studyDesignSetByHand: { by: { id: fellow.userId, name: fellow.name } } });
    expect(record.evidenceLevel).toBeUndefined();
    expect(await stored(id)).toMatchObject({ study_design: 'other', evidence_level: null, study_design_set_by_hand: true, study_design_set_by_id: fellow.userId });
    expect(record.studyDesignSetByHand?.at).toEqual((await stored(id))?.study_design_set_at);
    expect(await feedEntries(id)).toBe(feedBefore + 1);

    expect((await recordsIn(libraryId, ['other'])).map((each) => each.id)).toEqual([id]);
    expect(await recordsIn(libraryId, ['rct'])).toEqual([]);
    expect((await services.evidence.listRecords(fellow, { libraryId, limit: 1, offset: 0 })).facets.designs).toEqual([{ design: 'other', count: 1 }]);
    expect(await searchIds(tag, ['other'], libraryId)).toEqual([id]);
    expect(await searchIds(tag, ['rct'], libraryId)).toEqual([]);

    // The same design again changes nothing: the first chooser stays, and the feed hears of nothing.
    await services.evidence.setStudyDesign(lead, id, 'other');
    expect((await stored(id))?.study_design_set_by_id).toBe(fellow.userId);
    expect(await feedEntries(id)).toBe(feedBefore + 1);
    // Another design is a new choice, by whoever made it.
    expect(await services.evidence.setStudyDesign(lead, id, 'guideline')).toMatchObject({ studyDesign: 'guideline', evidenceLevel: 1, studyDesignSetByHand: { by: { id: lead.userId } } });
  });

  it('is left alone by reclassification; handed back to the rules it is graded at once, and again by the next reclassification', async () => {
    const { libraryId, id } = await trialPaper();
    await services.evidence.setStudyDesign(fellow, id, 'cohort');
    expect(await services.reclassification.reclassify(fellow, { libraryId })).toMatchObject({ records: 0, changed: 0 });
    expect(await stored(id)).toMatchObject({ study_design: 'cohort', evidence_level: 3, study_design_set_by_hand: true });

    const automatic = await services.evidence.setStudyDesign(fellow, id, null);
    expect(automatic).toMatchObject({ studyDesign: 'rct', evidenceLevel: 2 });
    expect(automatic.studyDesignSetByHand).toBeUndefined();
    expect(await stored(id)).toEqual({ study_design: 'rct', evidence_level: 2, study_design_set_by_hand: false, study_design_set_by_id: null, study_design_set_at: null });

    // As older rules would have left it: the next reclassification grades it again.
    await db.query("update evidence_records set study_design = 'cohort', evidence_level = 3 where id = $1", [id]);
    expect(await services.reclassification.reclassify(fellow, { libraryId })).toMatchObject({ records: 1, changed: 1, changes: [{ from: 'cohort', to: 'rct', count: 1 }] });
    expect(await stored(id)).toMatchObject({ study_design: 'rct', evidence_level: 2 });

    // Handing back a design the rules already gave writes nothing.
    const feedBefore = await feedEntries(id);
    await services.evidence.setStudyDesign(fellow, id, null);
    expect(await feedEntries(id)).toBe(feedBefore);
  });

  it('survives importing the same record again, which still fills in what it lacked', async () => {
    const { libraryId, title, id } = await trialPaper();
    const chosen = await services.evidence.setStudyDesign(fellow, id, 'other');
    const again = await importInto(libraryId, 'again.ris', { title, authors: ['Okoro, Ada'], year: 2021, abstract: 'Participants were randomly assigned to befriending or usual care.' });
    expect(again).toMatchObject({ imported: 0, duplicates: 1 });
    const [record] = await recordsIn(libraryId);
    expect(record).toMatchObject({ id, abstract: 'Participants were randomly assigned to befriending or usual care.', studyDesign: 'other', studyDesignSetByHand: chosen.studyDesignSetByHand });
  });

  /** Two records of one work a year apart (an uncertain pair); the second has an abstract, so a merge keeps it. */
  const pair = async () => {
    const libraryId = await buildLibrary(db);
    const title = `Dementia cafés ${tagged()}: a randomised controlled trial`;
    await importInto(libraryId, 'first.ris', { title, authors: ['Achterberg, Wim'], year: 2021 });
    expect(await importInto(libraryId, 'second.ris', { title, authors: ['Achterberg, Wim'], year: 2022, abstract: 'Carers described cafés as a lifeline.' })).toMatchObject({ candidates: 1 });
    const records = await recordsIn(libraryId);
    const poorer = records.find((record) => record.year === 2021)?.id as RecordId;
    const richer = records.find((record) => record.year === 2022)?.id as RecordId;
    const { candidates } = await services.evidence.listCandidates(fellow, { limit: 5, offset: 0 }, libraryId);
    return { libraryId, poorer, richer, candidateId: candidates[0]?.id as CandidateId };
  };

  it('keeps a design set by hand on the record a merge drops, with who chose it and when', async () => {
    const { poorer, richer, candidateId } = await pair();
    const chosen = await services.evidence.setStudyDesign(fellow, poorer, 'other');
    const merged = await services.evidence.mergeCandidate(lead, candidateId);
    expect(merged).toMatchObject({ id: richer, abstract: 'Carers described cafés as a lifeline.', studyDesign: 'other', studyDesignSetByHand: chosen.studyDesignSetByHand });
    expect(merged.evidenceLevel).toBeUndefined();
    // The dropped record can no longer be changed; the kept one can be handed back to the rules.
    await expect(services.evidence.setStudyDesign(fellow, poorer, 'rct')).rejects.toMatchObject({ code: 'record.not_found' });
    expect(await services.evidence.setStudyDesign(fellow, richer, null)).toMatchObject({ studyDesign: 'rct' });
  });

  it.each([
    ['the kept record', 'richer', 'poorer'],
    ['the dropped record', 'poorer', 'richer'],
  ] as const)('keeps the later choice when both records of a merge have one, here %s’s', async (_which, later, earlier) => {
    const records = await pair();
    await services.evidence.setStudyDesign(fellow, records[earlier], 'cohort');
    const chosen = await services.evidence.setStudyDesign(lead, records[later], 'qualitative');
    const merged = await services.evidence.mergeCandidate(fellow, records.candidateId);
    expect(merged).toMatchObject({ id: records.richer, studyDesign: 'qualitative', studyDesignSetByHand: { at: chosen.studyDesignSetByHand?.at, by: { id: lead.userId } } });
  });

  it('keeps the merged fields’ grade when neither record had a design set by hand', async () => {
    const { richer, candidateId } = await pair();
    const merged = await services.evidence.mergeCandidate(fellow, candidateId);
    expect(merged).toMatchObject({ id: richer, studyDesign: 'rct', evidenceLevel: 2 });
    expect(merged.studyDesignSetByHand).toBeUndefined();
    expect(await stored(richer)).toMatchObject({ study_design_set_by_hand: false, study_design_set_at: null });
  });
});
