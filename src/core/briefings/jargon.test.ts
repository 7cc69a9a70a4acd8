import { describe, expect, it } from 'vitest';
import { findJargon, jargonTerms } from './jargon.js';

const found = (text: string) => findJargon(text).map(({ start, end, text: written, term }) => [start, end, written, term]);

describe('findJargon', () => {
  it('keeps a curated list of at least 150 terms, each once, with a plainer alternative', () => {
    expect(jargonTerms.length).toBeGreaterThanOrEqual(150);
    const keys = jargonTerms.map((entry) => (entry.isCaseSensitive === true ? entry.term : entry.term.toLowerCase()));
    expect(new Set(keys).size).toBe(keys.length);
    for (const entry of jargonTerms) {
      expect(entry.plain.trim(), entry.term).not.toBe('');
      expect(entry.plain.toLowerCase(), entry.term).not.toBe(entry.term.toLowerCase());
    }
  });

  it('finds whole terms with their offsets, the longest phrase first', () => {
    // "The " is 4 characters; "randomised controlled trial" 27; " showed " 8; "efficacy" 8; " in the " 8.
    expect(found('The randomised controlled trial showed efficacy in the cohort.')).toEqual([
      [4, 31, 'randomised controlled trial', 'randomised controlled trial'],
      [39, 47, 'efficacy', 'efficacy'],
      [55, 61, 'cohort', 'cohort'],
    ]);
  });

  it('ignores case except in acronyms', () => {
    expect(found('Intervention works; that is nice; NICE agrees.')).toEqual([
      [0, 12, 'Intervention', 'intervention'],
      [34, 38, 'NICE', 'NICE'],
    ]);
  });

  it('matches plurals, verb endings and hyphen variants, but not inside other words', () => {
    expect(found('Cohorts, comorbidities, ICBs; we utilised follow up and coproduction.').map((match) => match[3])).toEqual([
      'cohort',
      'comorbidity',
      'ICB',
      'utilise',
      'follow-up',
      'co-production',
    ]);
    expect(findJargon('An interventionist biography of Dracula')).toEqual([]);
  });

  it('gives the plain words for the terms the issue names', () => {
    const plain = (text: string) => findJargon(text)[0]?.plain;
    expect(plain('commissioning')).toBe('buying services');
    expect(plain('statistically significant')).toBe('unlikely to be due to chance');
    expect(plain('an intervention')).toBe('treatment or programme');
    expect(plain('a cohort')).toBe('group');
    expect(plain('efficacy')).toBe('how well it works');
  });
});
