/**
 * The inside of one BibTeX entry (`key, field = value, …`), parsed into raw field values. Values
 * stay raw (braces and LaTeX kept) so that name lists and keyword lists can be split before
 * decoding; `#` concatenation and @string macros are resolved here.
 */

export type EntryBody = { key: string; fields: Map<string, string> } | { error: string };

// BibTeX's predefined month macros; every other macro must come from an @string in the file.
export const monthMacros: ReadonlyMap<string, string> = new Map(
  ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].map(
    (month) => [month.slice(0, 3), month.charAt(0).toUpperCase() + month.slice(1)],
  ),
);

class Cursor {
  index = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (this.index < this.text.length && /\s/.test(this.text[this.index] ?? '')) {
      this.index += 1;
    }
  }
  peek(): string | undefined {
    return this.text[this.index];
  }
  isDone(): boolean {
    return this.index >= this.text.length;
  }
}

/** Reads a `{…}` or `"…"` group starting at the cursor; undefined when it never closes. */
const readDelimited = (cursor: Cursor, closer: '}' | '"'): string | undefined => {
  const start = cursor.index + 1;
  let depth = 0;
  for (let index = start; index < cursor.text.length; index += 1) {
    const char = cursor.text[index];
    if (char === '{') {
      depth += 1;
    } else if (char === '}' && depth > 0) {
      depth -= 1;
    } else if (char === closer && depth === 0) {
      cursor.index = index + 1;
      return cursor.text.slice(start, index);
    }
  }
  return undefined;
};

/** Reads one value: pieces joined by `#`. Undefined macros keep their name, as JabRef does, so nothing is lost silently. */
const readValue = (cursor: Cursor, macros: ReadonlyMap<string, string>): string | { error: string } => {
  let value = '';
  for (;;) {
    cursor.skipSpace();
    const char = cursor.peek();
    if (char === '{' || char === '"') {
      const piece = readDelimited(cursor, char === '{' ? '}' : '"');
      if (piece === undefined) {
        return { error: char === '{' ? 'unbalanced braces in a field value' : 'unterminated quoted field value' };
      }
      value += piece;
    } else {
      const match = /^[^\s,#{}"=]+/.exec(cursor.text.slice(cursor.index, cursor.index + 200));
      if (!match) {
        return value;
      }
      cursor.index += match[0].length;
      const name = match[0];
      value += /^\d+$/.test(name) ? name : (macros.get(name.toLowerCase()) ?? monthMacros.get(name.toLowerCase()) ?? name);
    }
    cursor.skipSpace();
    if (cursor.peek() !== '#') {
      return value;
    }
    cursor.index += 1;
  }
};

/** Parses `name = value, …` pairs from the cursor to the end; the first of repeated fields wins, as in BibTeX. */
const readFields = (cursor: Cursor, macros: ReadonlyMap<string, string>): Map<string, string> | { error: string } => {
  const fields = new Map<string, string>();
  for (;;) {
    cursor.skipSpace();
    while (cursor.peek() === ',') {
      cursor.index += 1;
      cursor.skipSpace();
    }
    if (cursor.isDone()) {
      return fields;
    }
    const equals = cursor.text.indexOf('=', cursor.index);
    const name = equals === -1 ? '' : cursor.text.slice(cursor.index, equals).trim().toLowerCase();
    // A field name never holds braces or quotes; lenient otherwise ("key words" is skipped later as unknown).
    if (!name || /[{}"#,]/.test(name)) {
      const near = cursor.text.slice(cursor.index, cursor.index + 30).replace(/\s+/g, ' ');
      return { error: `expected "field = value" near "${near}"` };
    }
    cursor.index = equals + 1;
    const value = readValue(cursor, macros);
    if (typeof value !== 'string') {
      return { error: `${value.error} (field "${name}")` };
    }
    if (!fields.has(name)) {
      fields.set(name, value);
    }
    cursor.skipSpace();
    if (!cursor.isDone() && cursor.peek() !== ',') {
      return { error: `expected "," after field "${name}"` };
    }
  }
};

/** Parses the body of a regular entry: the citation key (possibly empty), then the fields. */
export const parseEntryBody = (body: string, macros: ReadonlyMap<string, string>): EntryBody => {
  const comma = body.indexOf(',');
  const head = comma === -1 ? body : body.slice(0, comma);
  // biblatex allows entries without a key; then the first thing is already a field.
  const hasKey = !head.includes('=');
  const cursor = new Cursor(body);
  cursor.index = hasKey ? (comma === -1 ? body.length : comma + 1) : 0;
  const fields = readFields(cursor, macros);
  return fields instanceof Map ? { key: hasKey ? head.trim() : '', fields } : fields;
};

/** Parses an @string body (`name = value`) into macros, or an error. */
export const parseStringBody = (body: string, macros: Map<string, string>): { error: string } | undefined => {
  const fields = readFields(new Cursor(body), macros);
  if (!(fields instanceof Map)) {
    return fields;
  }
  for (const [name, value] of fields) {
    macros.set(name, value);
  }
  return undefined;
};
