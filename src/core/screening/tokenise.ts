import { englishStopWords } from './stop-words.js';

/**
 * Words as scikit-learn's default analyser finds them (ASReview's TF-IDF is scikit-learn's
 * `TfidfVectorizer`): lower-cased, runs of two or more letters, digits or underscores
 * (`(?u)\b\w\w+\b`), English stop words removed. Bigrams are formed afterwards from the words that
 * remain, as scikit-learn does.
 */
const wordPattern = /[\p{L}\p{N}\p{M}_]{2,}/gu;

/** The words of a text in order, lower-cased, stop words removed when asked. */
export const tokenise = (text: string, options: { stopWords: boolean } = { stopWords: true }): string[] => {
  const words: string[] = [];
  for (const match of text.toLowerCase().matchAll(wordPattern)) {
    const word = match[0];
    if (!options.stopWords || !englishStopWords.has(word)) {
      words.push(word);
    }
  }
  return words;
};
