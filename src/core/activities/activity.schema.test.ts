import { describe, expect, it } from 'vitest';
import { activityInputSchema } from './activity.schema.js';

const activity = (hours: unknown) => ({ kind: 'training', title: 'Evidence workshop', occurredOn: '2026-03-02', hours });

describe('activityInputSchema hours', () => {
  it.each([
    ['2.5', 2.5],
    [' 3 ', 3],
    [1.25, 1.25],
    ['0', 0],
  ])('takes %j as %j hours', (hours, expected) => {
    expect(activityInputSchema.parse(activity(hours)).hours).toBe(expected);
  });

  it.each([
    ['1e3', 'Enter the hours as a number, like 1.5'],
    ['0x10', 'Enter the hours as a number, like 1.5'],
    ['lots', 'Enter the hours as a number, like 1.5'],
    ['-1', 'Hours cannot be negative'],
    ['1.255', 'Enter the hours to at most two decimal places'],
  ])('refuses %j: %s', (hours, message) => {
    const result = activityInputSchema.safeParse(activity(hours));
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });
});
