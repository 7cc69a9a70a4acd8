import type { RecordFields } from '../../core/evidence/record.js';
import { toCsv, type CsvValue } from './csv-safe.js';
import { splitKeywords } from './normalise.js';

/**
 * CSV export with ASReview's column names, so the file opens in ASReview and spreadsheets and
 * `parseCsv` reads every field back. Lists are joined with "; ". `label_included` is 1, 0 or empty
 * (unlabelled). `type_of_reference` holds the reference type as given (RIS `JOUR`, BibTeX `article`).
 * The year is written as a number; every other cell is text from the record, guarded against
 * spreadsheet formulas (`toCsv`: `=cmd` is written `'=cmd`), which `parseCsv` takes off again.
 */

const columns = [
  'title', 'abstract', 'authors', 'year', 'journal', 'volume', 'issue', 'pages', 'doi', 'pmid', 'pmcid', 'url', 'language',
  'keywords', 'mesh_terms', 'publication_types', 'type_of_reference', 'source_database', 'issn', 'publisher', 'label_included',
] as const;

/**
 * The keyword cell. The parser splits on ";" when there is one, else on ","; a single keyword with a
 * comma ("Models, Theoretical") gets a trailing ";" so that it is not split.
 */
const keywordCell = (keywords: readonly string[]): string => {
  const joined = keywords.join('; ');
  const reread = splitKeywords(joined);
  const isSame = reread.length === keywords.length && reread.every((keyword, index) => keyword === keywords[index]);
  return isSame ? joined : `${joined};`;
};

const row = (record: RecordFields): CsvValue[] => [
  record.title,
  record.abstract ?? '',
  record.authors.join('; '),
  record.year,
  record.journal ?? '',
  record.volume ?? '',
  record.issue ?? '',
  record.pages ?? '',
  record.doi ?? '',
  record.pmid ?? '',
  record.pmcid ?? '',
  record.url ?? '',
  record.language ?? '',
  keywordCell(record.keywords),
  record.meshTerms.join('; '),
  record.publicationTypes.join('; '),
  record.referenceType ?? '',
  record.sourceDatabase ?? '',
  record.issn ?? '',
  record.publisher ?? '',
  record.label === undefined ? '' : record.label ? '1' : '0',
];

/** Writes records as CSV: a header line, then one chunk per record. */
export function* writeCsv(records: Iterable<RecordFields>): Generator<string> {
  yield toCsv([columns]);
  for (const record of records) {
    yield toCsv([row(record)]);
  }
}
