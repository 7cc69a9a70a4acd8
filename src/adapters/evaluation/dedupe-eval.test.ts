import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateDedupe } from './dedupe-eval.js';

const screening = fileURLToPath(new URL('../../../../shared/data/screening', import.meta.url));
const labelled = fileURLToPath(new URL('../../../test/fixtures/dedupe/labelled-pairs.tsv', import.meta.url));
if (!existsSync(screening)) {
  console.warn(`No screening data at ${screening}: the de-duplication evaluation is skipped`);
}

describe.skipIf(!existsSync(screening))('de-duplication on the labelled screening sets', () => {
  it('never merges distinct works automatically, and finds every labelled duplicate at least as a candidate', () => {
    const result = evaluateDedupe(screening, labelled);
    expect(result.records).toBeGreaterThan(14_000);
    expect(result.labelled.wrong).toEqual([]);
    expect(result.automatic.precision).toBe(1);
    expect(result.automatic.recall).toBeGreaterThanOrEqual(0.98);
    expect(result.withCandidates.recall).toBe(1);
    expect(result.withCandidates.precision).toBeGreaterThanOrEqual(0.95);
  });
});
