import { syllable } from 'syllable';
import { findJargon, type JargonMatch } from './jargon.js';
import { tableLines } from './markup.js';
import type { Audience } from './types.js';

/**
 * Readability of briefing text: Flesch reading ease and Flesch–Kincaid grade (Kincaid et al. 1975,
 * "Derivation of new readability formulas for Navy enlisted personnel"), a UK reading age (US grade + 5,
 * as UK practice maps grades to ages), the hardest sentences with their offsets, and a verdict against
 * the audience's target. Syllables come from the `syllable` package (wooorm; English rules and an
 * exception list); numbers and acronyms, which it does not count, are counted as they are read aloud.
 *
 * Texts may be section bodies as written (briefing markup): citations (`[@2]`) and list markers at the
 * start of a line are ignored but keep their place, and a pipe table's cells are read one by one, so
 * every offset points into the text as given.
 */

/** A stretch of the text: `start` and `end` (exclusive) are offsets into it. */
export interface TextSpan {
  start: number;
  end: number;
  text: string;
}

export interface SentenceMeasure extends TextSpan {
  words: number;
  syllables: number;
  /** Flesch–Kincaid grade of this sentence alone. */
  grade: number;
}

export interface ReadabilityScores {
  /** Flesch reading ease: 0–100, higher is easier (60–70 is plain English); may leave that range. */
  readingEase: number;
  /** Flesch–Kincaid grade level (US school grade). */
  grade: number;
  /** UK reading age in years: grade + 5, at least 5. */
  readingAge: number;
}

export interface Readability {
  sentences: SentenceMeasure[];
  words: number;
  syllables: number;
  /** Undefined when the text has no words. */
  scores: ReadabilityScores | undefined;
}

