import type { ParseEvent, RecordFields } from '../../core/evidence/record.js';

/**
 * The raw values of one record of a line-tagged format (RIS, MEDLINE, EndNote tagged) while it is
 * being read: tag → values in file order. Parsers fill one at a time and map it to `RecordFields`
 * when the record ends, so only one record is ever held.
 */
export class TaggedRecord {
  private readonly values = new Map<string, string[]>();
  /** Tags in file order, one per value, for mappings that need the order across tags. */
  private readonly order: string[] = [];
  private last: string[] | undefined;
  /** Tags other than the record-type tag have been seen. */
  hasFields = false;
  /** The value of the record-type tag (RIS `TY`, EndNote `%0`), kept apart from the fields. */
  type: string | undefined;

  /** `line` is the record's first line, reported with the record. */
  constructor(readonly line: number) {}

  /** Sets the record type; a continuation line right after it is not part of any field. */
  setType(value: string): void {
    this.type = value;
    this.last = undefined;
  }

  add(tag: string, value: string): void {
    let list = this.values.get(tag);
    if (list === undefined) {
      list = [];
      this.values.set(tag, list);
    }
    list.push(value);
    this.order.push(tag);
    this.last = list;
    this.hasFields = true;
  }

  /** Appends a continuation line to the last value added; ignored when nothing has been added yet. */
  continueLast(text: string, separator: string): void {
    const last = this.last;
    if (last !== undefined && last.length > 0) {
      const index = last.length - 1;
      last[index] = last[index] === '' ? text : `${last[index]}${separator}${text}`;
    }
  }

  /** Every tag and value in file order. */
  *entries(): Generator<[string, string]> {
    const seen = new Map<string, number>();
    for (const tag of this.order) {
      const index = seen.get(tag) ?? 0;
      seen.set(tag, index + 1);
      const value = this.values.get(tag)?.[index];
      if (value !== undefined) {
        yield [tag, value];
      }
    }
  }

  /** All values of the tags, tag by tag in the order given (file order within a tag). */
  all(...tags: string[]): string[] {
    if (tags.length === 1) {
      return this.values.get(tags[0] ?? '') ?? [];
    }
    return tags.flatMap((tag) => this.values.get(tag) ?? []);
  }

  /** The first non-blank value of the first tag that has one: tags are given in order of preference. */
  first(...tags: string[]): string | undefined {
    for (const tag of tags) {
      const list = this.values.get(tag);
      if (list !== undefined) {
        for (const value of list) {
          if (value.trim() !== '') {
            return value;
          }
        }
      }
    }
    return undefined;
  }

  /** The first value of the tags that `pick` turns into something, tags in order of preference. */
  find<T>(tags: readonly string[], pick: (value: string) => T | undefined): T | undefined {
    for (const tag of tags) {
      for (const value of this.values.get(tag) ?? []) {
        const picked = pick(value);
        if (picked !== undefined) {
          return picked;
        }
      }
    }
    return undefined;
  }
}

/**
 * A personal name as the record convention wants it: whitespace folded and a space after the comma
 * that separates family and given names (`Shannon,Claude E.` → `Shannon, Claude E.`). Names without a
 * comma (`Catarina Barata`, group names) are kept as given: reordering them would be a guess.
 */
export const cleanAuthor = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/^([^,]+),(?=\S)/, '$1, ');

/**
 * The screening label ASReview writes into notes when it exports RIS (`ASReview_relevant`,
 * `ASReview_irrelevant`, wrapped in `<p>` by Zotero); `ASReview_not_seen` and other notes say nothing.
 */
export const asreviewLabel = (text: string): boolean | undefined => {
  const match = text.match(/ASReview_(relevant|irrelevant)\b/);
  return match ? match[1] === 'relevant' : undefined;
};

/** `start-end` from separate start and end pages, or whichever is present. */
export const joinPages = (start: string | undefined, end: string | undefined): string | undefined => {
  const first = start?.trim();
  const last = end?.trim();
  if (first && last && !first.includes('-')) {
    return `${first}-${last}`;
  }
  return first || last || undefined;
};

/** A finished record as a parse event: records without a title cannot be screened, so they are invalid. */
export const recordEvent = (line: number, fields: RecordFields): ParseEvent =>
  fields.title ? { kind: 'record', line, fields } : { kind: 'invalid', line, message: 'record has no title' };

/**
 * Sets the defined values on `target`, so records carry no `key: undefined`. The shared
 * `assignDefined` does the same through `Object.entries`/`Object.assign`, which costs a tenth of RIS
 * parsing time; this runs once per record on every import.
 */
export const setDefined = <T extends object>(target: T, values: Partial<T>): T => {
  for (const key in values) {
    const value = values[key];
    if (value !== undefined) {
      target[key] = value;
    }
  }
  return target;
};
