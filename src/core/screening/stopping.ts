/**
 * Stopping guidance shown beside the record being screened (issue #5 item 4): how long since the
 * last inclusion, the knee method's verdict, and an estimate of the relevant records still unseen.
 * All of it reads the decisions in the order they were made (1 included, 0 excluded).
 */
import { counted } from '../shared/text.js';

export interface KneeOptions {
  /** Cormack & Grossman's minimum effort: no stop before this many records are screened. */
  minimumScreened: number;
}

export const defaultKneeOptions: KneeOptions = { minimumScreened: 150 };

export interface KneeResult {
  /** Records screened at the knee of the gain curve (undefined before the first inclusion). */
  kneeAt: number | undefined;
  /** Inclusions found by the knee. */
  foundAtKnee: number | undefined;
  /** How many times higher the inclusion rate was before the knee than after it. */
  slopeRatio: number | undefined;
  /** The ratio at which the method says stop: 156 − min(inclusions found, 150). */
  targetRatio: number;
  isMet: boolean;
}

/**
 * The knee method (Cormack & Grossman 2016, "Engineering quality and reliability in
 * technology-assisted review", SIGIR '16, §4): find the knee of the gain curve (inclusions found
 * against records screened) as the point farthest above the straight line from the origin to the
 * current point, both axes scaled to [0, 1] (Satopää et al. 2011, "Kneedle"); the slope ratio is
 * the inclusion rate before the knee over the rate after it, `(found(k)/k) / ((found(s) − found(k) + 1)/(s − k))`
 * (the +1 keeps it finite when nothing was found after the knee). Stop once the ratio reaches
 * `156 − min(found, 150)` and at least 150 records are screened: the target is 6 for reviews that
 * found 150 or more, and stricter the fewer were found.
 */
export const kneeMethod = (labels: ArrayLike<number>, options: KneeOptions = defaultKneeOptions): KneeResult => {
  const screened = labels.length;
  let found = 0;
  for (let index = 0; index < screened; index += 1) {
    found += labels[index] === 1 ? 1 : 0;
  }
  const targetRatio = 156 - Math.min(found, 150);
  if (found === 0) {
    return { kneeAt: undefined, foundAtKnee: undefined, slopeRatio: undefined, targetRatio, isMet: false };
  }
  let best = -Infinity;
  let kneeAt = screened;
  let foundAtKnee = found;
  let running = 0;
  for (let index = 0; index < screened; index += 1) {
    running += labels[index] === 1 ? 1 : 0;
    const distance = running / found - (index + 1) / screened;
    if (distance > best) {
      best = distance;
      kneeAt = index + 1;
      foundAtKnee = running;
    }
  }
  const slopeRatio = kneeAt < screened ? foundAtKnee / kneeAt / ((found - foundAtKnee + 1) / (screened - kneeAt)) : undefined;
  return {
    kneeAt,
    foundAtKnee,
    slopeRatio,
    targetRatio,
    isMet: slopeRatio !== undefined && screened >= options.minimumScreened && slopeRatio >= targetRatio,
  };
};

/** An inclusion rate falling exponentially along the screening order: λ(x) = exp(intercept − decay · x / scale). */
export interface ExponentialRate {
  intercept: number;
  decay: number;
  /** The x at which decay is measured: rates are per record, x counts records. */
  scale: number;
}

/**
 * Fits λ(x) = exp(a − b·x/s) to counts at x = 1 … s by Poisson maximum likelihood (Newton's method
 * on the two parameters). Counts may be fractional; with 0/1 decisions each record is one trial.
 */
