import { fingerprint } from '../shared/fingerprint.js';
import { foldLetters } from '../shared/text.js';
import type { RecordFields } from './record.js';

/**
 * De-duplication, in the order systematic reviewers use (e.g. Bramer et al. 2016, "De-duplication
 * of database search results for systematic reviews in EndNote", JMLA 104(3)): exact identifiers
 * first (DOI, PMID), then normalised title + year + first author, or, for records with no authors or
 * no year, the same title, authors, year, journal, volume, issue, pages and abstract. Pairs that are close but not
 * certain become candidates for a fellow to decide; they are never merged automatically.
 */

// MathML and HTML tags, then anything that is not a letter or digit.
const tagPattern = /<\/?[a-z][a-z0-9:-]*(\s[^>]*)?>/gi;

/** Lower case, diacritics folded, tags removed, punctuation to spaces, whitespace folded. */
export const foldText = (text: string): string =>
  foldLetters(text.replace(tagPattern, ' '))
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * The comparable form of a title. MEDLINE wraps titles translated into English in square brackets
 * ("[Effect of …]."), other databases do not; trailing periods and case vary by source.
 */
export const normaliseTitle = (title: string): string => {
  let text = title.trim();
  const bracketed = /^\[(.+)\][.\s]*$/s.exec(text);
  if (bracketed?.[1]) {
    text = bracketed[1];
  }
  return foldText(text);
};

const isInitials = (part: string): boolean => /^(?:[A-Z]{1,3}|(?:[A-Z]\.-?)+)$/.test(part);

/**
 * The last word of the first author's family name, folded, so that "van der Berg, J", "Jan van der
 * Berg" and "van der Berg JA" (MEDLINE) agree: "berg".
 */
export const authorKeyOf = (authors: readonly string[]): string | undefined => {
  const first = authors[0]?.trim();
  if (!first) {
    return undefined;
  }
  let family: string;
  if (first.includes(',')) {
    family = first.slice(0, first.indexOf(','));
  } else {
    const parts = first.split(/\s+/);
    const names = parts.filter((part) => !isInitials(part));
    // "Family GI" (MEDLINE) ends with initials: every other word is the family name.
    family = isInitials(parts.at(-1) ?? '') ? names.join(' ') : (names.at(-1) ?? first);
  }
  const folded = foldText(family).split(' ');
  return folded.at(-1) || undefined;
};

export interface DedupeKeys {
  doi: string | undefined;
  pmid: string | undefined;
  titleKey: string;
  authorKey: string | undefined;
  year: number | undefined;
  /** Blocking keys: records are compared only with records that share one. */
  blockKeys: string[];
}

const TITLE_PREFIX = 24;

/**
 * For a record the title, year and first author cannot settle, because it has no authors (editorials,
 * news items) or no year: a fingerprint of everything that identifies it — title, authors, year,
 * journal, volume, issue, pages and abstract — stored as the blocking key `c:…`. Two such records with
 * the same fingerprint are the same record: nothing could tell them apart, and importing the same
 * file again must add nothing. Two records with only a title each match only if both lack the rest.
 */
const citationKeyOf = (fields: RecordFields, titleKey: string, authorKey: string | undefined): string | undefined => {
  if (authorKey !== undefined && fields.year !== undefined) {
    return undefined;
  }
  if (titleKey === '') {
    return undefined;
  }
  const journal = foldText(fields.journal ?? '');
  const abstract = foldText(fields.abstract ?? '');
  const authors = fields.authors.map((author) => foldText(author)).join(';');
  const parts = [titleKey, authors, String(fields.year ?? ''), journal, foldText(fields.volume ?? ''), foldText(fields.issue ?? ''), foldText(fields.pages ?? ''), abstract];
  return `c:${fingerprint(parts.join('|'))}`;
};

const citationKey = (keys: DedupeKeys): string | undefined => keys.blockKeys.find((key) => key.startsWith('c:'));

export const dedupeKeysOf = (fields: RecordFields): DedupeKeys => {
  const titleKey = normaliseTitle(fields.title);
  const authorKey = authorKeyOf(fields.authors);
  const blockKeys = [`t:${titleKey.slice(0, TITLE_PREFIX)}`];
  if (authorKey && fields.year !== undefined) {
    blockKeys.push(`a:${authorKey}:${fields.year}`);
  }
  const citation = citationKeyOf(fields, titleKey, authorKey);
  if (citation) {
    blockKeys.push(citation);
  }
  return { doi: fields.doi?.toLowerCase(), pmid: fields.pmid, titleKey, authorKey, year: fields.year, blockKeys };
};

export type MatchReason = 'doi' | 'pmid' | 'title_year_author' | 'similar_title' | 'same_title' | 'year_differs' | 'author_missing' | 'same_author';

export type Match =
  | { kind: 'duplicate'; reason: 'doi' | 'pmid' | 'title_year_author' | 'same_citation'; score: 1 }
  | { kind: 'candidate'; score: number; reasons: MatchReason[] }
  | { kind: 'distinct' };

