import type { SearchResult } from './search.js';

/**
 * How a widened (RM3) search's counts read, in the same words on the search page, a need's matched
 * evidence and `mobilise search`: how many records hold the words searched for, and how many more only
 * the widening found.
 */

/** A search's counts: every record found, those holding the words searched for, and the words it was widened with. */
export type SearchCounts = Pick<SearchResult, 'total' | 'matching' | 'expandedWith'>;

/** The first few words a search was widened with, for a sentence. */
export const widenedWords = (words: readonly string[]): string => (words.length > 6 ? `${words.slice(0, 6).join(', ')}, …` : words.join(', '));

/**
 * The words related records were found through: undefined unless the widening found records that hold
 * none of the words searched for.
 */
export const relatedWordsOf = ({ total, matching, expandedWith }: SearchCounts): string[] | undefined => (total > matching ? expandedWith : undefined);

/**
 * "3 records match your words; 191 more are related (found through words from the top results: …)",
 * with `words` naming whose words were searched for. Undefined when nothing is related, where each
 * caller gives its count its own way.
 */
export const relatedCountSentence = (counts: SearchCounts, words = 'your words'): string | undefined => {
  const related = counts.total - counts.matching;
  return relatedWordsOf(counts)
    ? `${counts.matching === 1 ? '1 record matches' : `${counts.matching} records match`} ${words}; ${related} more ${related === 1 ? 'is' : 'are'} related (found through words from the top results: ${widenedWords(counts.expandedWith)})`
    : undefined;
};
