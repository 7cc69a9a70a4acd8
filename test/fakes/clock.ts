import type { Clock } from '../../src/core/shared/clock.js';

/** A clock that stands still until told to move. */
export const createFakeClock = (start = new Date('2026-03-02T09:00:00Z')) => {
  let now = start;
  const clock: Clock = { now: () => now };
  return { clock, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
};
