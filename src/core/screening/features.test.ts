import { describe, expect, it } from 'vitest';
import { buildFeatures } from './features.js';
import { rowOf } from './sparse.js';
import { tokenise } from './tokenise.js';

const weightsOf = (space: ReturnType<typeof buildFeatures>, row: number): Record<string, number> => {
  const vector = rowOf(space.matrix, row);
  return Object.fromEntries(Array.from(vector.indices, (column, position) => [space.termOf(column), vector.values[position] as number]));
};

describe('tokenise', () => {
  it('lower-cases, keeps runs of two or more word characters and drops English stop words', () => {
    expect(tokenise('The COVID-19 vaccine: a trial of 2 doses in older adults')).toEqual(['covid', '19', 'vaccine', 'trial', 'doses', 'older', 'adults']);
  });

  it('keeps stop words when asked', () => {
    expect(tokenise('The trial of a vaccine', { stopWords: false })).toEqual(['the', 'trial', 'of', 'vaccine']);
  });

  it('reads letters beyond ASCII as word characters', () => {
    expect(tokenise('Études naïves über Gesundheit')).toEqual(['études', 'naïves', 'über', 'gesundheit']);
  });
});

describe('buildFeatures', () => {
  it('weighs words by raw count × smoothed idf and scales each record to unit length (scikit-learn’s defaults)', () => {
    const space = buildFeatures([{ title: 'apple banana' }, { title: 'apple cherry cherry' }], { ngrams: 1, minDocumentFrequency: 1, sublinearTf: false });
    const appleIdf = Math.log(3 / 3) + 1;
    const rareIdf = Math.log(3 / 2) + 1;
    const first = Math.hypot(appleIdf, rareIdf);
    expect(weightsOf(space, 0)).toEqual({ apple: expect.closeTo(appleIdf / first, 12), banana: expect.closeTo(rareIdf / first, 12) });
    const second = Math.hypot(appleIdf, 2 * rareIdf);
    expect(weightsOf(space, 1)).toEqual({ apple: expect.closeTo(appleIdf / second, 12), cherry: expect.closeTo((2 * rareIdf) / second, 12) });
  });

  it('adds bigrams of the words left after stop words are removed', () => {
    const space = buildFeatures([{ title: 'Statins for the prevention', abstract: 'of stroke' }], { minDocumentFrequency: 1 });
    expect(Object.keys(weightsOf(space, 0)).sort()).toEqual(['prevention', 'prevention stroke', 'statins', 'statins prevention', 'stroke']);
  });

  it('keeps only features found in two or more records, with sublinear tf, by default', () => {
    const space = buildFeatures([{ title: 'statin trial trial' }, { title: 'statin trial cohort' }], { ngrams: 1 });
    expect(Object.keys(weightsOf(space, 1)).sort()).toEqual(['statin', 'trial']);
    const weights = weightsOf(space, 0);
    expect((weights.trial as number) / (weights.statin as number)).toBeCloseTo(1 + Math.log(2), 12);
  });

  it('damps repeated words with sublinear tf', () => {
    const raw = weightsOf(buildFeatures([{ title: 'trial trial trial placebo' }], { ngrams: 1, minDocumentFrequency: 1, sublinearTf: false }), 0);
    const damped = weightsOf(buildFeatures([{ title: 'trial trial trial placebo' }], { ngrams: 1, minDocumentFrequency: 1, sublinearTf: true }), 0);
    expect((raw.trial as number) / (raw.placebo as number)).toBeCloseTo(3, 12);
    expect((damped.trial as number) / (damped.placebo as number)).toBeCloseTo(1 + Math.log(3), 12);
  });

  it('drops features outside the document-frequency limits', () => {
    const space = buildFeatures([{ title: 'common rare' }, { title: 'common extra' }, { title: 'common extra' }], { ngrams: 1, minDocumentFrequency: 2, maxDocumentShare: 0.9 });
    expect(Array.from({ length: space.matrix.columns }, (_, column) => space.termOf(column))).toEqual(['extra']);
  });

  it('puts a protocol text in the same space, ignoring words the review does not use', () => {
    const space = buildFeatures([{ title: 'statin trial' }, { title: 'housing study' }], { ngrams: 1, minDocumentFrequency: 1 });
    const vector = space.vectorise('Do statins or a statin trial reduce strokes?');
    expect(Array.from(vector.indices, (column) => space.termOf(column)).sort()).toEqual(['statin', 'trial']);
    expect(Math.hypot(...vector.values)).toBeCloseTo(1, 12);
  });
});
