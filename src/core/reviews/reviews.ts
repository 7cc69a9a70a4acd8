import { isStaff, type Actor } from '../accounts/roles.js';
import type { EvidenceImport } from '../evidence/import.js';
import type { EvidenceStore } from '../evidence/ports.js';
import type { ParseEvent, RecordFields } from '../evidence/record.js';
import type { ImportSummary } from '../evidence/types.js';
import { AppError, assertThat } from '../shared/errors.js';
import type { CandidateId, LibraryId, NeedId, RecordId, UserId } from '../shared/ids.js';
import { pairwiseAgreement } from './agreement.js';
import { canCreateReview, canManageReview, canResolveConflicts, canScreen, canViewReview, decisionsVisibleTo, seesAllDecisions } from './permissions.js';
import type { NeedLookup, ReviewStore, ScreeningRanker } from './ports.js';
import type { DecisionInput, NewReviewInput, ProtocolInput, ResolutionInput, TeamInput } from './review.schema.js';
import { prismaCounts } from './prisma.js';
import { guidanceFor, guidanceOf, screeningCurve, screeningSequence } from './screening-curve.js';
import { awaitingScreener, includedIn, reviewProgress, stageCounts, stateAt, type RecordProgress, type StageCounts } from './screening-state.js';
import type { Resolution, ScreeningDecision } from './types.js';
import { defaultExclusionReasons, type Protocol, type Review, type ReviewId, type ReviewStatus, type ScreeningCard, type ScreeningSettings, type Stage } from './types.js';

export interface ReviewsDeps {
  store: ReviewStore;
  evidence: EvidenceStore;
  evidenceImport: EvidenceImport;
  ranker: ScreeningRanker;
  needs: NeedLookup;
  /** Picks a random share of records; injected so that tests can fix it. */
  random?: () => number;
  /** SHA-256 of a text, for the provenance of records added from the library. */
  sha256: (text: string) => string;
}

const splitInput = (input: ProtocolInput): { title: string; protocol: Protocol; settings: ScreeningSettings } => ({
  title: input.title,
  protocol: {
    question: input.question,
    framework: input.framework,
    frameworkFields: input.frameworkFields,
    inclusionCriteria: input.inclusionCriteria,
    exclusionCriteria: input.exclusionCriteria,
    exclusionReasons: input.exclusionReasons.length > 0 ? input.exclusionReasons : defaultExclusionReasons,
    includeKeywords: input.includeKeywords,
    excludeKeywords: input.excludeKeywords,
  },
  settings: { isDual: input.isDual, isBlind: input.isBlind, model: input.model, randomShare: input.randomShare },
});

/** The fields a record keeps when it is copied into a review from the library. */
const copyFields = (record: RecordFields): RecordFields => {
  const { title, abstract, authors, year, journal, volume, issue, pages, doi, pmid, pmcid, url, language, publicationTypes, keywords, meshTerms, issn, publisher, referenceType } = record;
  return { title, abstract, authors, year, journal, volume, issue, pages, doi, pmid, pmcid, url, language, publicationTypes, keywords, meshTerms, issn, publisher, referenceType, sourceDatabase: 'Mobilise evidence library' };
};

/** Each stage's counts, as the overview and the PRISMA counts read them. */
const stagesOf = (progress: readonly RecordProgress[], decisions: readonly ScreeningDecision[]): Record<Stage, StageCounts> => ({
  title_abstract: stageCounts(progress, decisions, 'title_abstract'),
  full_text: stageCounts(progress, decisions, 'full_text'),
});

/** Whether a record has full-text decisions, so that its title-and-abstract decisions are no longer the screeners' alone. */
const hasMovedOnFor = (entry: RecordProgress | undefined, stage: Stage): boolean =>
  stage === 'title_abstract' && entry !== undefined && entry.fullText.kind !== 'not_reached' && !(entry.fullText.kind === 'to_screen' && entry.fullText.decisions === 0);

