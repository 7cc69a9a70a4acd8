import { FormatError } from './format-error.js';
import { readLines } from './lines.js';

/**
 * Splits a JSON document into its top-level items without parsing the whole file: the items of a
 * top-level array, or a sequence of top-level values (a single object, or JSON Lines). Tracks
 * strings and escapes so that brackets inside text do not count. Each item's text is yielded with
 * the line it starts on, for `JSON.parse` one at a time.
 */

// array-first: just after "[" (an item or "]"); array-value: after "," (an item only, JSON has no trailing commas).
type Mode = 'start' | 'array-first' | 'array-value' | 'array-comma' | 'sequence' | 'done';

interface OpenItem {
  text: string;
  line: number;
  depth: number;
  isInString: boolean;
  isEscaped: boolean;
  /** A bare number, literal or string, which ends at a delimiter rather than a closing bracket. */
  isScalar: boolean;
}

/** Scans an item's text on a line from `start`; returns the index just past its end, or -1 if it continues. */
const scanItem = (item: OpenItem, text: string, start: number): number => {
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (item.isInString) {
      if (item.isEscaped) {
        item.isEscaped = false;
      } else if (char === '\\') {
        item.isEscaped = true;
      } else if (char === '"') {
        item.isInString = false;
        if (item.depth === 0) {
          item.text += text.slice(start, index + 1);
          return index + 1;
        }
      }
    } else if (item.isScalar && (char === ',' || char === ']' || char === '}' || char === '[' || char === '{' || /\s/.test(char ?? ''))) {
      item.text += text.slice(start, index);
      return index;
    } else if (char === '"') {
      item.isInString = true;
    } else if (char === '{' || char === '[') {
      item.depth += 1;
    } else if (char === '}' || char === ']') {
      item.depth -= 1;
      if (item.depth === 0) {
        item.text += text.slice(start, index + 1);
        return index + 1;
      }
    }
  }
  item.text += text.slice(start);
  return -1;
};

const openItem = (char: string, line: number): OpenItem => ({
  text: '',
  line,
  depth: 0,
  isInString: false,
  isEscaped: false,
  isScalar: char !== '{' && char !== '[' && char !== '"',
});

/** Yields the raw text of each top-level item with its first line. Structural errors throw FormatError. */
export async function* splitJsonItems(chunks: AsyncIterable<string>): AsyncGenerator<{ text: string; line: number }> {
  let mode: Mode = 'start';
  let item: OpenItem | undefined;
  let arrayLine = 1;
  for await (const { text: lineText, line } of readLines(chunks)) {
    const text = `${lineText}\n`;
    let index = 0;
    while (index < text.length) {
      if (item) {
        const end = scanItem(item, text, index);
        if (end === -1) {
          break;
        }
        yield { text: item.text, line: item.line };
        item = undefined;
        mode = mode === 'sequence' ? mode : 'array-comma';
        index = end;
        continue;
      }
      const char = text[index] ?? '';
      if (/\s/.test(char)) {
        index += 1;
        continue;
      }
      switch (mode) {
        case 'start':
          mode = char === '[' ? 'array-first' : 'sequence';
          arrayLine = line;
          if (char === '[') {
            index += 1;
          } else if (char !== '{') {
            throw new FormatError(`not JSON: expected "[" or "{", found "${char}"`, line);
          }
          break;
        case 'array-first':
        case 'array-value':
          if (char === ']' && mode === 'array-first') {
            mode = 'done';
            index += 1;
            break;
          }
          if (char === ']' || char === ',') {
            throw new FormatError(`unexpected "${char}" in the array`, line);
          }
          item = openItem(char, line);
          break;
        case 'array-comma':
          if (char !== ',' && char !== ']') {
            throw new FormatError(`expected "," or "]" between items, found "${char}"`, line);
          }
          mode = char === ',' ? 'array-value' : 'done';
          index += 1;
          break;
        case 'sequence':
          if (char !== '{') {
            throw new FormatError(`expected "{" to start an item, found "${char}"`, line);
          }
          item = openItem(char, line);
          break;
        case 'done':
          throw new FormatError(`unexpected "${char}" after the closing "]"`, line);
      }
    }
  }
  if (item) {
    throw new FormatError('item is not closed before the end of the file', item.line);
  }
  if (mode === 'array-first' || mode === 'array-value' || mode === 'array-comma') {
    throw new FormatError('the array is not closed', arrayLine);
  }
}
