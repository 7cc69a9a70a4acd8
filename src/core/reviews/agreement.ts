import type { UserId } from '../shared/ids.js';
import type { Decision, ScreeningDecision, Stage } from './types.js';

export interface PairAgreement {
  screeners: [{ id: UserId; name: string }, { id: UserId; name: string }];
  /** Records both screened at the stage. */
  records: number;
  /** Share of those on which they made the same decision (0 to 1). */
  observed: number;
  /** Cohen's kappa: agreement beyond chance; undefined when chance agreement is total (both always chose the same). */
  kappa: number | undefined;
}

/**
 * Cohen's kappa (Cohen 1960), κ = (pₒ − pₑ) / (1 − pₑ), for one pair of screeners over the records
 * both screened, with the decision categories as made (include, exclude, maybe, not retrieved).
 */
export const cohensKappa = (pairs: readonly (readonly [Decision, Decision])[]): { observed: number; kappa: number | undefined } => {
  const n = pairs.length;
  if (n === 0) {
    return { observed: 0, kappa: undefined };
  }
  const first = new Map<Decision, number>();
  const second = new Map<Decision, number>();
  let agreed = 0;
  for (const [a, b] of pairs) {
    if (a === b) {
      agreed += 1;
    }
    first.set(a, (first.get(a) ?? 0) + 1);
    second.set(b, (second.get(b) ?? 0) + 1);
  }
  const observed = agreed / n;
  let expected = 0;
  for (const [category, count] of first) {
    expected += (count / n) * ((second.get(category) ?? 0) / n);
  }
  return { observed, kappa: expected === 1 ? undefined : (observed - expected) / (1 - expected) };
};

/** Kappa for every pair of screeners who both screened at least one record at the stage. */
export const pairwiseAgreement = (decisions: readonly ScreeningDecision[], stage: Stage): PairAgreement[] => {
  const byScreener = new Map<string, { name: string; decisions: Map<string, Decision> }>();
  for (const decision of decisions) {
    if (!decision.isCurrent || decision.stage !== stage) {
      continue;
    }
    const entry = byScreener.get(decision.screenerId) ?? { name: decision.screenerName, decisions: new Map() };
    entry.decisions.set(decision.recordId, decision.decision);
    byScreener.set(decision.screenerId, entry);
  }
  const screeners = [...byScreener.entries()].sort(([, a], [, b]) => a.name.localeCompare(b.name));
  const result: PairAgreement[] = [];
  for (let i = 0; i < screeners.length; i += 1) {
    for (let j = i + 1; j < screeners.length; j += 1) {
      const [idA, a] = screeners[i] as [string, { name: string; decisions: Map<string, Decision> }];
      const [idB, b] = screeners[j] as [string, { name: string; decisions: Map<string, Decision> }];
      const pairs: [Decision, Decision][] = [];
      for (const [recordId, decision] of a.decisions) {
        const other = b.decisions.get(recordId);
        if (other) {
          pairs.push([decision, other]);
        }
      }
      if (pairs.length === 0) {
        continue;
      }
      result.push({ screeners: [{ id: idA as UserId, name: a.name }, { id: idB as UserId, name: b.name }], records: pairs.length, ...cohensKappa(pairs) });
    }
  }
  return result;
};
