import { describe, expect, it } from 'vitest';
import { counted, foldLetters } from './text.js';

describe('counted', () => {
  it('puts the noun in the singular for one and the plural otherwise, with British digit grouping', () => {
    expect(counted(1, 'record')).toBe('1 record');
    expect(counted(0, 'record')).toBe('0 records');
    expect(counted(1200, 'record')).toBe('1,200 records');
    expect(counted(2, 'study', 'studies')).toBe('2 studies');
    expect(counted(1, 'study', 'studies')).toBe('1 study');
  });
});

describe('foldLetters', () => {
  it('lower-cases and removes diacritics, including letters with no decomposition', () => {
    expect(foldLetters('Sjögren Straße Ærø')).toBe('sjogren strasse aero');
  });
});
