import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decisionInputSchema, resolutionInputSchema } from './review.schema.js';

const recordId = randomUUID();

describe('decisionInputSchema', () => {
  it.each([
    [{ stage: 'title_abstract', decision: 'maybe' }, true],
    [{ stage: 'full_text', decision: 'maybe' }, false],
    [{ stage: 'full_text', decision: 'not_retrieved' }, true],
    [{ stage: 'title_abstract', decision: 'not_retrieved' }, false],
    [{ stage: 'full_text', decision: 'exclude' }, false],
    [{ stage: 'full_text', decision: 'exclude', reason: 'Wrong population' }, true],
  ])('takes %j: %s', (input, isValid) => {
    expect(decisionInputSchema.safeParse({ recordId, ...input }).success).toBe(isValid);
  });

  it('says why "maybe" is refused at full text, on the decision field', () => {
    const result = decisionInputSchema.safeParse({ recordId, stage: 'full_text', decision: 'maybe' });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['decision'], message: '“Maybe” is for title and abstract screening; at full text, include or exclude' })]);
  });
});

describe('resolutionInputSchema', () => {
  it.each([
    [{ stage: 'full_text', decision: 'not_retrieved' }, true],
    [{ stage: 'title_abstract', decision: 'not_retrieved' }, false],
    [{ stage: 'title_abstract', decision: 'include' }, true],
    [{ stage: 'title_abstract', decision: 'exclude' }, false],
  ])('takes %j: %s', (input, isValid) => {
    expect(resolutionInputSchema.safeParse({ recordId, ...input }).success).toBe(isValid);
  });
});
