import type { RecordFields } from '../../core/evidence/record.js';

/** Letters NFD does not decompose into ASCII plus a mark. */
const foldedLetters: Readonly<Record<string, string>> = { ß: 'ss', ø: 'o', æ: 'ae', œ: 'oe', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

const ascii = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßøæœłđðþı]/g, (letter) => foldedLetters[letter] ?? '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

// Skipped when choosing the title word, as JabRef and Google Scholar keys do.
const stopWords: ReadonlySet<string> = new Set(['a', 'an', 'the', 'of', 'on', 'in', 'for', 'and', 'to', 'with', 'at', 'by', 'from', 'is', 'are']);

/**
 * Citation keys in the common `smith2014reducing` shape (first author's family name, year, first
 * significant title word), made unique within one export by suffixes a, b, … as BibTeX styles do.
 */
export const createCitationKeys = (): ((record: RecordFields) => string) => {
  const used = new Set<string>();
  return (record) => {
    const family = ascii(record.authors[0]?.split(',')[0] ?? '').split(' ')[0] ?? '';
    const word = ascii(record.title)
      .split(' ')
      .find((candidate) => candidate && !stopWords.has(candidate));
    const base = `${family}${record.year ?? ''}${word ?? ''}` || 'record';
    let key = base;
    for (let attempt = 0; used.has(key); attempt += 1) {
      key = base + (attempt < 26 ? String.fromCharCode(97 + attempt) : String(attempt));
    }
    used.add(key);
    return key;
  };
};
