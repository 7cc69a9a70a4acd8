import { foldLetters } from '../../core/shared/text.js';
import { americanSpelling, tokenize, type Token } from './tokenize.js';

export interface ParsedQuery {
  /** Terms and how often the query uses them (long need-length queries repeat what matters). */
  weights: Map<string, number>;
  /** Each quoted phrase as its terms in order, with their positions' gaps (stop words leave gaps). */
  phrases: { text: string; tokens: Token[] }[];
  /** Word prefixes (`paediatr*`), folded and spelled the American way, unstemmed. */
  prefixes: string[];
  /** The user's words behind each term, for explanations ("pediatr" ← "paediatric"). */
  words: Map<string, string>;
}

const phrasePattern = /"([^"]+)"/g;
const prefixPattern = /([\p{L}\p{N}]{2,})\*/gu;

/** Splits a query into plain terms, "quoted phrases" and prefix* words. */
export const parseQuery = (text: string): ParsedQuery => {
  const weights = new Map<string, number>();
  const words = new Map<string, string>();
  const phrases: ParsedQuery['phrases'] = [];
  const prefixes: string[] = [];
  const addTokens = (source: string, tokens: Token[]) => {
    for (const token of tokens) {
      weights.set(token.term, (weights.get(token.term) ?? 0) + 1);
      if (!words.has(token.term)) {
        words.set(token.term, source.slice(token.start, token.end));
      }
    }
  };
  let rest = text.replace(phrasePattern, (_whole, phrase: string) => {
    const tokens = tokenize(phrase);
    if (tokens.length > 0) {
      phrases.push({ text: phrase, tokens });
      addTokens(phrase, tokens);
    }
    return ' ';
  });
  rest = rest.replace(prefixPattern, (_whole, stem: string) => {
    prefixes.push(americanSpelling(foldLetters(stem)));
    return ' ';
  });
  addTokens(rest, tokenize(rest));
  return { weights, phrases, prefixes, words };
};

/**
 * True when the tokens of a document contain the phrase: its terms in order, at the same relative
 * positions (a stop word inside the phrase leaves the same gap in both).
 */
export const containsPhrase = (documentTokens: readonly Token[], phrase: readonly Token[]): boolean => {
  const first = phrase[0];
  if (!first) {
    return true;
  }
  const byPosition = new Map<number, Set<string>>();
  for (const token of documentTokens) {
    const set = byPosition.get(token.position) ?? new Set<string>();
    set.add(token.term);
    byPosition.set(token.position, set);
  }
  for (const token of documentTokens) {
    if (token.term !== first.term) {
      continue;
    }
    const base = token.position - first.position;
    if (phrase.every((part) => byPosition.get(base + part.position)?.has(part.term))) {
      return true;
    }
  }
  return false;
};
