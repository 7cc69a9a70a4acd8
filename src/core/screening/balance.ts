import { sampleWithoutReplacement, type Random } from './random.js';

/** ASReview's defaults for double balance (`asreview/models/balance/double.py`, ASReview 0.x and 1.x). */
export const doubleBalanceDefaults = { a: 2.155, alpha: 0.94, b: 0.789, beta: 1.0 } as const;

export type DoubleBalanceParameters = { a: number; alpha: number; b: number; beta: number };

/** Round down or up at random, up with probability equal to the fraction (ASReview's `random_round`). */
const randomRound = (value: number, random: Random): number => {
  const base = Math.floor(value);
  return random.next() < value - base ? base + 1 : base;
};

/**
 * How many copies of each source record fill `count` training places: every record `floor(count / n)`
 * times, then the remainder drawn without replacement (ASReview's `fill_training`).
 */
const fill = (source: readonly number[], count: number, copies: Float64Array, random: Random): void => {
  const whole = Math.floor(count / source.length);
  for (const index of source) {
    copies[index] = whole;
  }
  for (const index of sampleWithoutReplacement(source, count - whole * source.length, random)) {
    copies[index] = (copies[index] as number) + 1;
  }
};

/**
 * Double balance ("dynamic resampling"), ASReview's default balance strategy, as sample weights:
 * the training set keeps its size n, but inclusions are copied (weight `a · (n₁/n₀)^−α`) and
 * exclusions sampled down (weight `1 − (1 − b) · (1 + ln n)^−β`), the number of inclusion places
 * rounded at random, at least one and at most n − 2. ASReview resamples rows; a record's weight here
 * is the number of times it would appear in that resampled set, which for naive Bayes and for a
 * weighted loss gives the same model. With only one class there is nothing to balance: weights are 1
 * (ASReview falls back to simple balance).
 *
 * Source: ASReview, `asreview/models/balance/double.py` (Apache-2.0), described in Ferdinands et al.
 * (2023), "Performance of active learning models for screening prioritization in systematic reviews",
 * Systematic Reviews 12:100.
 */
export const doubleBalance = (labels: ArrayLike<number>, random: Random, parameters: DoubleBalanceParameters = doubleBalanceDefaults): Float64Array => {
  const ones: number[] = [];
  const zeros: number[] = [];
  for (let index = 0; index < labels.length; index += 1) {
    (labels[index] === 1 ? ones : zeros).push(index);
  }
  const weights = new Float64Array(labels.length);
  if (ones.length === 0 || zeros.length === 0) {
    return weights.fill(1);
  }
  const total = labels.length;
  const oneWeight = parameters.a * (ones.length / zeros.length) ** -parameters.alpha;
  const zeroWeight = 1 - (1 - parameters.b) * (1 + Math.log(total)) ** -parameters.beta;
  const bothWeights = oneWeight * ones.length + zeroWeight * zeros.length;
  const onePlaces = Math.max(1, Math.min(total - 2, randomRound((oneWeight * ones.length * total) / bothWeights, random)));
  fill(ones, onePlaces, weights, random);
  fill(zeros, total - onePlaces, weights, random);
  return weights;
};

/**
 * "Balanced" sample weights, ASReview 2's default balancer (`asreview/models/balancers.py`): every
 * inclusion weighs 1 and every exclusion `n₁ / (ratio · n₀)`, rescaled so the weights sum to n.
 * ASReview 2 ships ratio 9.8 with its default ("ELAS u4") model.
 */
export const balancedWeights = (labels: ArrayLike<number>, ratio: number = 9.8): Float64Array => {
  let ones = 0;
  for (let index = 0; index < labels.length; index += 1) {
    ones += labels[index] === 1 ? 1 : 0;
  }
  const zeros = labels.length - ones;
  const weights = new Float64Array(labels.length);
  if (ones === 0 || zeros === 0) {
    return weights.fill(1);
  }
  const zeroWeight = ones / (ratio * zeros);
  const scale = labels.length / (ones + zeroWeight * zeros);
  for (let index = 0; index < labels.length; index += 1) {
    weights[index] = (labels[index] === 1 ? 1 : zeroWeight) * scale;
  }
  return weights;
};
