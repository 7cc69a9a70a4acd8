import { describe, expect, it } from 'vitest';
import { authorsSentence, shortAuthors } from './record-parts.js';

describe('shortAuthors', () => {
  it.each([
    [['Clarke, Hannah', 'Taylor, Sam'], 'Clarke H, Taylor S'],
    [['Gross-Tsur, V', 'van der Berg, Jan-Willem', 'Okafor, T. J.', 'Fourth, A'], 'Gross-Tsur V, van der Berg JW, Okafor TJ, et al.'],
    [['National Guideline Centre'], 'National Guideline Centre'],
    [[], 'No authors listed'],
  ])('writes %j as %j', (authors, expected) => {
    expect(shortAuthors(authors)).toBe(expected);
  });
});

describe('authorsSentence', () => {
  it.each([
    [['Clarke, Hannah', 'Taylor, Sam'], 'Clarke H, Taylor S.'],
    [['A, A', 'B, B', 'C, C', 'D, D'], 'A A, B B, C C, et al.'],
    [[], 'No authors listed.'],
  ])('ends %j with one full stop: %j', (authors, expected) => {
    expect(authorsSentence(authors)).toBe(expected);
  });
});
