import type { Random } from './random.js';

export interface QueryOptions {
  /**
   * The share of places given to a record drawn at random from the rest, in [0, 1): each place is a
   * random pick with this probability (ASReview's "mixed" max + random query works the same way,
   * with a fixed share of each batch). Random picks guard against a model that has locked onto one
   * kind of relevant record.
   */
  randomShare: number;
  random?: Random | undefined;
}

/** Candidates sorted by score, highest first; equal scores keep the lower record index first. */
export const byScore = (scores: Float64Array, candidates: ArrayLike<number>): Int32Array => {
  const positions = Int32Array.from({ length: candidates.length }, (_, position) => position);
  positions.sort((left, right) => (scores[right] as number) - (scores[left] as number) || (candidates[left] as number) - (candidates[right] as number));
  return positions.map((position) => candidates[position] as number);
};

/**
 * The order to screen candidates in: most likely relevant first ("max" query, ASReview's default),
 * with an optional share of random picks. `scores[i]` belongs to `candidates[i]`; `count` limits how
 * many places are filled (all by default).
 */
export const orderForScreening = (scores: Float64Array, candidates: ArrayLike<number>, options: QueryOptions, count: number = candidates.length): Int32Array => {
  const ranked = byScore(scores, candidates);
  const places = Math.min(count, ranked.length);
  const random = options.random;
  if (options.randomShare <= 0 || random === undefined) {
    return ranked.slice(0, places);
  }
  const isTaken = new Uint8Array(ranked.length);
  const order = new Int32Array(places);
  let best = 0;
  let taken = 0;
  for (let place = 0; place < places; place += 1) {
    let position: number;
    if (random.next() < options.randomShare) {
      // A uniform draw among those not yet placed: the k-th free position, k drawn at random.
      let skip = random.below(ranked.length - taken);
      position = 0;
      for (; position < ranked.length; position += 1) {
        if (isTaken[position] === 0) {
          if (skip === 0) {
            break;
          }
          skip -= 1;
        }
      }
    } else {
      while (isTaken[best] === 1) {
        best += 1;
      }
      position = best;
    }
    isTaken[position] = 1;
    taken += 1;
    order[place] = ranked[position] as number;
  }
  return order;
};
