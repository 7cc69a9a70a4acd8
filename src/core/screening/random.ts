/**
 * A seeded pseudo-random source, so that a simulation or a ranking with random picks is the same
 * every time for the same seed (STYLE.md: inject `Random`, seed the ranker).
 */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** A whole number in [0, bound). */
  below(bound: number): number;
}

/**
 * Mulberry32 (Tommy Ettinger's 32-bit generator, public domain): small, fast and good enough for
 * sampling and shuffling. The seed is mixed once (SplitMix32 finaliser) so that seeds 1, 2, 3 …
 * start far apart.
 */
export const createRandom = (seed: number): Random => {
  let state = Math.trunc(seed) >>> 0;
  state = Math.imul(state ^ (state >>> 16), 0x85ebca6b) >>> 0;
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35) >>> 0;
  state = (state ^ (state >>> 16)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  return { next, below: (bound) => Math.floor(next() * bound) };
};

/** Shuffles in place (Fisher–Yates) and returns the same array. */
export const shuffle = <T>(items: T[], random: Random): T[] => {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = random.below(index + 1);
    const held = items[index] as T;
    items[index] = items[other] as T;
    items[other] = held;
  }
  return items;
};

/** `count` distinct items drawn without replacement, in draw order. */
export const sampleWithoutReplacement = (items: ArrayLike<number>, count: number, random: Random): number[] => {
  const pool = Array.from(items);
  const drawn: number[] = [];
  for (let index = 0; index < count && index < pool.length; index += 1) {
    const other = index + random.below(pool.length - index);
    const held = pool[index] as number;
    pool[index] = pool[other] as number;
    pool[other] = held;
    drawn.push(pool[index] as number);
  }
  return drawn;
};
