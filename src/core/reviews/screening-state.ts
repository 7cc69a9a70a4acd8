import type { RecordId, UserId } from '../shared/ids.js';
import type { Decision, RecordStageState, Resolution, ScreeningDecision, Stage } from './types.js';

/** For moving on, "maybe" counts as "include": a record someone is unsure of goes to the next stage. */
const sideOf = (decision: Decision): 'include' | 'exclude' | 'not_retrieved' => (decision === 'maybe' ? 'include' : decision);

/**
 * Where one record stands at one stage, from its current decisions and any resolution.
 * Single screening: the first decision settles it. Dual: two screeners' decisions are needed; if
 * they agree the record moves on, if not it is a conflict until an arbiter resolves it. At full text,
 * excluding for different reasons is a disagreement too.
 */
export const stageState = (current: readonly ScreeningDecision[], resolution: Resolution | undefined, isDual: boolean, stage: Stage = 'title_abstract'): RecordStageState => {
  if (resolution) {
    return { kind: 'decided', decision: resolution.decision, reason: resolution.reason, byResolution: true };
  }
  const needed = isDual ? 2 : 1;
  if (current.length < needed) {
    return { kind: 'to_screen', decisions: current.length };
  }
  const sides = new Set(current.map((decision) => sideOf(decision.decision)));
  if (sides.size > 1) {
    return { kind: 'conflict' };
  }
  const [side] = sides as Set<'include' | 'exclude' | 'not_retrieved'>;
  // At full text the reason is what PRISMA reports for each excluded report: two screeners who exclude
  // for different reasons disagree on it, and an arbiter settles which one it is.
  if (stage === 'full_text' && side === 'exclude' && new Set(current.map((decision) => decision.reason)).size > 1) {
    return { kind: 'conflict' };
  }
  const reason = current.find((decision) => decision.reason)?.reason;
  return { kind: 'decided', decision: side ?? 'include', reason: side === 'include' ? undefined : reason, byResolution: false };
};

export interface StageDecisions {
  decisions: ScreeningDecision[];
  resolutions: Resolution[];
}

export interface RecordProgress {
  recordId: RecordId;
  titleAbstract: RecordStageState;
  fullText: RecordStageState;
}

const byRecord = <T extends { recordId: RecordId; stage: Stage }>(items: readonly T[], stage: Stage): Map<string, T[]> => {
  const map = new Map<string, T[]>();
  for (const item of items) {
    if (item.stage !== stage) {
      continue;
    }
    const list = map.get(item.recordId) ?? [];
    list.push(item);
    map.set(item.recordId, list);
  }
  return map;
};

/** Every record's state at both stages. A record reaches full text when title and abstract screening includes it. */
export const reviewProgress = (recordIds: readonly RecordId[], { decisions, resolutions }: StageDecisions, isDual: boolean): RecordProgress[] => {
  const current = decisions.filter((decision) => decision.isCurrent);
  const taDecisions = byRecord(current, 'title_abstract');
  const ftDecisions = byRecord(current, 'full_text');
  const taResolutions = byRecord(resolutions, 'title_abstract');
  const ftResolutions = byRecord(resolutions, 'full_text');
  return recordIds.map((recordId) => {
    const titleAbstract = stageState(taDecisions.get(recordId) ?? [], taResolutions.get(recordId)?.[0], isDual);
    const reachesFullText = titleAbstract.kind === 'decided' && titleAbstract.decision === 'include';
    const fullText: RecordStageState = reachesFullText ? stageState(ftDecisions.get(recordId) ?? [], ftResolutions.get(recordId)?.[0], isDual, 'full_text') : { kind: 'not_reached' };
    return { recordId, titleAbstract, fullText };
  });
};

/** The records included after full-text screening, in the review's order (the order of `reviewProgress`). */
export const includedIn = (progress: readonly RecordProgress[]): RecordId[] =>
  progress.filter((entry) => entry.fullText.kind === 'decided' && entry.fullText.decision === 'include').map((entry) => entry.recordId);

export const stateAt = (progress: RecordProgress, stage: Stage): RecordStageState => (stage === 'title_abstract' ? progress.titleAbstract : progress.fullText);

/** The records a screener still has to screen at a stage: not settled, not in conflict, not yet decided by them. */
export const awaitingScreener = (progress: readonly RecordProgress[], decisions: readonly ScreeningDecision[], stage: Stage, screenerId: UserId): RecordId[] => {
  const mine = new Set(decisions.filter((decision) => decision.isCurrent && decision.stage === stage && decision.screenerId === screenerId).map((decision) => decision.recordId as string));
  return progress.filter((entry) => stateAt(entry, stage).kind === 'to_screen' && !mine.has(entry.recordId)).map((entry) => entry.recordId);
};

export interface StageCounts {
  records: number;
  toScreen: number;
  conflicts: number;
  included: number;
  excluded: number;
  notRetrieved: number;
  /** Decisions made, by anyone (a dual-screened record counts twice). */
  decisions: number;
  excludedByReason: { reason: string; count: number }[];
}

export const stageCounts = (progress: readonly RecordProgress[], decisions: readonly ScreeningDecision[], stage: Stage): StageCounts => {
  const counts: StageCounts = { records: 0, toScreen: 0, conflicts: 0, included: 0, excluded: 0, notRetrieved: 0, decisions: 0, excludedByReason: [] };
  const reasons = new Map<string, number>();
  for (const entry of progress) {
    const state = stateAt(entry, stage);
    if (state.kind === 'not_reached') {
      continue;
    }
    counts.records += 1;
    if (state.kind === 'to_screen') {
      counts.toScreen += 1;
    } else if (state.kind === 'conflict') {
      counts.conflicts += 1;
    } else if (state.decision === 'include') {
      counts.included += 1;
    } else if (state.decision === 'not_retrieved') {
      counts.notRetrieved += 1;
    } else {
      counts.excluded += 1;
      const reason = state.reason ?? 'No reason given';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  counts.decisions = decisions.filter((decision) => decision.isCurrent && decision.stage === stage).length;
  counts.excludedByReason = [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return counts;
};

/**
 * What the ranking model learns from at title and abstract: a record is relevant when anyone
 * included it (or called it a maybe) or a resolution included it, irrelevant when every decision
 * excluded it. Records still unscreened carry no label.
 */
export const trainingLabels = (decisions: readonly ScreeningDecision[], resolutions: readonly Resolution[]): Map<string, boolean> => {
  const labels = new Map<string, boolean>();
  for (const decision of decisions) {
    if (!decision.isCurrent || decision.stage !== 'title_abstract' || decision.decision === 'not_retrieved') {
      continue;
    }
    const isRelevant = decision.decision !== 'exclude';
    labels.set(decision.recordId, (labels.get(decision.recordId) ?? false) || isRelevant);
  }
  for (const resolution of resolutions) {
    if (resolution.stage === 'title_abstract') {
      labels.set(resolution.recordId, resolution.decision === 'include');
    }
  }
  return labels;
};