export const fitExponentialRate = (counts: ArrayLike<number>): ExponentialRate => {
  const screened = counts.length;
  let total = 0;
  for (let index = 0; index < screened; index += 1) {
    total += counts[index] as number;
  }
  let intercept = Math.log(Math.max(total, 1e-9) / Math.max(screened, 1));
  let decay = 0;
  for (let iteration = 0; iteration < 100; iteration += 1) {
    let gradientA = 0;
    let gradientB = 0;
    let hessianAA = 0;
    let hessianAB = 0;
    let hessianBB = 0;
    for (let index = 0; index < screened; index += 1) {
      const t = (index + 1) / screened;
      const rate = Math.exp(intercept - decay * t);
      const residual = (counts[index] as number) - rate;
      gradientA += residual;
      gradientB -= t * residual;
      hessianAA += rate;
      hessianAB -= t * rate;
      hessianBB += t * t * rate;
    }
    // Newton step on the log-likelihood (its Hessian is minus this matrix, which is positive definite).
    const determinant = hessianAA * hessianBB - hessianAB * hessianAB;
    if (!(determinant > 1e-12)) {
      break;
    }
    const stepA = (hessianBB * gradientA - hessianAB * gradientB) / determinant;
    const stepB = (hessianAA * gradientB - hessianAB * gradientA) / determinant;
    // Damped so that a wild first step on sparse data cannot overflow exp().
    const damping = Math.min(1, 5 / Math.max(Math.abs(stepA), Math.abs(stepB)));
    intercept += damping * stepA;
    decay += damping * stepB;
    if (Math.abs(stepA) + Math.abs(stepB) < 1e-10) {
      break;
    }
  }
  return { intercept, decay, scale: screened };
};

/** Σ λ(x) for x = from … to (whole records), in closed form. */
const sumRate = (rate: ExponentialRate, from: number, to: number): number => {
  if (to < from) {
    return 0;
  }
  const count = to - from + 1;
  const first = Math.exp(rate.intercept - (rate.decay * from) / rate.scale);
  const ratio = Math.exp(-rate.decay / rate.scale);
  return Math.abs(1 - ratio) < 1e-12 ? first * count : (first * (1 - ratio ** count)) / (1 - ratio);
};

export interface RemainingEstimate {
  /** Relevant records expected among those not yet screened. */
  remaining: number;
  /** found / (found + remaining). */
  recall: number;
  /** The fitted inclusion rate at the latest record (inclusions per record). */
  currentRate: number;
  /** False when the rate is not falling yet: the estimate then extrapolates a constant rate and is crude. */
  isRateFalling: boolean;
}

/**
 * Relevant records remaining, by extrapolating the inclusion rate: an exponentially falling rate is
 * fitted to the decisions in screening order (Poisson regression) and summed over the records not
 * yet screened. This is the counting-process approach of Sneyd & Stevenson (2021, "Stopping
 * criteria for technology assisted reviews based on counting processes", SIGIR '21) with their
 * exponential rate, applied to the screening order itself (they fit the rate over a ranking); it
 * assumes the rate keeps falling as it has, so it is a guide, not a guarantee of recall.
 * Undefined before the first inclusion.
 */
export const estimateRemaining = (labels: ArrayLike<number>, totalRecords: number): RemainingEstimate | undefined => {
  let found = 0;
  for (let index = 0; index < labels.length; index += 1) {
    found += labels[index] === 1 ? 1 : 0;
  }
  if (found === 0 || labels.length === 0) {
    return undefined;
  }
  const rate = fitExponentialRate(labels);
  const screened = labels.length;
  const remaining = sumRate(rate, screened + 1, totalRecords);
  return {
    remaining,
    recall: found / (found + remaining),
    currentRate: Math.exp(rate.intercept - rate.decay),
    isRateFalling: rate.decay > 0,
  };
};

export interface StoppingGuidance {
  screened: number;
  included: number;
  /** Records screened since the last inclusion (all of them when none was included). */
  sinceLastInclusion: number;
  /** The knee method on the decisions after the seed decisions; `kneeAt` counts from the first decision. */
  knee: KneeResult;
  /** Recall counts the inclusions among the seed decisions too. */
  estimate: RemainingEstimate | undefined;
  /** False while fewer than 10 inclusions follow the seed decisions: the knee and the estimate are then unreliable. */
  isReliable: boolean;
  /** A short explanation for the screener, in British English. */
  explanation: string;
}

export interface GuidanceOptions extends KneeOptions {
  /**
   * Decisions at the start that the ranking did not choose (a simulation's prior records, records
   * labelled before the first model): left out of the knee and the estimate, because an inclusion
   * placed first by hand makes the start of the curve look steeper than any ranking made it.
   */
  seedDecisions: number;
}

