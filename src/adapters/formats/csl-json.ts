import { emptyRecord, type ParseEvent, type RecordFields } from '../../core/evidence/record.js';
import { FormatError } from './format-error.js';
import { splitJsonItems } from './json-items.js';
import {
  assignDefined,
  cleanParagraphs,
  cleanText,
  normaliseDoi,
  normaliseIssn,
  normalisePmcid,
  normalisePmid,
  parseLabel,
  parseYear,
  pushUnique,
  splitKeywords,
} from './normalise.js';

/**
 * Streaming CSL-JSON importer (Zotero, Mendeley, citation.js, pandoc): an array of items, a
 * single item, or JSON Lines. Items are parsed one at a time. Besides the standard variables it
 * reads this project's `custom` object (`mesh`, `label`, `keywords`, `publicationTypes`; see
 * csl-json-writer.ts) and the `PMID:`/`PMCID:` lines Zotero leaves in `note`.
 */

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
// Array.isArray narrows to any[]; this keeps the items unknown until checked.
const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

/** A string variable; CSL processors also write numbers (`"volume": 12`) and some write one-element arrays. */
const text = (value: unknown): string | undefined => {
  if (typeof value === 'string') {
    return cleanText(value);
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  return isArray(value) ? text(value.find((item) => typeof item === 'string' || typeof item === 'number')) : undefined;
};

const strings = (value: unknown): string[] => (isArray(value) ? value.flatMap((item) => text(item) ?? []) : []);

/** CSL names: `literal` for groups, else "particles family, given particle, suffix". */
const names = (value: unknown): string[] => {
  const list: string[] = [];
  for (const name of isArray(value) ? value : []) {
    if (!isObject(name)) {
      continue;
    }
    const family = [text(name['dropping-particle']), text(name['non-dropping-particle']), text(name.family)].filter(Boolean).join(' ');
    const given = text(name.given);
    const suffix = text(name.suffix);
    pushUnique(list, text(name.literal) ?? ([family, given, suffix].filter(Boolean).join(', ') || undefined));
  }
  return list;
};

/** The year of a CSL date: `date-parts`, else `raw` or `literal`, else a plain string. */
const yearOf = (value: unknown): number | undefined => {
  if (!isObject(value)) {
    return parseYear(text(value));
  }
  const parts = value['date-parts'];
  const first = isArray(parts) && isArray(parts[0]) ? text(parts[0][0]) : undefined;
  return parseYear(first) ?? parseYear(text(value.raw)) ?? parseYear(text(value.literal));
};

const keywordsOf = (value: unknown): string[] => {
  const list: string[] = [];
  for (const item of isArray(value) ? value : [value]) {
    pushUnique(list, ...splitKeywords(text(item)));
  }
  return list;
};

const noteValue = (note: string | undefined, name: string): string | undefined => note?.match(new RegExp(`^\\s*${name}:\\s*(\\S+)`, 'im'))?.[1];

const publicationTypesOf = (item: JsonObject, custom: JsonObject): string[] => {
  if (isArray(custom.publicationTypes)) {
    return strings(custom.publicationTypes);
  }
  const list: string[] = [];
  // MEDLINE publication types contain commas ("Research Support, Non-U.S. Gov't"), so only ";" separates.
  const genre = text(item.genre);
  pushUnique(list, ...(genre ? genre.split(';') : [text(item.type)]));
  return list;
};

/** The record for one CSL item, or why it cannot be imported. */
export const toRecord = (item: JsonObject): RecordFields | { error: string } => {
  const title = text(item.title);
  if (!title) {
    return { error: `item ${text(item.id) ? `"${text(item.id)}" ` : ''}has no title` };
  }
  const custom = isObject(item.custom) ? item.custom : {};
  const note = typeof item.note === 'string' ? item.note : undefined;
  const record = emptyRecord();
  record.title = title;
  record.authors = names(item.author);
  assignDefined(record, {
    abstract: cleanParagraphs(typeof item.abstract === 'string' ? item.abstract : undefined),
    year: yearOf(item.issued) ?? yearOf(item['published-print']) ?? yearOf(item['published-online']),
    journal: text(item['container-title']),
    volume: text(item.volume),
    issue: text(item.issue),
    pages: text(item.page)?.replace(/\s*[-–—]+\s*/g, '-'),
    doi: normaliseDoi(text(item.DOI)),
    pmid: normalisePmid(text(item.PMID) ?? noteValue(note, 'PMID')),
    pmcid: normalisePmcid(text(item.PMCID) ?? noteValue(note, 'PMCID')),
    url: text(item.URL),
    language: text(item.language),
    sourceDatabase: text(item.source),
    issn: normaliseIssn(text(item.ISSN)),
    publisher: text(item.publisher),
    referenceType: text(item.type),
    label: typeof custom.label === 'boolean' ? custom.label : parseLabel(text(custom.label)),
  });
  record.keywords = isArray(custom.keywords) ? strings(custom.keywords) : keywordsOf(item.keyword);
  record.meshTerms = [];
  pushUnique(record.meshTerms, ...strings(custom.mesh));
  record.publicationTypes = publicationTypesOf(item, custom);
  return record;
};

const jsonErrorLine = (error: unknown, text: string, line: number): number => {
  const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
  return position === undefined ? line : line + (text.slice(0, Number(position)).match(/\n/g)?.length ?? 0);
};

/** Parses CSL-JSON text into records, one item at a time. */
export async function* parseCslJson(chunks: AsyncIterable<string>): AsyncGenerator<ParseEvent> {
  for await (const { text: itemText, line } of splitJsonItems(chunks)) {
    let item: unknown;
    try {
      item = JSON.parse(itemText);
    } catch (error) {
      // The splitter found the item's bounds, so the JSON inside it is broken: the file cannot be trusted.
      throw new FormatError(`malformed JSON: ${error instanceof Error ? error.message : String(error)}`, jsonErrorLine(error, itemText, line));
    }
    if (!isObject(item)) {
      yield { kind: 'invalid', line, message: 'item is not a JSON object' };
      continue;
    }
    const fields = toRecord(item);
    yield 'error' in fields ? { kind: 'invalid', line, message: fields.error } : { kind: 'record', line, fields };
  }
}
