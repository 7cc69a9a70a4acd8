/** Rounds to one decimal place, as the dashboard shows days and percentages. */
export const round1 = (value: number): number => Math.round(value * 10) / 10;

/** Hours are entered to two decimal places, so their sums are shown to two as well. */
export const round2 = (value: number): number => Math.round(value * 100) / 100;

/** The middle value (the mean of the two middle values for an even count); undefined for none. */
export const median = (values: readonly number[]): number | undefined => {
  if (values.length === 0) {
    return undefined;
  }
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export const mean = (values: readonly number[]): number | undefined =>
  values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;

/** A share as a percentage with one decimal; undefined when the whole is zero. */
export const percent = (part: number, whole: number): number | undefined => (whole === 0 ? undefined : round1((100 * part) / whole));

export const roundedOrNull = (value: number | undefined): number | null => (value === undefined ? null : round1(value));