const MINIMUM_RELIABLE_INCLUSIONS = 10;

const whole = (value: number): string => Math.round(value).toLocaleString('en-GB');

/** The guidance beside the record: the numbers and a few sentences that say what they mean. */
export const stoppingGuidance = (labels: ArrayLike<number>, totalRecords: number, options: Partial<GuidanceOptions> = {}): StoppingGuidance => {
  const settings: GuidanceOptions = { ...defaultKneeOptions, seedDecisions: 0, ...options };
  const screened = labels.length;
  const seeds = Math.min(settings.seedDecisions, screened);
  let included = 0;
  let seedInclusions = 0;
  let sinceLastInclusion = 0;
  for (let index = 0; index < screened; index += 1) {
    if (labels[index] === 1) {
      included += 1;
      seedInclusions += index < seeds ? 1 : 0;
      sinceLastInclusion = 0;
    } else {
      sinceLastInclusion += 1;
    }
  }
  const ranked = Array.from({ length: screened - seeds }, (_, index) => labels[seeds + index] as number);
  const tailKnee = kneeMethod(ranked, settings);
  const knee = { ...tailKnee, kneeAt: tailKnee.kneeAt === undefined ? undefined : tailKnee.kneeAt + seeds };
  const tailEstimate = estimateRemaining(ranked, totalRecords - seeds);
  const estimate =
    tailEstimate === undefined ? undefined : { ...tailEstimate, recall: included / (included + tailEstimate.remaining) };
  const isReliable = included - seedInclusions >= MINIMUM_RELIABLE_INCLUSIONS;
  const sentences = [
    included === 0
      ? `No inclusions yet in ${counted(screened, 'record')} screened.`
      : `${counted(sinceLastInclusion, 'record')} screened since the last inclusion (${whole(included)} included of ${whole(screened)} screened).`,
  ];
  if (knee.slopeRatio === undefined) {
    sentences.push('Knee method (Cormack & Grossman 2016): no knee in the curve of inclusions yet.');
  } else {
    const verdict = knee.isMet
      ? 'its stopping point is reached'
      : screened - seeds < settings.minimumScreened
        ? `not met: it needs at least ${whole(settings.minimumScreened)} records screened`
        : `not met: it needs ${whole(knee.targetRatio)} times`;
    sentences.push(
      `Knee method (Cormack & Grossman 2016): inclusions came ${knee.slopeRatio.toFixed(1)} times faster before the knee at record ${whole(knee.kneeAt ?? 0)} than after it; ${verdict}.`,
    );
  }
  // Until the ranking has found enough inclusions the estimate's figures are left out of the words
  // (they stay in `estimate`): "about 0 remain, recall 94%" after a handful of records invites stopping.
  if (estimate !== undefined && isReliable) {
    const unscreened = Math.max(totalRecords - screened, 0);
    sentences.push(
      `About ${whole(estimate.remaining)} relevant records may remain among the ${whole(unscreened)} unscreened (estimated recall ${Math.round(estimate.recall * 100)}%), ` +
        `extrapolating the ${estimate.isRateFalling ? 'falling' : 'not yet falling'} rate of inclusions (exponential rate, Poisson fit, after Sneyd & Stevenson 2021); an estimate, not a guarantee, and on published review datasets it ran high (95% where 91% of the relevant records had been found).`,
    );
  }
  if (!isReliable && included > 0) {
    const foundByRanking = included - seedInclusions;
    sentences.push(
      `${foundByRanking === 0 ? 'The ranking has found no inclusion yet (the records included so far came before it ranked)' : `The ranking has found only ${counted(foundByRanking, 'inclusion')} so far`}, ` +
        `so neither the knee method nor an estimate of recall can be trusted yet; ` +
        `the estimate of relevant records remaining is shown once the ranking has found ${whole(MINIMUM_RELIABLE_INCLUSIONS)}.`,
    );
  }
  return { screened, included, sinceLastInclusion, knee, estimate, isReliable, explanation: sentences.join(' ') };
};
