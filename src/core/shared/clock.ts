/** Time, injected so that the core never reads the system clock and tests stay deterministic. */
export interface Clock {
  now(): Date;
}
