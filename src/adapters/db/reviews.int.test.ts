import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.js';
import { buildActor, buildWorkspace, needInput, testHasher, unique } from '../../../test/support/builders.js';
import { createServices, type Services } from '../../compose.js';
import type { Actor } from '../../core/accounts/roles.js';
import { emptyRecord, type ParseEvent, type RecordFields } from '../../core/evidence/record.js';
import type { NewReviewInput } from '../../core/reviews/review.schema.js';
import type { ReviewId } from '../../core/reviews/types.js';
import type { RecordId } from '../../core/shared/ids.js';
import type { Database } from './database.js';

async function* events(records: Partial<RecordFields>[]): AsyncGenerator<ParseEvent> {
  for (const [index, fields] of records.entries()) {
    yield { kind: 'record', line: index + 1, fields: { ...emptyRecord(), title: '', ...fields } };
  }
}

const reviewInput = (overrides: Partial<NewReviewInput> = {}): NewReviewInput => ({
  title: unique('Falls prevention review'),
  question: 'Does home exercise prevent falls in older people after hospital discharge?',
  framework: 'pico',
  frameworkFields: { population: 'Older people discharged from hospital', intervention: 'Home exercise', comparison: 'Usual care', outcome: 'Falls' },
  inclusionCriteria: 'Randomised trials of exercise at home',
  exclusionCriteria: 'Care home residents',
  exclusionReasons: ['Wrong population', 'Wrong intervention or exposure'],
  includeKeywords: ['exercise', 'falls'],
  excludeKeywords: ['care home'],
  isDual: false,
  isBlind: true,
  model: 'nb',
  randomShare: 0,
  ...overrides,
});

/** Forty records: twenty about home exercise and falls (relevant), twenty about other things. */
const searchResults = (tag: string): Partial<RecordFields>[] => [
  ...Array.from({ length: 20 }, (_, index) => ({
    title: `Home exercise programme ${index} ${tag} to prevent falls after hospital discharge`,
    abstract: `Older people who did strength and balance exercise at home had fewer falls. Trial ${index}.`,
    year: 2015 + (index % 10),
    authors: [`Okafor, A${index}`],
    doi: `10.1000/${tag}.falls.${index}`,
  })),
  ...Array.from({ length: 20 }, (_, index) => ({
    title: `Dental hygiene study ${index} ${tag} in school children`,
    abstract: `Tooth brushing and fluoride varnish reduced caries in children. Survey ${index}.`,
    year: 2010 + (index % 10),
    authors: [`Lindqvist, B${index}`],
    doi: `10.1000/${tag}.teeth.${index}`,
  })),
];

