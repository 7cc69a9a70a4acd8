import { emptyRecord, type RecordFields } from '../../core/evidence/record.js';
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
 * Spreadsheet columns to record fields. Column names follow ASReview's (case-insensitive, spaces
 * and underscores equivalent), plus the headers of the exports reviewers bring: Scopus, Web of
 * Science tags, Embase, PubMed's CSV and Zotero. The first alias with a value wins.
 */
const aliases = {
  title: ['title', 'primary_title', 'article_title', 'document_title', 'ti', 't1'],
  abstract: ['abstract', 'notes_abstract', 'abstract_note', 'ab'],
  authors: ['authors', 'author', 'author_names', 'author_full_names', 'first_authors', 'au', 'a1', 'af'],
  year: ['year', 'publication_year', 'py', 'date', 'publication_date', 'year_published', 'y1', 'da'],
  journal: ['journal', 'secondary_title', 'source_title', 'journal_name', 'journal_title', 'publication_title', 'journal/book', 't2', 'jo', 'jf', 'so', 'booktitle'],
  volume: ['volume', 'vl'],
  issue: ['issue', 'number', 'is'],
  pages: ['pages', 'page', 'pp'],
  startPage: ['start_page', 'beginning_page', 'sp', 'bp'],
  endPage: ['end_page', 'ending_page', 'ep'],
  doi: ['doi', 'do', 'di'],
  pmid: ['pmid', 'pubmed_id', 'pm'],
  pmcid: ['pmcid', 'pmc', 'pmc_id'],
  url: ['url', 'ur', 'link'],
  language: ['language', 'la', 'language_of_original_document'],
  keywords: ['keywords', 'author_keywords', 'index_keywords', 'kw', 'de'],
  mesh: ['mesh', 'mesh_terms', 'mesh_headings', 'mh'],
  publicationTypes: ['publication_types', 'publication_type', 'document_type', 'pt'],
  referenceType: ['type_of_reference', 'reference_type', 'item_type', 'ty'],
  sourceDatabase: ['source_database', 'database', 'db', 'data_source'],
  source: ['source'],
  issn: ['issn', 'sn'],
  publisher: ['publisher', 'pb'],
  label: ['label_included', 'included', 'label', 'final_included', 'asreview_label', 'included_label', 'included_final', 'include', 'included_flag'],
} as const satisfies Record<string, readonly string[]>;

type Column = keyof typeof aliases;
const columnNames: readonly Column[] = Object.keys(aliases).filter((key): key is Column => key in aliases);

/** The title column names, for the message when a file has none. */
export const titleColumns: readonly string[] = aliases.title;

/** Which cells of a row feed which field, from the header row. */
export interface ColumnMap {
  indexes: ReadonlyMap<Column, readonly number[]>;
  /** Embase exports carry no database column, but their Emtree columns say where they come from. */
  isEmbase: boolean;
}

const headerKey = (name: string): string => name.trim().toLowerCase().replace(/[\s_]+/g, '_');

/** Maps header cells to fields; undefined when there is no title column, which every record needs. */
export const mapColumns = (header: readonly string[]): ColumnMap | undefined => {
  const keys = header.map(headerKey);
  const indexes = new Map<Column, number[]>();
  for (const column of columnNames) {
    const names: readonly string[] = aliases[column];
    const found = names.flatMap((name) => keys.flatMap((key, index) => (key === name ? [index] : [])));
    if (found.length > 0) {
      indexes.set(column, found);
    }
  }
  return indexes.has('title') ? { indexes, isEmbase: keys.some((key) => key.startsWith('emtree')) } : undefined;
};

/** ASReview exports lists as Python literals: "['Marx, Karl', 'Lindgren, Astrid']". */
const listLiteral = (text: string): string[] | undefined => {
  const trimmed = text.trim();
  if (!/^\[\s*(?:(["'])[\s\S]*\1\s*)?\]$/.test(trimmed)) {
    return undefined;
  }
  return [...trimmed.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((match) => (match[1] ?? match[2] ?? '').replace(/\\(.)/g, '$1'));
};

const splitOn = (text: string | undefined, split: (text: string) => string[]): string[] => {
  const list: string[] = [];
  if (text) {
    pushUnique(list, ...(listLiteral(text) ?? split(text)));
  }
  return list;
};

// Embase, Scopus and PubMed write "Liu R., Adler D.G.": family name, then initials, comma-separated.
const familyInitials = /^(\S.*?\p{Ll}.*?)\s+((?:\p{Lu}\.?-?){1,4})$/u;

/** Authors separated by ";" (or a list literal); a comma-separated "Family I." list is split too. */
const parseAuthors = (text: string | undefined): string[] =>
  splitOn(text, (value) => {
    if (value.includes(';')) {
      return value.split(';');
    }
    const parts = value.split(',').map((part) => part.trim().match(familyInitials));
    if (parts.length > 1 && parts.every(Boolean)) {
      return parts.map((match) => `${match?.[1] ?? ''}, ${match?.[2] ?? ''}`);
    }
    return [value];
  });

// Embase's "Source": "Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014".
const embaseSource = /^(.+?) \((\d{4})\)(?: ([^\s:(]+)(?::([^\s(]+))?)?(?: \(([^)]+)\))?/;

/** One data row as a record, or why not; undefined for a row with nothing in it. */
export const toRecord = (columns: ColumnMap, row: readonly string[]): RecordFields | { error: string } | undefined => {
  const cells = (column: Column): string[] => (columns.indexes.get(column) ?? []).map((index) => row[index]?.trim() ?? '').filter(Boolean);
  const cell = (column: Column): string | undefined => cells(column)[0];
  const title = cleanText(cell('title'));
  if (!title) {
    return row.some((value) => value.trim()) ? { error: 'row has no title' } : undefined;
  }
  const record = emptyRecord();
  record.title = title;
  record.authors = parseAuthors(cell('authors'));
  const source = cell('source');
  const citation = source?.match(embaseSource);
  const start = cleanText(cell('startPage'));
  const end = cleanText(cell('endPage'));
  assignDefined(record, {
    abstract: cleanParagraphs(cell('abstract')),
    year: parseYear(cell('year')) ?? parseYear(citation?.[2]),
    journal: cleanText(cell('journal') ?? citation?.[1]),
    volume: cleanText(cell('volume') ?? citation?.[3]),
    issue: cleanText(cell('issue') ?? citation?.[4]),
    pages: cleanText(cell('pages')) ?? (start && end ? `${start}-${end}` : start) ?? cleanText(citation?.[5]),
    doi: normaliseDoi(cell('doi')),
    pmid: normalisePmid(cell('pmid')),
    pmcid: normalisePmcid(cell('pmcid')),
    url: cleanText(cell('url')),
    language: cleanText(cell('language')),
    referenceType: cleanText(cell('referenceType')),
    // Scopus's "Source" column names the database ("Scopus") rather than a citation.
    sourceDatabase: cleanText(cell('sourceDatabase') ?? (citation ? undefined : source)) ?? (columns.isEmbase ? 'Embase' : undefined),
    issn: normaliseIssn(cell('issn')),
    publisher: cleanText(cell('publisher')),
    label: parseLabel(cell('label')),
  });
  for (const keywords of cells('keywords')) {
    pushUnique(record.keywords, ...splitOn(keywords, splitKeywords));
  }
  // MeSH headings and publication types contain commas ("Research Support, N.I.H., Extramural").
  record.meshTerms = splitOn(cell('mesh'), (value) => value.split(';'));
  record.publicationTypes = splitOn(cell('publicationTypes'), (value) => value.split(';'));
  return record;
};
