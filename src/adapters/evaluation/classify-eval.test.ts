import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../../core/evidence/record.js';
import { collectFixtureRecords, evaluateClassification } from './classify-eval.js';

const formats = fileURLToPath(new URL('../../../../shared/data/formats', import.meta.url));

describe('classification evaluation', () => {
  it('scores against the design named by the publication type, with it hidden, counting each title once', () => {
    const trial = { ...emptyRecord(), title: 'Drug A for asthma', abstract: 'A randomised controlled trial of 300 adults.', publicationTypes: ['Randomized Controlled Trial'] };
    const result = evaluateClassification([
      trial,
      trial,
      { ...emptyRecord(), title: 'Guidance on asthma', publicationTypes: ['Practice Guideline'] },
      { ...emptyRecord(), title: 'Untyped', publicationTypes: ['Journal Article'] },
    ]);
    expect(result).toMatchObject({ records: 2, correct: 1, accuracy: 0.5 });
    expect(result.mistakes).toEqual([{ title: 'Guidance on asthma', truth: 'guideline', predicted: 'other', reason: 'no design named' }]);
  });

  it.skipIf(!existsSync(formats))('recovers the randomised trial in the real fixtures without its publication type', async () => {
    const result = evaluateClassification(await collectFixtureRecords(formats));
    expect(result.records).toBeGreaterThanOrEqual(3);
    expect(result.byDesign.find((entry) => entry.design === 'rct')).toEqual({ design: 'rct', records: 1, correct: 1 });
  });
});
