import { tokenize } from './tokenize.js';

export interface SnippetPart {
  text: string;
  isMatch: boolean;
}

/**
 * A window of the text around the densest cluster of query terms, cut at word boundaries, with the
 * matching words marked. Returned as parts so that the page escapes the text and adds the marks.
 */
export const makeSnippet = (text: string, queryTerms: ReadonlySet<string>, maxLength = 260): SnippetPart[] => {
  const tokens = tokenize(text);
  const matches = tokens.filter((token) => queryTerms.has(token.term));
  let start = 0;
  if (text.length > maxLength && matches.length > 0) {
    // The window that holds the most matches.
    let best = 0;
    let bestStart = matches[0]?.start ?? 0;
    for (const anchor of matches) {
      const windowStart = Math.max(0, anchor.start - 40);
      const count = matches.filter((match) => match.start >= windowStart && match.end <= windowStart + maxLength).length;
      if (count > best) {
        best = count;
        bestStart = windowStart;
      }
    }
    start = bestStart === 0 ? 0 : text.lastIndexOf(' ', bestStart) + 1;
  }
  let end = Math.min(text.length, start + maxLength);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    end = space > start ? space : end;
  }
  const parts: SnippetPart[] = [];
  let cursor = start;
  // A hyphenated word yields its parts and the whole; mark each span once.
  const spans = matches.filter((match) => match.start >= start && match.end <= end).sort((left, right) => left.start - right.start || right.end - left.end);
  for (const span of spans) {
    if (span.start < cursor) {
      continue;
    }
    if (span.start > cursor) {
      parts.push({ text: text.slice(cursor, span.start), isMatch: false });
    }
    parts.push({ text: text.slice(span.start, span.end), isMatch: true });
    cursor = span.end;
  }
  if (cursor < end) {
    parts.push({ text: text.slice(cursor, end), isMatch: false });
  }
  if (start > 0) {
    parts.unshift({ text: '… ', isMatch: false });
  }
  if (end < text.length) {
    parts.push({ text: ' …', isMatch: false });
  }
  return parts;
};