/** A screener's current decision on a record at a stage, if they have one. */
const currentDecisionOf = (decisions: readonly ScreeningDecision[], recordId: RecordId, stage: Stage, screenerId: UserId): ScreeningDecision | undefined =>
  decisions.find((decision) => decision.isCurrent && decision.recordId === recordId && decision.stage === stage && decision.screenerId === screenerId);

const ALREADY_DECIDED = 'This record already has the decisions it needs at this stage; only its screeners can change them';

/**
 * Why this screener may not decide a record at a stage now, or undefined when they may: a record takes
 * decisions while it still needs them, or from a screener changing their own; once it has full-text
 * decisions, only a review lead changes its title-and-abstract ones. `decide` enforces it and the
 * card shows it.
 */
const refusalOf = (entry: RecordProgress, stage: Stage, isOwn: boolean, isLead: boolean): string | undefined => {
  const state = stateAt(entry, stage);
  if (state.kind === 'not_reached') {
    return 'This record has not reached full-text screening';
  }
  if (!isOwn && state.kind !== 'to_screen') {
    return state.kind === 'conflict' ? 'The screeners disagree on this record: a lead or arbiter resolves it on the conflicts page' : ALREADY_DECIDED;
  }
  if (hasMovedOnFor(entry, stage) && !isLead) {
    return 'This record is already at full-text screening; only a review lead can change its title and abstract decision';
  }
  return undefined;
};

/** The record a screener's latest current decision at a stage is on, other than `except`. */
const lastDecidedBy = (decisions: readonly ScreeningDecision[], stage: Stage, screenerId: UserId, except: RecordId | undefined): RecordId | undefined => {
  let last: ScreeningDecision | undefined;
  for (const decision of decisions) {
    if (decision.isCurrent && decision.stage === stage && decision.screenerId === screenerId && decision.recordId !== except && (!last || decision.id > last.id)) {
      last = decision;
    }
  }
  return last?.recordId;
};

/**
 * Rapid reviews (issue #5): the protocol and team, the review's records (its own library), and
 * screening at title and abstract then full text, ordered by the active-learning ranker.
 */
