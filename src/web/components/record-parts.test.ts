import { describe, expect, it } from 'vitest';
import { shortAuthors } from './record-parts.js';

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
