import type { ParseEvent } from '../../core/evidence/record.js';
import { parseEntryBody, parseStringBody } from './bibtex-entry.js';
import { toRecord } from './bibtex-record.js';
import { FormatError } from './format-error.js';
import { readLines } from './lines.js';

/**
 * Streaming BibTeX importer. Entries start at `@type{` or `@type(` anywhere outside another entry
 * (text between entries is a comment, as in BibTeX itself) and are read one at a time, so memory
 * holds one entry plus the @string macros. An entry whose braces never balance is reported as
 * `invalid` when the next line starting with `@type{` (or the end of the file) shows it ran on;
 * parsing resumes there.
 */

// Not works: @comment and @preamble are BibTeX housekeeping; @set and @xdata are biblatex containers.
const skippedTypes: ReadonlySet<string> = new Set(['comment', 'preamble', 'set', 'xdata']);
const entryStartLine = /^\s*@[A-Za-z][\w-]*\s*[{(]/;

interface OpenEntry {
  type: string;
  line: number;
  closer: '}' | ')';
  depth: number;
  isInQuote: boolean;
  body: string;
}

const unclosed = (entry: OpenEntry): ParseEvent => {
  const key = entry.body.split(/[,\n]/, 1)[0]?.trim().slice(0, 60) ?? '';
  const name = key && !key.includes('=') ? ` "${key}"` : '';
  return { kind: 'invalid', line: entry.line, message: `@${entry.type} entry${name} is not closed (unbalanced braces)` };
};

const finish = (entry: OpenEntry, macros: Map<string, string>): ParseEvent | undefined => {
  if (skippedTypes.has(entry.type)) {
    return undefined;
  }
  if (entry.type === 'string') {
    const problem = parseStringBody(entry.body, macros);
    return problem && { kind: 'invalid', line: entry.line, message: `@string: ${problem.error}` };
  }
  const body = parseEntryBody(entry.body, macros);
  if ('error' in body) {
    return { kind: 'invalid', line: entry.line, message: body.error };
  }
  const fields = toRecord(entry.type, body.key, body.fields);
  return 'error' in fields ? { kind: 'invalid', line: entry.line, message: fields.error } : { kind: 'record', line: entry.line, fields };
};

/** Scans one entry's text on a line from `start`; returns the index just past the closing delimiter, or -1 if it continues. */
const scanEntry = (entry: OpenEntry, text: string, start: number): number => {
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (char === '{') {
      entry.depth += 1;
    } else if (char === '}') {
      entry.depth -= 1;
      if (entry.closer === '}' && entry.depth === 0) {
        entry.body += text.slice(start, index);
        return index + 1;
      }
    } else if (char === '"' && entry.depth === (entry.closer === '}' ? 1 : 0)) {
      entry.isInQuote = !entry.isInQuote;
    } else if (char === ')' && entry.closer === ')' && entry.depth === 0 && !entry.isInQuote) {
      entry.body += text.slice(start, index);
      return index + 1;
    }
  }
  entry.body += text.slice(start);
  return -1;
};

/** Parses BibTeX (and biblatex) text into records, one entry at a time. */
export async function* parseBibtex(chunks: AsyncIterable<string>): AsyncGenerator<ParseEvent> {
  const macros = new Map<string, string>();
  let entry: OpenEntry | undefined;
  // Between "@" and the opening delimiter; the type may be followed by spaces ("@book {").
  let header: { line: number; type: string } | undefined;
  let itemCount = 0;
  let firstTextLine: number | undefined;

  for await (const { text: lineText, line } of readLines(chunks)) {
    if (entry && entryStartLine.test(lineText)) {
      // A comment block that swallows the next entry is not worth an error; a real entry is.
      if (!skippedTypes.has(entry.type)) {
        yield unclosed(entry);
      }
      entry = undefined;
    }
    const isCommentLine = /^\s*%/.test(lineText);
    const text = `${lineText}\n`;
    let index = 0;
    while (index < text.length) {
      if (entry) {
        const end = scanEntry(entry, text, index);
        if (end === -1) {
          break;
        }
        const event = finish(entry, macros);
        entry = undefined;
        if (event) {
          yield event;
        }
        index = end;
        continue;
      }
      const char = text[index] ?? '';
      index += 1;
      if (header) {
        if (/[\w-]/.test(char) && !header.type.endsWith(' ')) {
          header.type += char;
        } else if (/\s/.test(char) && header.type) {
          header.type = header.type.trimEnd() + ' ';
        } else if ((char === '{' || char === '(') && header.type.trim()) {
          itemCount += 1;
          entry = { type: header.type.trim().toLowerCase(), line: header.line, closer: char === '{' ? '}' : ')', depth: char === '{' ? 1 : 0, isInQuote: false, body: '' };
          header = undefined;
        } else {
          // "@" not followed by "type{": plain text (an e-mail address in a comment, say).
          header = undefined;
          firstTextLine ??= isCommentLine ? undefined : line;
        }
      } else if (char === '@') {
        header = { line, type: '' };
      } else if (!isCommentLine && firstTextLine === undefined && /\S/.test(char)) {
        firstTextLine = line;
      }
    }
  }
  if (entry) {
    yield unclosed(entry);
  }
  if (itemCount === 0 && firstTextLine !== undefined) {
    throw new FormatError('no BibTeX entries found (expected "@type{key, …}")', firstTextLine);
  }
}
