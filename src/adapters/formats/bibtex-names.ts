import { decodeLatex } from './bibtex-latex.js';
import { cleanText } from './normalise.js';

/**
 * BibTeX name lists (`author = {Smith, John and {World Health Organization}}`) to "Family, Given"
 * strings. Splitting happens on the raw value, before LaTeX decoding, because braces protect a
 * group name's "and" and commas.
 */

/** Splits raw BibTeX text on whitespace outside braces; brace groups stay inside their word. */
const words = (raw: string): string[] => {
  const result: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of raw) {
    if (char === '{') {
      depth += 1;
    } else if (char === '}') {
      depth = Math.max(0, depth - 1);
    }
    if (depth === 0 && /\s/.test(char)) {
      if (current) {
        result.push(current);
      }
      current = '';
    } else {
      current += char;
    }
  }
  if (current) {
    result.push(current);
  }
  return result;
};

/** Splits raw text on a separator character outside braces. */
export const splitOutsideBraces = (raw: string, separator: string): string[] => {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < raw.length; index += 1) {
    const char = raw[index];
    if (char === '{') {
      depth += 1;
    } else if (char === '}') {
      depth = Math.max(0, depth - 1);
    } else if (char === separator && depth === 0) {
      parts.push(raw.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(raw.slice(start));
  return parts;
};

const decodePart = (raw: string): string => cleanText(decodeLatex(raw)) ?? '';

// Generational suffixes, which BibTeX puts in the middle part ("Family, Jr, Given").
const isSuffix = (text: string): boolean => /^(?:jr|sr|[IVX]{1,4})\.?$/i.test(text);

// PubMed-style "Smith JA": initials after the family name. Taken as "Given Family" it would give "JA, Smith".
const isInitials = (text: string): boolean => /^(?:\p{Lu}\.?-?){1,3}$/u.test(text);

// Lower-case words BibTeX would take as a "von" part; any other lower-case word ("for", "of") marks a group name.
const particles: ReadonlySet<string> = new Set([
  'van', 'von', 'de', 'der', 'den', 'del', 'della', 'di', 'da', 'du', 'des', 'la', 'le', 'dos', 'das', 'do', 'ten', 'ter',
  'zu', 'zur', 'y', 'e', 'al', 'el', 'bin', 'ibn', 'st', "d'", "l'",
]);

/** An unbraced organisation ("National Collaborating Centre for Chronic Conditions (UK)"), which must not be reordered. */
const isGroupName = (words: readonly string[]): boolean =>
  words.some((word) => /[()\d&]/.test(word) || (/^\p{Ll}/u.test(word) && !particles.has(word.toLowerCase())));

/** One name without commas: "Given von Family", a single word, or a braced group name. */
const nameWithoutComma = (raw: string): string => {
  const tokens = words(raw.trim());
  if (tokens.length <= 1) {
    return decodePart(raw);
  }
  const decoded = tokens.map(decodePart);
  const decodedLast = decoded[decoded.length - 1] ?? '';
  if (isGroupName(decoded)) {
    return decoded.join(' ');
  }
  if (isInitials(decodedLast) && !isInitials(decoded[0] ?? '')) {
    return `${decoded.slice(0, -1).join(' ')}, ${decodedLast}`;
  }
  // BibTeX's rule: the "von" part is the run of words starting in lower case; it belongs with the family name.
  const vonStart = decoded.slice(0, -1).findIndex((word) => /^\p{Ll}/u.test(word));
  const familyStart = vonStart === -1 ? decoded.length - 1 : vonStart;
  const given = decoded.slice(0, familyStart).join(' ');
  const family = decoded.slice(familyStart).join(' ');
  return given ? `${family}, ${given}` : family;
};

/** One BibTeX name in any of its three forms, as "Family, Given" (plus ", Suffix" when there is one). */
const formatName = (raw: string): string | undefined => {
  const parts = splitOutsideBraces(raw, ',').map(decodePart);
  const [family, second, ...rest] = parts;
  if (second === undefined) {
    return cleanText(nameWithoutComma(raw));
  }
  if (rest.length === 0) {
    return cleanText(second ? `${family}, ${second}` : family);
  }
  const third = rest.join(', ');
  // "Family, Jr, Given" is the BibTeX order; "Family, Given, Jr" is a common mistake (colrev's fixture has one).
  const [given, suffix] = isSuffix(second) || !isSuffix(third) ? [third, second] : [second, third];
  return cleanText([family, given, suffix].filter(Boolean).join(', '));
};

/** Parses a raw BibTeX name list into "Family, Given" strings, in order; "and others" is dropped. */
export const parseNames = (raw: string | undefined): string[] => {
  const names: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    const joined = current.join(' ');
    current = [];
    const name = joined.trim() === 'others' ? undefined : formatName(joined);
    if (name && !names.includes(name)) {
      names.push(name);
    }
  };
  for (const word of words(raw ?? '')) {
    if (word.toLowerCase() === 'and') {
      flush();
    } else {
      current.push(word);
    }
  }
  flush();
  return names;
};
