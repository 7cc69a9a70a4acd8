/**
 * Screening quality of an order, from the labels in the order records were screened (1 included,
 * 0 excluded), the prior records left out: ASReview's definitions (`asreview/analysis/analysis.py`
 * in ASReview 0.x, used by Ferdinands et al. 2023, Systematic Reviews 12:100), all in percent:
 *
 * - x(i) = 100 · i / N after i of the N records are screened; y(i) = 100 · found(i) / R, R the
 *   inclusions among the N.
 * - WSS@r (work saved over sampling, Cohen et al. 2006): y(i) − x(i) at the first i where y(i) ≥ r,
 *   i.e. `(TN + FN)/N − (1 − recall)` at the first point with recall ≥ r.
 * - RRF@p (relevant records found): y(i) at the first i where x(i) ≥ p.
 * - ATD (average time to discovery): the mean over the R inclusions of x at the moment each was found.
 *
 * (asreview-insights, ASReview's newer package, reads WSS off the last recall level at or below r
 * instead, and reports TD in records; the values differ slightly for small R.)
 */
export interface ScreeningMetrics {
  /** Records screened after the priors (N). */
  screened: number;
  /** Inclusions among them (R). */
  found: number;
  wss95: number;
  wss100: number;
  rrf10: number;
  atd: number;
  /** [records screened, inclusions found]: the origin, each point where an inclusion was found, and the end. */
  recallCurve: Array<[number, number]>;
}

const round = (value: number, places: number): number => {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
};

/** The metrics of one screening order; percentages rounded to 0.01. */
export const screeningMetrics = (labels: ArrayLike<number>): ScreeningMetrics => {
  const total = labels.length;
  let relevant = 0;
  for (let index = 0; index < total; index += 1) {
    relevant += labels[index] === 1 ? 1 : 0;
  }
  const recallCurve: Array<[number, number]> = [[0, 0]];
  if (total === 0 || relevant === 0) {
    return { screened: total, found: relevant, wss95: 0, wss100: 0, rrf10: 0, atd: 0, recallCurve: total > 0 ? [[0, 0], [total, 0]] : recallCurve };
  }
  const screenedPercent = (count: number): number => (100 * count) / total;
  const foundPercent = (count: number): number => (100 * count) / relevant;
  const epsilon = 1e-6;
  let found = 0;
  let wss95: number | undefined;
  let wss100: number | undefined;
  let rrf10: number | undefined;
  let discoveryTimes = 0;
  for (let index = 0; index < total; index += 1) {
    const screened = index + 1;
    if (labels[index] === 1) {
      found += 1;
      discoveryTimes += screenedPercent(screened);
      recallCurve.push([screened, found]);
    }
    const x = screenedPercent(screened);
    const y = foundPercent(found);
    if (wss95 === undefined && y >= 95 - epsilon) {
      wss95 = y - x;
    }
    if (wss100 === undefined && y >= 100 - epsilon) {
      wss100 = y - x;
    }
    if (rrf10 === undefined && x >= 10 - epsilon) {
      rrf10 = y;
    }
  }
  if ((recallCurve[recallCurve.length - 1] as [number, number])[0] !== total) {
    recallCurve.push([total, found]);
  }
  return {
    screened: total,
    found: relevant,
    wss95: round(wss95 ?? 0, 2),
    wss100: round(wss100 ?? 0, 2),
    rrf10: round(rrf10 ?? 0, 2),
    atd: round(discoveryTimes / relevant, 2),
    recallCurve,
  };
};
