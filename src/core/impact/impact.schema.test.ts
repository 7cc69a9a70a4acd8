import { describe, expect, it } from 'vitest';
import { followupAnswerSchema, impactInputSchema, impactKindsFor } from './impact.schema.js';

const fieldsOf = (input: unknown) => {
  const result = followupAnswerSchema.safeParse(input);
  return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
};

describe('the follow-up answer', () => {
  it('accepts several uses with details, and drops an empty reason', () => {
    expect(followupAnswerSchema.parse({ uses: ['informed_decision', 'changed_service', 'shared'], detail: '  Board paper  ', notUsedReason: '' })).toEqual({
      uses: ['informed_decision', 'changed_service', 'shared'],
      differences: [],
      detail: 'Board paper',
      notUsedReason: undefined,
    });
  });

  it.each([
    [{ uses: [] }, { uses: 'Choose how it has been used, or that it has not been used' }],
    [{ uses: ['not_used'] }, { notUsedReason: 'Tell us why it has not been used' }],
    [{ uses: ['not_used', 'shared'], notUsedReason: 'No time' }, { uses: 'Choose “We have not used it” on its own, or the ways it was used' }],
    [{ uses: ['not_used'], differences: ['skills'], notUsedReason: 'No time' }, { differences: 'If you have not used it, leave these unticked' }],
    [{ uses: ['sold_it'] }, { 'uses.0': expect.any(String) }],
  ])('refuses %j', (input, fields) => {
    expect(fieldsOf(input)).toEqual(fields);
  });

  it('applies the same rules to impact a fellow logs', () => {
    expect(impactInputSchema.safeParse({ needId: '4a0d5a2e-3c7b-4a55-9a57-1f0f1f2a3b4c', uses: ['not_used'] }).success).toBe(false);
    expect(impactInputSchema.parse({ needId: '4a0d5a2e-3c7b-4a55-9a57-1f0f1f2a3b4c', uses: ['shared'], kinds: ['culture_change'] })).toMatchObject({ kinds: ['culture_change'], fellowIds: [] });
  });
});

describe('mapping an answer to kinds of impact', () => {
  it.each([
    [{ uses: ['informed_decision'] }, ['instrumental']],
    [{ uses: ['changed_service', 'informed_decision'] }, ['instrumental']],
    [{ uses: ['shared'] }, ['conceptual']],
    [{ uses: ['shared'], differences: ['understanding'] }, ['conceptual']],
    [{ uses: ['informed_decision'], differences: ['culture', 'skills'] }, ['instrumental', 'capacity_building', 'culture_change']],
    [{ uses: ['not_used'] }, []],
  ] as const)('maps %j to %j', (answer, kinds) => {
    expect(impactKindsFor(answer)).toEqual(kinds);
  });
});