describe.each(testDatabases)('reviews on $name', ({ open }) => {
  let db: Database;
  let services: Services;
  let lead: Actor;
  let second: Actor;
  let arbiter: Actor;
  beforeAll(async () => {
    db = await open();
    services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
    [lead, second, arbiter] = await Promise.all([buildActor(services, 'fellow'), buildActor(services, 'researcher'), buildActor(services, 'fellow')]).then((built) => built.map((entry) => entry.actor));
  });
  afterAll(async () => {
    await db.close();
  });

  const importInto = (reviewId: ReviewId, records: Partial<RecordFields>[], fileName = 'medline.ris') =>
    services.reviews.importRecords(lead, reviewId, 'MEDLINE via Ovid', (libraryId) =>
      services.evidenceImport.importRecords(lead, { fileName, format: 'ris', events: events(records), fileSha256: () => 'abc123', searchQuery: 'exercise AND falls', libraryId }),
    );

  it('creates a review from a need, with its own library, and keeps every import batch', async () => {
    const { requester } = await buildWorkspace(services);
    const need = await services.needs.submitNeed(requester.actor, needInput());
    const review = await services.reviews.createReview(lead, reviewInput({ needId: need.id }));
    expect(review).toMatchObject({ needId: need.id, status: 'planning', members: [{ userId: lead.userId, role: 'lead' }] });
    expect(review.reference).toMatch(/^RV-\d{4}$/);
    const tag = unique('zq').replace(' ', '');
    const results = searchResults(tag);
    // The second file repeats two records: they are de-duplicated within the review.
    await importInto(review.id, results.slice(0, 30));
    const again = await importInto(review.id, results.slice(28), 'embase.ris');
    expect(again, JSON.stringify(again)).toMatchObject({ imported: 10, duplicates: 2 });
    const overview = await services.reviews.overview(lead, review.id);
    expect(overview.batches.map((batch) => [batch.fileName, batch.sourceDatabase, batch.searchQuery, batch.fileSha256, batch.parsed])).toEqual([
      ['medline.ris', 'MEDLINE via Ovid', 'exercise AND falls', 'abc123', 30],
      ['embase.ris', 'MEDLINE via Ovid', 'exercise AND falls', 'abc123', 12],
    ]);
    expect(overview.stages.title_abstract).toMatchObject({ records: 40, toScreen: 40 });
    // Records are listed in the order they came: the first file in its own order, then the second file's new ones.
    const { records: inReview } = await services.evidence.listRecords(lead, { libraryId: review.libraryId, limit: 50, offset: 0 });
    const titleOf = new Map(inReview.map((record) => [record.id as string, record.title]));
    expect(overview.progress.map((entry) => titleOf.get(entry.recordId))).toEqual(results.map((record) => record.title));
    // The review's records stay out of the main library.
    const main = await services.evidence.listRecords(lead, { text: tag, limit: 5, offset: 0 });
    expect(main.total).toBe(0);
    // Nor does search (or need matching, which searches the same way) unless the review's library is named.
    await services.search.catchUp();
    expect((await services.evidence.searchEvidence(lead, { text: tag, limit: 5 })).total).toBe(0);
    expect((await services.evidence.searchEvidence(lead, { text: tag, limit: 5, filters: { libraryIds: [review.libraryId] } })).total).toBe(40);
    // A requester is not on the review and cannot see it.
    await expect(services.reviews.getReview(requester.actor, review.id)).rejects.toMatchObject({ code: 'review.not_found' });
  });

  it('adds records from the main library, de-duplicated against the review, and remembers where each came from', async () => {
    const tag = unique('zq').replace(' ', '');
    await services.evidenceImport.importRecords(undefined, { fileName: 'main.ris', format: 'ris', events: events(searchResults(tag).slice(0, 3)), fileSha256: () => 'x' });
    const inMain = await services.evidence.listRecords(lead, { text: tag, limit: 10, offset: 0 });
    const review = await services.reviews.createReview(lead, reviewInput());
    await importInto(review.id, searchResults(tag).slice(0, 1));
    const summary = await services.reviews.addRecords(lead, review.id, { recordIds: inMain.records.map((record) => record.id), source: 'library' });
    expect(summary).toMatchObject({ imported: 2, duplicates: 1 });
    const { additions } = await services.reviews.overview(lead, review.id);
    expect(additions.map((addition) => addition.fromRecordId).sort()).toEqual(inMain.records.map((record) => record.id).sort());
    await expect(services.reviews.addRecords(second, review.id, { recordIds: [inMain.records[0]?.id as RecordId], source: 'library' })).rejects.toMatchObject({ code: 'review.not_found' });
  });

  it('orders records by the model once there is an inclusion and an exclusion, and logs the model behind each decision', async () => {
    const review = await services.reviews.createReview(lead, reviewInput());
    const tag = unique('zq').replace(' ', '');
    // Interleaved, so that file order alone would not put the relevant ones first.
    const results = searchResults(tag);
    const interleaved = results.slice(0, 20).flatMap((record, index) => [results[20 + index] as Partial<RecordFields>, record]);
    await importInto(review.id, interleaved);
    const first = await services.reviews.nextCard(lead, review.id, 'title_abstract');
    // Cold start: the protocol is about exercise and falls, so a relevant record comes first.
    expect(first?.order.by).toBe('protocol');
    expect(first?.record.title).toContain('Home exercise');
    await services.reviews.decide(lead, review.id, { recordId: first?.record.id as string, stage: 'title_abstract', decision: 'include', modelVersion: first?.order.modelVersion, rankPosition: 1 });
    const [dental] = (await services.evidence.listRecords(lead, { libraryId: review.libraryId, text: 'Dental', limit: 1, offset: 0 })).records;
    await services.reviews.decide(lead, review.id, { recordId: dental?.id as string, stage: 'title_abstract', decision: 'exclude', reason: 'Wrong population' });
    await services.ranker.idle(review.id);
    const next = await services.reviews.nextCard(lead, review.id, 'title_abstract');
    expect(next?.order).toMatchObject({ by: 'model', modelVersion: 'nb-v1' });
    expect(next?.record.title).toContain('Home exercise');
    await services.reviews.decide(lead, review.id, { recordId: next?.record.id as string, stage: 'title_abstract', decision: 'maybe', modelVersion: next?.order.modelVersion, rankPosition: 1 });
    const { decisions } = await services.reviews.decisionLog(lead, review.id);
    expect(decisions.map((decision) => [decision.decision, decision.modelVersion])).toEqual([
      ['include', 'protocol'],
      ['exclude', undefined],
      ['maybe', 'nb-v1'],
    ]);
    // An exclusion needs one of the review's reasons.
    await expect(services.reviews.decide(lead, review.id, { recordId: dental?.id as string, stage: 'title_abstract', decision: 'exclude', reason: 'Too long' })).rejects.toMatchObject({
      code: 'validation.failed',
    });
    // Full text only for records included at title and abstract.
    await expect(services.reviews.decide(lead, review.id, { recordId: dental?.id as string, stage: 'full_text', decision: 'include' })).rejects.toMatchObject({ code: 'review.not_at_stage' });
  });

  it('runs dual blind screening: conflicts go to a third screener, and kappa is kept for each pair', async () => {
    const review = await services.reviews.createReview(lead, reviewInput({ isDual: true, isBlind: true }));
    await services.reviews.setTeam(lead, review.id, {
      members: [
        { userId: lead.userId, role: 'lead' },
        { userId: second.userId, role: 'screener' },
        { userId: arbiter.userId, role: 'arbiter' },
      ],
    });
    const tag = unique('zq').replace(' ', '');
    await importInto(review.id, searchResults(tag).slice(18, 22));
    const ids = (await services.reviews.overview(lead, review.id)).progress.map((entry) => entry.recordId);
    const plan: [RecordId, 'include' | 'exclude', 'include' | 'exclude'][] = [
      [ids[0] as RecordId, 'include', 'include'],
      [ids[1] as RecordId, 'include', 'exclude'],
      [ids[2] as RecordId, 'exclude', 'exclude'],
      [ids[3] as RecordId, 'exclude', 'exclude'],
    ];
    for (const [recordId, mine, theirs] of plan) {
      // eslint-disable-next-line no-await-in-loop -- decisions in order
      await services.reviews.decide(lead, review.id, { recordId, stage: 'title_abstract', decision: mine, ...(mine === 'exclude' ? { reason: 'Wrong population' } : {}) });
      // The second screener is blind to the first's decision.
      // eslint-disable-next-line no-await-in-loop -- as above
      expect((await services.reviews.getCard(second, review.id, recordId, 'title_abstract')).others).toEqual([]);
      // eslint-disable-next-line no-await-in-loop -- as above
      await services.reviews.decide(second, review.id, { recordId, stage: 'title_abstract', decision: theirs, ...(theirs === 'exclude' ? { reason: 'Wrong population' } : {}) });
    }
    const overview = await services.reviews.overview(lead, review.id);
    expect(overview.stages.title_abstract).toMatchObject({ records: 4, conflicts: 1, included: 1, excluded: 2 });
    const [pair] = overview.agreement.title_abstract;
    expect(pair?.records).toBe(4);
    expect(pair?.observed).toBe(0.75);
    // pₑ = 0.5·0.25 + 0.5·0.75 = 0.5; κ = (0.75 − 0.5) / (1 − 0.5) = 0.5
    expect(pair?.kappa).toBeCloseTo(0.5, 10);

    // A third screener cannot add a decision to a record that has its two: not to an agreed one
    // (which would turn it into a conflict), nor to one in conflict (that is the arbiter's page).
    for (const recordId of [ids[0], ids[1]] as RecordId[]) {
      // eslint-disable-next-line no-await-in-loop -- one after the other
      await expect(services.reviews.decide(arbiter, review.id, { recordId, stage: 'title_abstract', decision: 'exclude', reason: 'Wrong population' })).rejects.toMatchObject({
        code: 'review.already_screened',
      });
      // eslint-disable-next-line no-await-in-loop -- as above
      expect(await services.reviews.getCard(arbiter, review.id, recordId, 'title_abstract')).toMatchObject({ canDecide: false, mine: undefined });
    }
    expect((await services.reviews.overview(lead, review.id)).stages.title_abstract).toMatchObject({ conflicts: 1, included: 1, excluded: 2 });
    // Each of the two may still change their own decision, and goes back to it from their last record.
    expect(await services.reviews.getCard(second, review.id, ids[2] as RecordId, 'title_abstract')).toMatchObject({ canDecide: true, previous: ids[3] });

    const conflicts = (await services.reviews.getConflicts(arbiter, review.id)).conflicts.title_abstract;
    expect(conflicts.map((conflict) => conflict.record.id)).toEqual([ids[1]]);
    await expect(services.reviews.resolveConflict(lead, review.id, { recordId: ids[1] as string, stage: 'title_abstract', decision: 'include' })).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(services.reviews.resolveConflict(second, review.id, { recordId: ids[1] as string, stage: 'title_abstract', decision: 'include' })).rejects.toMatchObject({ code: 'auth.forbidden' });
    await services.reviews.resolveConflict(arbiter, review.id, { recordId: ids[1] as string, stage: 'title_abstract', decision: 'include' });
    await expect(services.reviews.resolveConflict(arbiter, review.id, { recordId: ids[1] as string, stage: 'title_abstract', decision: 'exclude', reason: 'Wrong population' })).rejects.toMatchObject({
      code: 'review.not_in_conflict',
    });
    const after = await services.reviews.overview(lead, review.id);
    expect(after.stages.title_abstract).toMatchObject({ conflicts: 0, included: 2 });
    expect(after.stages.full_text).toMatchObject({ records: 2, toScreen: 2 });
    // Full text: included, and a report that could not be found.
    await services.reviews.decide(lead, review.id, { recordId: ids[0] as string, stage: 'full_text', decision: 'include' });
    await services.reviews.decide(second, review.id, { recordId: ids[0] as string, stage: 'full_text', decision: 'include' });
    expect((await services.reviews.includedRecords(lead, review.id)).map((record) => record.id)).toEqual([ids[0]]);
    // Once a record has full-text decisions, a screener cannot quietly withdraw its title-and-abstract
    // inclusion (it would drop out of the included set); a review lead can, and is told what it changes.
    await expect(services.reviews.decide(second, review.id, { recordId: ids[0] as string, stage: 'title_abstract', decision: 'exclude', reason: 'Wrong population' })).rejects.toMatchObject({
      code: 'review.already_screened',
    });
    expect(await services.reviews.getCard(second, review.id, ids[0] as RecordId, 'title_abstract')).toMatchObject({ canDecide: false });
    const leadCard = await services.reviews.getCard(lead, review.id, ids[0] as RecordId, 'title_abstract');
    expect(leadCard.canDecide).toBe(true);
    expect(leadCard.order.explanation).toContain('changes its full-text screening, extraction and the PRISMA counts');
    // Blinding holds in the decision log: the second screener sees their own decisions, the lead all.
    const theirs = await services.reviews.decisionLog(second, review.id);
    expect(theirs.isAll).toBe(false);
    expect(new Set(theirs.decisions.map((decision) => decision.screenerId))).toEqual(new Set([second.userId]));
    const all = await services.reviews.decisionLog(lead, review.id);
    expect(all.isAll).toBe(true);
    expect(new Set(all.decisions.map((decision) => decision.screenerId))).toEqual(new Set([lead.userId, second.userId]));
    expect((await services.extraction.decisionLog(second, review.id)).entries.filter((entry) => entry.kind === 'decision').every((entry) => entry.screenerId === second.userId)).toBe(true);
  });

  it('lets only one of two screeners deciding the same record at once get through, in single and in dual screening', async () => {
    for (const isDual of [false, true]) {
      // eslint-disable-next-line no-await-in-loop -- one review after the other
      const review = await services.reviews.createReview(lead, reviewInput({ isDual }));
      // eslint-disable-next-line no-await-in-loop -- as above
      await services.reviews.setTeam(lead, review.id, {
        members: [
          { userId: lead.userId, role: 'lead' },
          { userId: second.userId, role: 'screener' },
          { userId: arbiter.userId, role: 'screener' },
        ],
      });
      // eslint-disable-next-line no-await-in-loop -- as above
      await importInto(review.id, searchResults(unique('zr').replace(' ', '')).slice(0, 1));
      // eslint-disable-next-line no-await-in-loop -- as above
      const [entry] = (await services.reviews.overview(lead, review.id)).progress;
      const recordId = entry?.recordId as string;
      const screeners = isDual ? [lead, second, arbiter] : [second, arbiter];
      if (isDual) {
        // The lead has decided; the other two race for the one place left.
        // eslint-disable-next-line no-await-in-loop -- as above
        await services.reviews.decide(lead, review.id, { recordId, stage: 'title_abstract', decision: 'include' });
      }
      // eslint-disable-next-line no-await-in-loop -- the race itself
      const outcomes = await Promise.allSettled(
        screeners.slice(isDual ? 1 : 0).map((screener, index) =>
          services.reviews.decide(screener, review.id, index === 0 ? { recordId, stage: 'title_abstract', decision: 'include' } : { recordId, stage: 'title_abstract', decision: 'exclude', reason: 'Wrong population' }),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({ reason: { code: 'review.already_screened' } });
      // eslint-disable-next-line no-await-in-loop -- as above
      const { decisions } = await services.reviews.decisionLog(lead, review.id);
      expect(decisions.filter((decision) => decision.isCurrent)).toHaveLength(isDual ? 2 : 1);
    }
  });

  it('lets only one of two extraction saves made from the same page at once get through', async () => {
    const review = await services.reviews.createReview(lead, reviewInput());
    await services.reviews.setTeam(lead, review.id, {
      members: [
        { userId: lead.userId, role: 'lead' },
        { userId: second.userId, role: 'screener' },
      ],
    });
    await importInto(review.id, searchResults(unique('zx').replace(' ', '')).slice(0, 1));
    const [entry] = (await services.reviews.overview(lead, review.id)).progress;
    const recordId = entry?.recordId as RecordId;
    await services.reviews.decide(lead, review.id, { recordId, stage: 'title_abstract', decision: 'include' });
    await services.reviews.decide(lead, review.id, { recordId, stage: 'full_text', decision: 'include' });
    const [setting] = await services.extraction.saveForm(lead, review.id, { fields: [{ label: 'Setting', kind: 'text', choices: [], columns: [], isRequired: true }] });
    const fieldId = setting?.id as string;
    // Both open the same form (empty at first, then as the last round left it) and save from it at once.
    for (const round of [1, 2, 3]) {
      // eslint-disable-next-line no-await-in-loop -- one round after the other
      const { basis } = await services.extraction.getRecordForm(lead, review.id, recordId);
      const answers = [`Home ${round}`, `Community ${round}`];
      // eslint-disable-next-line no-await-in-loop -- the race itself
      const outcomes = await Promise.allSettled([
        services.extraction.saveAnswers(lead, review.id, recordId, { [fieldId]: answers[0] }, basis),
        services.extraction.saveAnswers(second, review.id, recordId, { [fieldId]: answers[1] }, basis),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({ reason: { code: 'review.extraction_conflict' } });
      // The saved answer is the one that got through, not the one refused.
      const kept = answers[outcomes.findIndex((outcome) => outcome.status === 'fulfilled')];
      // eslint-disable-next-line no-await-in-loop -- as above
      expect((await services.extraction.getRecordForm(lead, review.id, recordId)).values.get(fieldId)).toBe(kept);
    }
  });

  it('keeps a changed mind in the log, with only the latest decision counting', async () => {
    const review = await services.reviews.createReview(lead, reviewInput());
    await importInto(review.id, searchResults(unique('zq').replace(' ', '')).slice(0, 1));
    const [entry] = (await services.reviews.overview(lead, review.id)).progress;
    expect(review.status).toBe('planning');
    await services.reviews.decide(lead, review.id, { recordId: entry?.recordId as string, stage: 'title_abstract', decision: 'exclude', reason: 'Wrong population' });
    // The first decision moves a review from planning to screening.
    expect((await services.reviews.getReview(lead, review.id)).status).toBe('screening');
    await services.reviews.decide(lead, review.id, { recordId: entry?.recordId as string, stage: 'title_abstract', decision: 'include' });
    const { decisions } = await services.reviews.decisionLog(lead, review.id);
    expect(decisions.map((decision) => [decision.decision, decision.isCurrent])).toEqual([
      ['exclude', false],
      ['include', true],
    ]);
    expect((await services.reviews.overview(lead, review.id)).stages.title_abstract).toMatchObject({ included: 1, excluded: 0 });
  });
});
