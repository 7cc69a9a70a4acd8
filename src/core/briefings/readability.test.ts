import { describe, expect, it } from 'vitest';
import { assessReadability, countSyllables, hardestSentences, measureReadability, readabilityTargets, splitSentences } from './readability.js';

const texts = (text: string) => splitSentences(text).map((span) => span.text);

describe('splitSentences', () => {
  it('does not end a sentence at abbreviations, initials or decimal points', () => {
    const text = 'Dr Smith saw 3.5 times more patients, e.g. those with frailty. Prof. Jones agreed! Did it work? Yes.';
    expect(texts(text)).toEqual(['Dr Smith saw 3.5 times more patients, e.g. those with frailty.', 'Prof. Jones agreed!', 'Did it work?', 'Yes.']);
    expect(texts('Use local schemes, e.g. Sure Start centres, where possible. J. Smith wrote No. 5 in the U.K. Government report. It cost approx. £3 per head.')).toEqual([
      'Use local schemes, e.g. Sure Start centres, where possible.',
      'J. Smith wrote No. 5 in the U.K. Government report.',
      'It cost approx. £3 per head.',
    ]);
  });

  it('gives offsets into the text as written, skipping citations and list marks', () => {
    const text = 'Falls fell [@1]. Costs too.\n\n- First point\n- Second point [@2, @3]\n\nA paragraph\nover two lines.';
    const spans = splitSentences(text);
    expect(spans.map((span) => span.text)).toEqual(['Falls fell [@1].', 'Costs too.', 'First point', 'Second point', 'A paragraph\nover two lines.']);
    for (const span of spans) {
      expect(text.slice(span.start, span.end)).toBe(span.text);
    }
    expect(spans[2]).toMatchObject({ start: 31, end: 42 });
  });
  it('reads a pipe table cell by cell, not as one long sentence, and skips the delimiter row', () => {
    const text = 'Trials agree.\n| Study | Effect |\n|:---|---:|\n| Smith 2021 [@1] | Fewer falls. Fewer fractures. |\nDoe | Unclear\nAfter the table.';
    const spans = splitSentences(text);
    expect(spans.map((span) => span.text)).toEqual(['Trials agree.', 'Study', 'Effect', 'Smith 2021', 'Fewer falls.', 'Fewer fractures.', 'Doe', 'Unclear', 'After the table.']);
    for (const span of spans) {
      expect(text.slice(span.start, span.end)).toBe(span.text);
    }
    // Nine short sentences, so the table does not make the section look hard.
    expect(measureReadability(text).sentences.every((sentence) => sentence.words <= 3)).toBe(true);
  });
});

describe('countSyllables', () => {
  it.each([
    ['cat', 1],
    ['garden', 2],
    ['evidence', 3],
    ['interventions', 4],
    ['NHS', 3],
    ['ICBs', 3],
    ['WHO', 5],
    ['7', 1],
    ['2021', 2],
    ['3.5', 2],
  ])('counts %s as %i', (word, expected) => {
    expect(countSyllables(word)).toBe(expected);
  });
});

describe('measureReadability', () => {
  it('scores a one-sentence text as the Flesch formulas give by hand', () => {
    // 6 words, 6 syllables, 1 sentence: 206.835 − 1.015 × 6 − 84.6 × 1 = 116.145; 0.39 × 6 + 11.8 − 15.59 = −1.45.
    const readability = measureReadability('The cat sat on the mat.');
    expect(readability).toMatchObject({ words: 6, syllables: 6 });
    expect(readability.sentences).toHaveLength(1);
    expect(readability.scores?.readingEase).toBeCloseTo(116.1, 1);
    // Rounded to one decimal: −1.4 or −1.5.
    expect(Math.abs((readability.scores?.grade ?? 0) + 1.45)).toBeLessThan(0.06);
    expect(readability.scores?.readingAge).toBe(5);
  });

  it('averages over sentences', () => {
    // 18 words, 20 syllables, 2 sentences: ease 206.835 − 9.135 − 94.0 = 103.7; grade 3.51 + 13.11 − 15.59 = 1.03.
    const readability = measureReadability('The cat sat on the mat. It was a sunny day and the dog played in the garden.');
    expect(readability).toMatchObject({ words: 18, syllables: 20, scores: { readingEase: 103.7, grade: 1, readingAge: 6 } });
  });

  it('scores dense prose as very hard', () => {
    // 4 words, 16 syllables: ease 206.835 − 4.06 − 338.4 = −135.6; grade 1.56 + 47.2 − 15.59 = 33.17.
    expect(measureReadability('Researchers evaluated community interventions.').scores).toEqual({ readingEase: -135.6, grade: 33.2, readingAge: 38 });
  });

  it('has no scores for a text without words', () => {
    expect(measureReadability(' [@1]\n\n- \n').scores).toBeUndefined();
  });

  it('orders the hardest sentences by grade', () => {
    const text = 'We met. Researchers evaluated community interventions thoroughly. The cat sat on the mat with the dog.';
    expect(hardestSentences(measureReadability(text), 2).map((sentence) => sentence.text)).toEqual([
      'Researchers evaluated community interventions thoroughly.',
      'The cat sat on the mat with the dog.',
    ]);
  });
});

describe('assessReadability', () => {
  it('aims a public summary at reading age 9 to 11', () => {
    expect(readabilityTargets.public).toMatchObject({ maxGrade: 6, minReadingEase: 70, readingAges: { from: 9, to: 11 } });
    expect(readabilityTargets.board.maxGrade).toBeLessThanOrEqual(12);
  });

  it('says plain text meets the public target', () => {
    const result = assessReadability('We looked at how to stop falls. We found that simple exercise at home helps. People fell less often.', 'public');
    expect(result.verdict).toBe('meets');
    expect(result.explanation).toMatch(/^Reading age about \d+ .*easy enough for the public/);
    expect(result.hardest).toEqual([]);
  });

  it('says a long sentence is a little hard for the public, and points at it', () => {
    const text = 'Exercise programmes delivered at home reduced the number of falls in older people by about a quarter. The studies were well conducted, but most were small.';
    const result = assessReadability(text, 'public');
    expect(result.verdict).toBe('near');
    expect(result.hardest.map((sentence) => text.slice(sentence.start, sentence.end))).toEqual([
      'Exercise programmes delivered at home reduced the number of falls in older people by about a quarter.',
    ]);
  });

  it('says research prose is too hard for the public but fine for a board, and finds its jargon', () => {
    const text = 'The randomised controlled trial showed a statistically significant fall in admissions. Commissioners should consider the results.';
    const forPublic = assessReadability(text, 'public');
    expect(forPublic.verdict).toBe('hard');
    expect(forPublic.explanation).toContain('too hard for the public');
    expect(forPublic.jargon.map((match) => match.plain)).toEqual(['a fair test comparing groups chosen by chance', 'unlikely to be due to chance', 'people who buy services']);
    const forBoard = assessReadability('Commissioners should fund home exercise. It cut falls by a quarter in older people.', 'board');
    expect(forBoard.verdict).toBe('meets');
  });

  it('has nothing to say about an empty section', () => {
    expect(assessReadability('', 'practitioners')).toMatchObject({ verdict: 'empty', explanation: 'There is no text to measure yet.', hardest: [], jargon: [] });
  });
});