/** Similarity of two folded titles: Sørensen–Dice over character bigrams (robust to small edits). */
export const titleSimilarity = (left: string, right: string): number => {
  if (left === right) {
    return 1;
  }
  if (left.length < 2 || right.length < 2) {
    return 0;
  }
  const counts = new Map<string, number>();
  for (let index = 0; index < left.length - 1; index += 1) {
    const bigram = left.slice(index, index + 2);
    counts.set(bigram, (counts.get(bigram) ?? 0) + 1);
  }
  let shared = 0;
  for (let index = 0; index < right.length - 1; index += 1) {
    const bigram = right.slice(index, index + 2);
    const count = counts.get(bigram) ?? 0;
    if (count > 0) {
      counts.set(bigram, count - 1);
      shared += 1;
    }
  }
  return (2 * shared) / (left.length - 1 + (right.length - 1));
};

/** Below this title similarity two records are different works, whatever else agrees. */
export const CANDIDATE_TITLE_SIMILARITY = 0.88;
/** Titles this short ("Heart failure.") are too generic to match on without an author. */
const MIN_TITLE_LENGTH = 20;

/**
 * Compares two records' keys. Identifiers decide when both records have them: the same DOI or PMID
 * is the same work, different ones are different works. Otherwise the title decides, confirmed
 * by year and first author.
 */
export const compareKeys = (left: DedupeKeys, right: DedupeKeys): Match => {
  if (left.pmid && left.pmid === right.pmid) {
    return { kind: 'duplicate', reason: 'pmid', score: 1 };
  }
  if (left.doi && left.doi === right.doi) {
    return { kind: 'duplicate', reason: 'doi', score: 1 };
  }
  if ((left.pmid && right.pmid) || (left.doi && right.doi)) {
    return { kind: 'distinct' };
  }
  const similarity = titleSimilarity(left.titleKey, right.titleKey);
  if (similarity < CANDIDATE_TITLE_SIMILARITY || left.titleKey.length === 0) {
    return { kind: 'distinct' };
  }
  const leftCitation = citationKey(left);
  if (leftCitation !== undefined && leftCitation === citationKey(right) && left.titleKey === right.titleKey) {
    // Title, authors, year, journal, volume, issue, pages and abstract all agree (one of authors or year missing).
    return { kind: 'duplicate', reason: 'same_citation', score: 1 };
  }
  const hasAuthors = left.authorKey !== undefined && right.authorKey !== undefined;
  const sameAuthor = hasAuthors && left.authorKey === right.authorKey;
  if (hasAuthors && !sameAuthor) {
    // Same title, different first author: a comment, reply or a generic title ("Nateglinide.").
    return { kind: 'distinct' };
  }
  const yearGap = left.year !== undefined && right.year !== undefined ? Math.abs(left.year - right.year) : 0;
  if (yearGap > 1) {
    return { kind: 'distinct' };
  }
  const isSameTitle = similarity === 1;
  // Certain only when both records give the year: with one missing, the order of comparison must not decide.
  if (isSameTitle && sameAuthor && yearGap === 0 && left.year !== undefined && right.year !== undefined) {
    return { kind: 'duplicate', reason: 'title_year_author', score: 1 };
  }
  if (!sameAuthor && left.titleKey.length < MIN_TITLE_LENGTH) {
    return { kind: 'distinct' };
  }
  const reasons: MatchReason[] = [isSameTitle ? 'same_title' : 'similar_title'];
  if (sameAuthor) {
    reasons.push('same_author');
  } else {
    reasons.push('author_missing');
  }
  if (yearGap === 1) {
    reasons.push('year_differs');
  }
  // A score for ordering the fellow's queue, not a probability.
  const score = Math.round((0.7 * similarity + (sameAuthor ? 0.2 : 0.1) + (yearGap === 0 ? 0.1 : 0)) * 1000) / 1000;
  return { kind: 'candidate', score, reasons };
};

/** Blocks larger than this are compared only by exact title: a prefix like "the effect of" says little. */
const MAX_BLOCK = 400;

/**
 * Every pair of records that share a blocking key or identifier and match (duplicate or candidate),
 * each pair once. Used to scan a whole library and to measure precision and recall.
 */
export const findPairs = (keys: readonly DedupeKeys[]): { left: number; right: number; match: Exclude<Match, { kind: 'distinct' }> }[] => {
  const blocks = new Map<string, number[]>();
  const add = (key: string, index: number) => {
    const members = blocks.get(key);
    if (members) {
      members.push(index);
    } else {
      blocks.set(key, [index]);
    }
  };
  keys.forEach((key, index) => {
    for (const block of key.blockKeys) {
      add(block, index);
    }
    add(`title:${key.titleKey}`, index);
    if (key.doi) {
      add(`doi:${key.doi}`, index);
    }
    if (key.pmid) {
      add(`pmid:${key.pmid}`, index);
    }
  });
  const seen = new Set<string>();
  const pairs: { left: number; right: number; match: Exclude<Match, { kind: 'distinct' }> }[] = [];
  for (const [block, members] of blocks) {
    if (members.length < 2 || (members.length > MAX_BLOCK && block.startsWith('t:'))) {
      continue;
    }
    for (let i = 0; i < members.length; i += 1) {
      for (let j = i + 1; j < members.length; j += 1) {
        const left = members[i] ?? 0;
        const right = members[j] ?? 0;
        const pairKey = `${left}:${right}`;
        if (seen.has(pairKey)) {
          continue;
        }
        seen.add(pairKey);
        const match = compareKeys(keys[left] as DedupeKeys, keys[right] as DedupeKeys);
        if (match.kind !== 'distinct') {
          pairs.push({ left, right, match });
        }
      }
    }
  }
  return pairs;
};