const CITATION = /\[@[^\]\n]*\]/g;
const LIST_MARKER = /^[ \t]*(?:[-*•]|\d+[.)])[ \t]+/gm;
const WORD = /[\p{L}\p{M}\p{N}]+(?:(?:['’\-\u2010\u2011]|\.(?=[\p{L}\p{N}])|,(?=\p{N}{3}))[\p{L}\p{M}\p{N}]+)*/gu;
const TERMINATOR = /[.!?…]+["'”’)\]]*(?=\s|$)/gu;

/** Abbreviations whose full stop does not end a sentence (lower case, without their last full stop). */
const ABBREVIATIONS = new Set(['e.g', 'i.e', 'eg', 'ie', 'vs', 'cf', 'dr', 'mr', 'mrs', 'ms', 'prof', 'st', 'approx', 'al', 'fig', 'figs', 'vol', 'pp', 'p', 'ed', 'eds', 'ref', 'refs']);

/** Replaces markup that is not prose with spaces of the same length, so offsets stay put. */
const maskMarkup = (text: string): string => text.replace(CITATION, (match) => ' '.repeat(match.length)).replace(LIST_MARKER, (match) => ' '.repeat(match.length));

const TOKEN_CHARACTER = /[\p{L}\p{N}.]/u;
const NEXT_VISIBLE = /\s*(\S?)/uy;

/** Whether the terminator at `at` ends a sentence; looks only at the word before it and the character after. */
const isBoundary = (block: string, at: number, terminator: string): boolean => {
  NEXT_VISIBLE.lastIndex = at + terminator.length;
  const next = NEXT_VISIBLE.exec(block)?.[1] ?? '';
  if (next === '') {
    return true;
  }
  // "approx. three": a sentence does not start in lower case.
  if (/^\p{Ll}/u.test(next)) {
    return false;
  }
  if (terminator.startsWith('.') && !terminator.startsWith('..')) {
    let start = at;
    while (start > 0 && TOKEN_CHARACTER.test(block[start - 1] ?? '')) {
      start -= 1;
    }
    const token = block.slice(start, at);
    const lower = token.toLowerCase();
    // e.g, i.e, U.K (internal full stops), initials ("J. Smith"), "No. 5".
    if (ABBREVIATIONS.has(lower) || token.includes('.') || /^\p{Lu}$/u.test(token) || (lower === 'no' && /^\p{N}/u.test(next))) {
      return false;
    }
  }
  return true;
};

const trimmedSpan = (text: string, start: number, end: number): TextSpan | undefined => {
  const slice = text.slice(start, end);
  const leading = slice.length - slice.trimStart().length;
  const trimmed = slice.trim();
  return /[\p{L}\p{N}]/u.test(trimmed) ? { start: start + leading, end: start + leading + trimmed.length, text: trimmed } : undefined;
};

/**
 * Blocks of prose as the briefing markup reads them: a blank line ends a paragraph, each list item
 * is its own block, and the lines of one paragraph run on. In a pipe table each cell is its own block,
 * as a list item is (header cells too: they are read as well), and the delimiter row has none; so a
 * table is not read as one long sentence of every cell, and a hard cell can be marked on its own.
 */
const blocksOf = (text: string): { start: number; end: number }[] => {
  const blocks: { start: number; end: number }[] = [];
  let block: { start: number; end: number } | undefined;
  let isPreviousProse = false;
  let offset = 0;
  const lines = text.split('\n');
  const tables = tableLines(lines);
  lines.forEach((line, index) => {
    const isBlank = line.trim() === '';
    const isItem = /^[ \t]*(?:[-*•]|\d+[.)])[ \t]+/.test(line);
    const end = offset + line.length;
    const table = tables[index];
    if (table !== undefined) {
      block = undefined;
      if (table.kind !== 'delimiter') {
        blocks.push(...table.cells.filter((cell) => cell.end > cell.start).map((cell) => ({ start: offset + cell.start, end: offset + cell.end })));
      }
    } else if (isBlank) {
      block = undefined;
    } else if (block !== undefined && isPreviousProse && !isItem) {
      block.end = end;
    } else {
      block = { start: offset, end };
      blocks.push(block);
    }
    isPreviousProse = table === undefined && !isBlank && !isItem;
    offset = end + 1;
  });
  return blocks;
};

/**
 * Sentences of a text with their offsets. A sentence ends at ., ! or ? followed by a space and a
 * capital, a digit or the end, and at the end of a paragraph or list item (which need no full stop).
 */
export const splitSentences = (text: string): TextSpan[] => {
  const masked = maskMarkup(text);
  const spans: TextSpan[] = [];
  const push = (start: number, end: number) => {
    const span = trimmedSpan(masked, start, end);
    if (span !== undefined) {
      spans.push({ ...span, text: text.slice(span.start, span.end) });
    }
  };
  for (const { start, end } of blocksOf(text)) {
    const block = masked.slice(start, end);
    let sentenceStart = 0;
    for (const match of block.matchAll(TERMINATOR)) {
      if (isBoundary(block, match.index, match[0])) {
        const sentenceEnd = match.index + match[0].length;
        push(start + sentenceStart, start + sentenceEnd);
        sentenceStart = sentenceEnd;
      }
    }
    push(start + sentenceStart, end);
  }
  return spans;
};

/** Letters as read aloud: "W" has three syllables, every other letter one. */
const spelledOut = (acronym: string): number => [...acronym].reduce((sum, letter) => sum + (letter === 'W' ? 3 : 1), 0);

/**
 * Syllables in one word. Numbers count one syllable for a single digit and two otherwise (a rough
 * reading of "twenty", "3.5"); acronyms of two to five capitals are spelled out ("NHS" has three).
 */
export const countSyllables = (word: string): number => {
  if (/^\p{N}/u.test(word)) {
    return word.replace(/\D/g, '').length <= 1 ? 1 : 2;
  }
  const bare = word.replace(/['’]s$/u, '');
  if (/^\p{Lu}{2,5}s?$/u.test(bare)) {
    return spelledOut(bare.replace(/s$/, ''));
  }
  return Math.max(1, syllable(word));
};

const wordsOf = (text: string): string[] => text.match(WORD) ?? [];

const round1 = (value: number): number => Math.round(value * 10) / 10;

const gradeOf = (words: number, sentences: number, syllables: number): number => 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59;

const easeOf = (words: number, sentences: number, syllables: number): number => 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words);

/** Flesch reading ease, Flesch–Kincaid grade, reading age and per-sentence measures of a text. */
export const measureReadability = (text: string): Readability => {
  const masked = maskMarkup(text);
  const sentences = splitSentences(text)
    .map((span): SentenceMeasure => {
      const words = wordsOf(masked.slice(span.start, span.end));
      const syllables = words.reduce((sum, word) => sum + countSyllables(word), 0);
      return { ...span, words: words.length, syllables, grade: words.length === 0 ? 0 : round1(gradeOf(words.length, 1, syllables)) };
    })
    .filter((sentence) => sentence.words > 0);
  const words = sentences.reduce((sum, sentence) => sum + sentence.words, 0);
  const syllables = sentences.reduce((sum, sentence) => sum + sentence.syllables, 0);
  if (words === 0) {
    return { sentences, words, syllables, scores: undefined };
  }
  const grade = gradeOf(words, sentences.length, syllables);
  return {
    sentences,
    words,
    syllables,
    scores: { readingEase: round1(easeOf(words, sentences.length, syllables)), grade: round1(grade), readingAge: Math.max(5, Math.round(grade + 5)) },
  };
};

/** The hardest sentences, hardest first: by Flesch–Kincaid grade, then by length. */
export const hardestSentences = (readability: Readability, limit = 3): SentenceMeasure[] =>
  [...readability.sentences].sort((left, right) => right.grade - left.grade || right.words - left.words).slice(0, limit);

export interface ReadabilityTarget {
  audience: Audience;
  /** Who, as a sentence needs it: "the public". */
  label: string;
  maxGrade: number;
  minReadingEase: number;
  /** Reading ages the text should suit. */
  readingAges: { from: number | undefined; to: number };
  /** Sentences longer than this are listed among the hardest even when their grade is fine. */
  maxSentenceWords: number;
}

/**
 * Targets per audience. The public: reading age 9 to 11 (NHS health literacy guidance; about the
 * reading age of many adults in England), so grade 6 or below and reading ease 70 or above
 * ("fairly easy"). Practitioners: grade 10, reading ease 50. Decision makers and boards: grade 12,
 * reading ease 40. Sentences: at most 20 words for the public, 25 otherwise (GOV.UK style guide).
 */
export const readabilityTargets: Record<Audience, ReadabilityTarget> = {
  public: { audience: 'public', label: 'the public', maxGrade: 6, minReadingEase: 70, readingAges: { from: 9, to: 11 }, maxSentenceWords: 20 },
  practitioners: { audience: 'practitioners', label: 'practitioners', maxGrade: 10, minReadingEase: 50, readingAges: { from: undefined, to: 15 }, maxSentenceWords: 25 },
  decision_makers: { audience: 'decision_makers', label: 'decision makers', maxGrade: 12, minReadingEase: 40, readingAges: { from: undefined, to: 17 }, maxSentenceWords: 25 },
  board: { audience: 'board', label: 'a board', maxGrade: 12, minReadingEase: 40, readingAges: { from: undefined, to: 17 }, maxSentenceWords: 25 },
};

/** How far past a target still counts as near it. */
const NEAR = { grades: 2, readingEase: 10 } as const;

export type ReadabilityVerdict = 'meets' | 'near' | 'hard' | 'empty';

export interface SectionReadability extends Readability {
  target: ReadabilityTarget;
  verdict: ReadabilityVerdict;
  /** One sentence, for the page beside the section. */
  explanation: string;
  /** Sentences above the target's grade or length, hardest first (at most three), to highlight. */
  hardest: SentenceMeasure[];
  jargon: JargonMatch[];
}

const verdictOf = (scores: ReadabilityScores, target: ReadabilityTarget): Exclude<ReadabilityVerdict, 'empty'> => {
  if (scores.grade <= target.maxGrade && scores.readingEase >= target.minReadingEase) {
    return 'meets';
  }
  if (scores.grade <= target.maxGrade + NEAR.grades && scores.readingEase >= target.minReadingEase - NEAR.readingEase) {
    return 'near';
  }
  return 'hard';
};

const targetText = (target: ReadabilityTarget): string => {
  const ages = target.readingAges.from === undefined ? `reading age ${target.readingAges.to} or below` : `reading age ${target.readingAges.from} to ${target.readingAges.to}`;
  return `${ages}: grade ${target.maxGrade} or below, reading ease ${target.minReadingEase} or above`;
};

const explain = (verdict: ReadabilityVerdict, scores: ReadabilityScores | undefined, target: ReadabilityTarget): string => {
  if (verdict === 'empty' || scores === undefined) {
    return 'There is no text to measure yet.';
  }
  const measured = `Reading age about ${scores.readingAge} (Flesch–Kincaid grade ${scores.grade}, reading ease ${scores.readingEase})`;
  switch (verdict) {
    case 'meets':
      return `${measured}: easy enough for ${target.label} (${targetText(target)}).`;
    case 'near':
      return `${measured}: a little hard for ${target.label} (${targetText(target)}); shorten the longest sentences or use plainer words.`;
    case 'hard':
      return `${measured}: too hard for ${target.label} (${targetText(target)}); split long sentences and swap jargon for everyday words.`;
  }
};

/** Readability of one section against its audience's target, with the sentences and words to work on. */
export const assessReadability = (text: string, audience: Audience): SectionReadability => {
  const readability = measureReadability(text);
  const target = readabilityTargets[audience];
  const verdict = readability.scores === undefined ? 'empty' : verdictOf(readability.scores, target);
  const hardest = hardestSentences(
    { ...readability, sentences: readability.sentences.filter((sentence) => sentence.grade > target.maxGrade || sentence.words > target.maxSentenceWords) },
    3,
  );
  return { ...readability, target, verdict, explanation: explain(verdict, readability.scores, target), hardest, jargon: findJargon(maskMarkup(text)) };
};
