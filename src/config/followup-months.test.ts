import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('FOLLOWUP_MONTHS', () => {
  it('defaults to 1, 3, 6 and 12 months, and reads a list of months in any order', () => {
    expect(loadConfig({}).followupMonths).toEqual([1, 3, 6, 12]);
    expect(loadConfig({ FOLLOWUP_MONTHS: '12, 2,2' }).followupMonths).toEqual([2, 12]);
  });

  it.each(['0', 'three', '1,,3', '1.5', '61'])('refuses %s, naming the variable', (value) => {
    expect(() => loadConfig({ FOLLOWUP_MONTHS: value })).toThrow(ConfigError);
    try {
      loadConfig({ FOLLOWUP_MONTHS: value });
    } catch (error) {
      expect((error as ConfigError).problems.join('\n')).toContain('FOLLOWUP_MONTHS');
    }
  });
});
