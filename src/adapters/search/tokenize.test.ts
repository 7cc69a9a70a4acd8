import { describe, expect, it } from 'vitest';
import { americanSpelling, terms, tokenize } from './tokenize.js';

describe('americanSpelling', () => {
  it.each([
    ['paediatric', 'pediatric'],
    ['behaviour', 'behavior'],
    ['anaemia', 'anemia'],
    ['haemoglobin', 'hemoglobin'],
    ['orthopaedic', 'orthopedic'],
    ['aetiology', 'etiology'],
    ['oesophageal', 'esophageal'],
    ['randomised', 'randomized'],
    ['organisation', 'organization'],
    ['hospitalisations', 'hospitalizations'],
    ['centre', 'center'],
    ['fibre', 'fiber'],
    ['counselling', 'counseling'],
    ['programme', 'program'],
    ['ageing', 'aging'],
    ['diarrhoea', 'diarrhea'],
  ])('maps %s to %s', (british, american) => {
    expect(americanSpelling(british)).toBe(american);
  });

  it.each(['exercise', 'advise', 'otherwise', 'aerobic', 'acre', 'genre', 'controlling', 'four', 'hour', 'contour'])('leaves %s alone', (word) => {
    expect(americanSpelling(word)).toBe(word);
  });
});

describe('tokenize', () => {
  it('makes British and American spellings, and inflections, the same terms', () => {
    expect(terms('Paediatric anaemia: randomised trials of behavioural programmes')).toEqual(terms('pediatric anemia randomized trial behavioral program'));
  });

  it('drops stop words but keeps negations, folds diacritics and splits and joins hyphenated words', () => {
    expect(terms('The effect of NOT using anti-inflammatory drugs in Sjögren’s syndrome')).toEqual([
      'effect',
      'not',
      'us',
      'anti',
      'inflammatori',
      'antiinflammatori',
      'drug',
      'sjogren',
      's',
      'syndrom',
    ]);
  });

  it('records offsets into the original text and shared positions for joined forms', () => {
    const text = 'Straße COVID-19 vaccines';
    const tokens = tokenize(text);
    expect(tokens.map((token) => [token.term, text.slice(token.start, token.end), token.position])).toEqual([
      ['strass', 'Straße', 0],
      ['covid', 'COVID', 1],
      ['19', '19', 2],
      ['covid19', 'COVID-19', 2],
      ['vaccin', 'vaccines', 3],
    ]);
  });

  it('gives the same terms from the memo as from the words themselves, in the same order', () => {
    const text = 'Counselling-based interventions for Hospitalisations: HAEMOGLOBIN, haemoglobin and Straße; anti-inflammatory (COVID-19) immunohistochemistry';
    const expected = tokenize(text).map((token) => token.term);
    expect(expected).toContain('antiinflammatori');
    // Twice: the first call fills the memo, the second reads it.
    expect(terms(text)).toEqual(expected);
    expect(terms(text)).toEqual(expected);
    expect(terms(text.toUpperCase())).toEqual(expected);
    expect(terms('')).toEqual([]);
  });
});