export const createReviews = ({ store, evidence, evidenceImport, ranker, needs, random = Math.random, sha256 }: ReviewsDeps) => {
  const load = async (actor: Actor, id: ReviewId): Promise<Review> => {
    const review = await store.findReview(id);
    // A review the actor may not see does not exist for them.
    assertThat(review && canViewReview(actor, review), 'review.not_found', 'No such review');
    return review;
  };

  const loadToManage = async (actor: Actor, id: ReviewId): Promise<Review> => {
    const review = await load(actor, id);
    assertThat(canManageReview(actor, review), 'auth.forbidden', 'Only the review’s leads change its protocol, team and records');
    return review;
  };

  const progressOf = async (review: Review) => {
    const [recordIds, decisions, resolutions] = await Promise.all([store.listRecordIds(review.libraryId), store.listDecisions(review.id), store.listResolutions(review.id)]);
    return { recordIds, decisions, resolutions, progress: reviewProgress(recordIds, { decisions, resolutions }, review.isDual) };
  };

  const createReview = async (actor: Actor, input: NewReviewInput): Promise<Review> => {
    assertThat(canCreateReview(actor), 'auth.forbidden', 'Only fellows, leads, administrators and researchers start reviews');
    let needId: NeedId | undefined;
    if (input.needId) {
      const need = await needs.findVisibleNeed(actor, input.needId as NeedId);
      assertThat(need, 'need.not_found', 'No such need');
      needId = need.id;
    }
    const { title, protocol, settings } = splitInput(input);
    const id = await store.createReview({ title, needId, protocol, settings, createdBy: actor.userId });
    return load(actor, id);
  };

  const updateProtocol = async (actor: Actor, id: ReviewId, input: ProtocolInput): Promise<Review> => {
    await loadToManage(actor, id);
    await store.updateReview(id, splitInput(input));
    // Cold start reads the protocol; keywords may change what is highlighted.
    ranker.invalidate(id);
    return load(actor, id);
  };

  const setTeam = async (actor: Actor, id: ReviewId, input: TeamInput): Promise<Review> => {
    await loadToManage(actor, id);
    const unique = new Map(input.members.map((member) => [member.userId, member]));
    assertThat(
      [...unique.values()].some((member) => member.role === 'lead'),
      'validation.failed',
      'A review needs at least one lead',
      { fields: { members: 'Choose at least one review lead' } },
    );
    await store.setMembers(id, [...unique.values()].map((member) => ({ userId: member.userId as UserId, role: member.role })));
    return load(actor, id);
  };

  const setStatus = async (actor: Actor, id: ReviewId, status: ReviewStatus): Promise<Review> => {
    await loadToManage(actor, id);
    await store.setStatus(id, status);
    return load(actor, id);
  };

  /**
   * Imports a search's results into the review: `run` imports into the library it is given (the
   * review's, through the library's importers, so records are de-duplicated within the review).
   */
  const importRecords = async (actor: Actor, id: ReviewId, sourceName: string | undefined, run: (libraryId: LibraryId) => Promise<ImportSummary>): Promise<ImportSummary> => {
    const review = await loadToManage(actor, id);
    const summary = await run(review.libraryId);
    if (summary.batchId) {
      await store.labelBatch(summary.batchId, sourceName?.trim() || undefined);
      ranker.invalidate(id);
    }
    return summary;
  };

  /**
   * Copies records from the main library (or a need's matches) into the review. The copies go
   * through the same import, so they are de-duplicated against what the review already holds,
   * and the batch and each record's origin are kept.
   */
  const addRecords = async (actor: Actor, id: ReviewId, input: { recordIds: RecordId[]; source: 'library' | 'need_matches'; needId?: NeedId | undefined }): Promise<ImportSummary> => {
    const review = await loadToManage(actor, id);
    assertThat(input.recordIds.length > 0, 'validation.failed', 'Choose at least one record', { fields: { recordIds: 'Choose at least one record' } });
    const records = await evidence.findRecords(input.recordIds);
    const missing = input.recordIds.filter((recordId) => !records.some((record) => record.id === recordId));
    assertThat(missing.length === 0, 'record.not_found', `No such record: ${missing.join(', ')}`);
    async function* events(): AsyncGenerator<ParseEvent> {
      for (const [index, record] of records.entries()) {
        yield { kind: 'record', line: index + 1, fields: copyFields(record) };
      }
    }
    const fileName = input.source === 'library' ? 'Added from the evidence library' : 'Added from a need’s matches';
    const summary = await evidenceImport.importRecords(actor, {
      fileName,
      format: 'csl-json',
      events: events(),
      fileSha256: () => sha256(records.map((record) => record.id).join('\n')),
      libraryId: review.libraryId,
    });
    if (summary.batchId) {
      await store.labelBatch(summary.batchId, 'Mobilise evidence library');
      const lines = await store.recordBatchLines(summary.batchId);
      await store.addAdditions(
        id,
        lines.flatMap(({ line, recordId }) => {
          const from = records[line - 1];
          return from ? [{ source: input.source, fromRecordId: from.id, needId: input.needId, recordId, addedBy: actor.userId }] : [];
        }),
      );
      ranker.invalidate(id);
    }
    return summary;
  };

  /** Merges a possible duplicate pair of the review's records, or keeps it apart (`act` does which). */
  const decideDuplicate = async (actor: Actor, id: ReviewId, candidateId: CandidateId, act: (candidateId: CandidateId) => Promise<unknown>): Promise<void> => {
    const review = await loadToManage(actor, id);
    const candidate = await evidence.findCandidate(candidateId);
    assertThat(candidate && candidate.left.libraryId === review.libraryId, 'candidate.not_found', 'No such duplicate pair in this review');
    await act(candidateId);
    ranker.invalidate(id);
  };

  /** The next record for this screener at a stage, or undefined when none is left for them. */
  const nextCard = async (actor: Actor, id: ReviewId, stage: Stage): Promise<ScreeningCard | undefined> => {
    const review = await load(actor, id);
    assertThat(canScreen(actor, review), 'auth.forbidden', 'Only the review’s team screens');
    const { decisions, progress } = await progressOf(review);
    const waiting = awaitingScreener(progress, decisions, stage, actor.userId);
    if (waiting.length === 0) {
      return undefined;
    }
    let order: ScreeningCard['order'];
    let recordId: RecordId;
    if (stage === 'title_abstract') {
      const ranking = await ranker.ranking(id);
      const pickRandom = review.randomShare > 0 && random() < review.randomShare;
      if (pickRandom) {
        recordId = waiting[Math.floor(random() * waiting.length)] as RecordId;
        order = { by: 'random', modelVersion: ranking.version, position: 0, score: ranking.scores.get(recordId), explanation: `Picked at random (${Math.round(review.randomShare * 100)}% of records are), to check what the model may be missing.` };
      } else {
        // Highest score first; ties (and records the model has not seen yet) keep the order they came in.
        const ranked = waiting.map((candidate, index) => ({ candidate, index, score: ranking.scores.get(candidate) ?? Number.NEGATIVE_INFINITY }));
        ranked.sort((a, b) => b.score - a.score || a.index - b.index);
        const [best] = ranked;
        recordId = (best?.candidate ?? waiting[0]) as RecordId;
        order = { by: ranking.by, modelVersion: ranking.version, position: 1, score: best && Number.isFinite(best.score) ? best.score : undefined, explanation: ranking.explanation };
      }
    } else {
      // Full texts come in the order they were included.
      recordId = waiting[0] as RecordId;
      order = { by: 'none', modelVersion: undefined, position: 1, score: undefined, explanation: 'Full texts come in the order they were included.' };
    }
    return cardFor(actor, review, recordId, stage, order, decisions, waiting.length, progress.length);
  };

  const cardFor = async (
    actor: Actor,
    review: Review,
    recordId: RecordId,
    stage: Stage,
    order: ScreeningCard['order'],
    decisions: ScreeningDecision[],
    remaining: number,
    totalRecords: number,
  ): Promise<ScreeningCard> => {
    const [record] = await evidence.findRecords([recordId]);
    assertThat(record && record.libraryId === review.libraryId, 'review.record_not_found', 'The record is not in this review');
    const [notes, tags, resolutions] = await Promise.all([store.listNotes(review.id, recordId), store.listTags(review.id, recordId), stage === 'title_abstract' ? store.listResolutions(review.id) : Promise.resolve([])]);
    // Blinding: in dual screening a screener does not see the other's decision unless they lead.
    const seesOthers = seesAllDecisions(actor, review);
    const others = decisions.filter((decision) => decision.isCurrent && decision.recordId === recordId && decision.stage === stage && decision.screenerId !== actor.userId);
    const mine = currentDecisionOf(decisions, recordId, stage, actor.userId);
    const previous = lastDecidedBy(decisions, stage, actor.userId, recordId);
    return {
      record,
      stage,
      order,
      notes,
      tags: tags.map((tag) => tag.tag),
      others: seesOthers ? others : [],
      mine,
      canDecide: true,
      previous,
      remaining,
      guidance: stage === 'title_abstract' ? guidanceFor(decisions, resolutions, totalRecords) : undefined,
    };
  };

  /** The record this screener decided last at a stage, to go back to it once nothing is left for them. */
  const lastDecided = async (actor: Actor, id: ReviewId, stage: Stage): Promise<RecordId | undefined> => {
    const review = await load(actor, id);
    assertThat(canScreen(actor, review), 'auth.forbidden', 'Only the review’s team screens');
    const { decisions } = await progressOf(review);
    return lastDecidedBy(decisions, stage, actor.userId, undefined);
  };

  /** One record's card, to reopen it (e.g. to change a decision). */
  const getCard = async (actor: Actor, id: ReviewId, recordId: RecordId, stage: Stage): Promise<ScreeningCard> => {
    const review = await load(actor, id);
    assertThat(canScreen(actor, review), 'auth.forbidden', 'Only the review’s team screens');
    const { decisions, progress } = await progressOf(review);
    const remaining = awaitingScreener(progress, decisions, stage, actor.userId).length;
    const entry = progress.find((item) => item.recordId === recordId);
    const isOwn = currentDecisionOf(decisions, recordId, stage, actor.userId) !== undefined;
    // A record not in the review fails in cardFor; until then it is simply not decidable.
    const refusal = entry ? refusalOf(entry, stage, isOwn, canManageReview(actor, review)) : ALREADY_DECIDED;
    const canDecide = refusal === undefined;
    const explanation = isOwn
      ? hasMovedOnFor(entry, stage)
        ? canDecide
          ? 'Reopened to look again or change your decision. It is already at full-text screening: changing this decision changes its full-text screening, extraction and the PRISMA counts.'
          : 'Reopened to look again. It is already at full-text screening, so only a review lead can change this decision.'
        : 'Reopened to look again or change your decision.'
      : canDecide
        ? 'Opened out of the ranked order.'
        : `${refusal}.`;
    const card = await cardFor(actor, review, recordId, stage, { by: 'none', modelVersion: undefined, position: 0, score: undefined, explanation }, decisions, remaining, progress.length);
    return { ...card, canDecide };
  };

  const decide = async (actor: Actor, id: ReviewId, input: DecisionInput) => {
    const review = await load(actor, id);
    assertThat(canScreen(actor, review), 'auth.forbidden', 'Only the review’s team screens');
    const { decisions, progress } = await progressOf(review);
    const entry = progress.find((item) => item.recordId === input.recordId);
    assertThat(entry, 'review.record_not_found', 'The record is not in this review');
    assertThat(stateAt(entry, input.stage).kind !== 'not_reached', 'review.not_at_stage', 'The record has not reached full-text screening');
    // A third screener must not undo two who agreed, nor a screener withdraw what full text has built on.
    const refusal = refusalOf(entry, input.stage, currentDecisionOf(decisions, input.recordId as RecordId, input.stage, actor.userId) !== undefined, canManageReview(actor, review));
    assertThat(refusal === undefined, 'review.already_screened', refusal ?? '');
    if (input.decision === 'exclude') {
      assertThat(review.exclusionReasons.includes(input.reason ?? ''), 'validation.failed', 'Choose one of the review’s exclusion reasons', {
        fields: { reason: 'Choose one of the review’s exclusion reasons' },
      });
    }
    const saved = await store.recordDecision(
      {
        reviewId: id,
        recordId: input.recordId as RecordId,
        stage: input.stage,
        screenerId: actor.userId,
        decision: input.decision,
        reason: input.decision === 'exclude' ? input.reason : undefined,
        modelVersion: input.modelVersion,
        rankPosition: input.rankPosition,
      },
      { decisionsNeeded: review.isDual ? 2 : 1 },
    );
    // Another screener's decision got in first (checked again under the review's lock).
    assertThat(saved, 'review.already_screened', ALREADY_DECIDED);
    // The first decision starts screening: a review left at "planning" would misreport where it is.
    if (review.status === 'planning') {
      await store.setStatus(id, 'screening');
    }
    if (input.stage === 'title_abstract') {
      ranker.retrain(id);
    }
    return saved;
  };

  /** The records in conflict at a stage, each with its current decisions there. */
  const conflictsAt = async (decisions: readonly ScreeningDecision[], progress: readonly RecordProgress[], stage: Stage) => {
    const conflicted = progress.filter((entry) => stateAt(entry, stage).kind === 'conflict');
    const records = await evidence.findRecords(conflicted.map((entry) => entry.recordId));
    return records.map((record) => ({
      record,
      decisions: decisions.filter((decision) => decision.isCurrent && decision.stage === stage && decision.recordId === record.id),
    }));
  };

  /** The review and its conflicts at both stages: all the conflicts page needs, with the review progress worked out once. */
  const getConflicts = async (actor: Actor, id: ReviewId) => {
    const review = await load(actor, id);
    const { decisions, progress } = await progressOf(review);
    const [titleAbstract, fullText] = await Promise.all([conflictsAt(decisions, progress, 'title_abstract'), conflictsAt(decisions, progress, 'full_text')]);
    return { review, canResolve: canResolveConflicts(actor, review), conflicts: { title_abstract: titleAbstract, full_text: fullText } };
  };

  const resolveConflict = async (actor: Actor, id: ReviewId, input: ResolutionInput): Promise<void> => {
    const review = await load(actor, id);
    assertThat(canResolveConflicts(actor, review), 'auth.forbidden', 'Only the review’s leads and arbiters resolve conflicts');
    const { decisions, progress } = await progressOf(review);
    const entry = progress.find((item) => item.recordId === input.recordId);
    assertThat(entry, 'review.record_not_found', 'The record is not in this review');
    assertThat(stateAt(entry, input.stage).kind === 'conflict', 'review.not_in_conflict', 'The record is not in conflict at that stage');
    const involved = decisions.some((decision) => decision.isCurrent && decision.stage === input.stage && decision.recordId === input.recordId && decision.screenerId === actor.userId);
    assertThat(!involved, 'auth.forbidden', 'A conflict is resolved by a third screener, not by one of the two who disagreed');
    if (input.decision === 'exclude') {
      assertThat(review.exclusionReasons.includes(input.reason ?? ''), 'validation.failed', 'Choose one of the review’s exclusion reasons', {
        fields: { reason: 'Choose one of the review’s exclusion reasons' },
      });
    }
    await store.resolveConflict({
      reviewId: id,
      recordId: input.recordId as RecordId,
      stage: input.stage,
      decision: input.decision,
      reason: input.decision === 'exclude' ? input.reason : undefined,
      resolvedBy: actor.userId,
    });
    if (input.stage === 'title_abstract') {
      ranker.retrain(id);
    }
  };

  const addNote = async (actor: Actor, id: ReviewId, recordId: RecordId, body: string): Promise<void> => {
    const review = await load(actor, id);
    assertThat(canScreen(actor, review), 'auth.forbidden', 'Only the review’s team writes notes');
    await assertInReview(review, recordId);
    await store.addNote({ reviewId: id, recordId, authorId: actor.userId, body });
  };

  const setTags = async (actor: Actor, id: ReviewId, recordId: RecordId, tags: string[]): Promise<void> => {
    const review = await load(actor, id);
    assertThat(canScreen(actor, review), 'auth.forbidden', 'Only the review’s team tags records');
    await assertInReview(review, recordId);
    await store.setTags({ reviewId: id, recordId, tags: [...new Set(tags)], addedBy: actor.userId });
  };

  const assertInReview = async (review: Review, recordId: RecordId) => {
    const [record] = await evidence.findRecords([recordId]);
    if (!record || record.libraryId !== review.libraryId) {
      throw new AppError('review.record_not_found', 'The record is not in this review');
    }
  };

  /** Counts for the overview: each stage's progress, agreement between screeners, and where records came from. */
  const overview = async (actor: Actor, id: ReviewId) => {
    const review = await load(actor, id);
    const { decisions, resolutions, progress } = await progressOf(review);
    const [batches, additions, merged] = await Promise.all([store.listBatches(review.libraryId), store.listAdditions(id), store.countMerged(review.libraryId)]);
    const sequence = screeningSequence(decisions, resolutions);
    const guidance = guidanceOf(sequence, progress.length);
    return {
      review,
      progress,
      stages: stagesOf(progress, decisions),
      agreement: { title_abstract: pairwiseAgreement(decisions, 'title_abstract'), full_text: pairwiseAgreement(decisions, 'full_text') },
      batches,
      additions,
      mergedAfterImport: merged,
      guidance,
      curve: screeningCurve(sequence, guidance, progress.length),
      canManage: canManageReview(actor, review),
      canResolve: canResolveConflicts(actor, review),
    };
  };

  /**
   * The review's PRISMA 2020 counts, from its import batches, records merged since and each stage's
   * progress: all the PRISMA page and diagram need, without the overview's agreement, stopping guidance
   * or additions from the library.
   */
  const getPrisma = async (actor: Actor, id: ReviewId) => {
    const review = await load(actor, id);
    const [{ decisions, progress }, batches, merged] = await Promise.all([progressOf(review), store.listBatches(review.libraryId), store.countMerged(review.libraryId)]);
    return { review, counts: prismaCounts({ batches, mergedAfterImport: merged, stages: stagesOf(progress, decisions) }), canManage: canManageReview(actor, review) };
  };

  /** Every decision ever made (retired ones too), oldest first: the review's reproducible log. */
  const decisionLog = async (actor: Actor, id: ReviewId) => {
    const review = await load(actor, id);
    const [decisions, resolutions] = await Promise.all([store.listDecisions(id, { includeRetired: true }), store.listResolutions(id)]);
    return { decisions: decisionsVisibleTo(actor, review, decisions), resolutions, isAll: seesAllDecisions(actor, review) };
  };

  const includedRecords = async (actor: Actor, id: ReviewId) => {
    const review = await load(actor, id);
    const { progress } = await progressOf(review);
    return evidence.findRecords(includedIn(progress));
  };

  /**
   * The review with how many records it includes after full-text screening (the overview's count): all
   * a briefing started from the review says of it, without the overview's import batches, records
   * added from the library, agreement or stopping guidance.
   */
  const countIncluded = async (actor: Actor, id: ReviewId) => {
    const review = await load(actor, id);
    const { progress } = await progressOf(review);
    return { review, included: includedIn(progress).length };
  };

  /**
   * One page of the review's records with where each stands, in the review's order, and how many there
   * are: all the records page needs, with the review progress worked out once.
   */
  const listRecords = async (actor: Actor, id: ReviewId, page: { offset: number; limit: number }) => {
    const review = await load(actor, id);
    const { progress } = await progressOf(review);
    const shown = progress.slice(page.offset, page.offset + page.limit);
    const byId = new Map((await evidence.findRecords(shown.map((entry) => entry.recordId))).map((record) => [record.id as string, record]));
    const rows = shown.flatMap((entry) => {
      const record = byId.get(entry.recordId);
      return record ? [{ record, progress: entry }] : [];
    });
    return { review, canManage: canManageReview(actor, review), rows, total: progress.length };
  };

  /** The review with how many decisions count so far: the protocol page warns what switching single or dual screening does once there are any. */
  const getProtocol = async (actor: Actor, id: ReviewId) => {
    const review = await load(actor, id);
    return { review, decisions: await store.countDecisions(id) };
  };

  /** People who may join a review team: staff, researchers and public contributors. */
  const listEligibleMembers = async (actor: Actor, id: ReviewId) => {
    await loadToManage(actor, id);
    return store.listEligibleMembers();
  };

  const listReviews = async (actor: Actor, filter: { needId?: NeedId | undefined } = {}) =>
    store.listReviews({ memberId: isStaff(actor.role) ? undefined : actor.userId, needId: filter.needId });

  return {
    createReview,
    getReview: load,
    getProtocol,
    listReviews,
    updateProtocol,
    setTeam,
    listEligibleMembers,
    setStatus,
    importRecords,
    addRecords,
    decideDuplicate,
    nextCard,
    getCard,
    lastDecided,
    decide,
    getConflicts,
    resolveConflict,
    addNote,
    setTags,
    overview,
    getPrisma,
    decisionLog,
    includedRecords,
    countIncluded,
    listRecords,
    setPrismaLabels: async (actor: Actor, id: ReviewId, labels: Record<string, string>) => {
      await loadToManage(actor, id);
      await store.setPrismaLabels(id, labels);
    },
  };
};

export type Reviews = ReturnType<typeof createReviews>;
