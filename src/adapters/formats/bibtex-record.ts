import { emptyRecord, type RecordFields } from '../../core/evidence/record.js';
import { decodeLatex, decodeVerbatim } from './bibtex-latex.js';
import { parseNames, splitOutsideBraces } from './bibtex-names.js';
import {
  assignDefined,
  cleanParagraphs,
  cleanText,
  explicitDoi,
  normaliseDoi,
  normaliseIssn,
  normalisePmcid,
  normalisePmid,
  parseLabel,
  parseYear,
  pmcidFromUrl,
  pmidFromUrl,
  pushUnique,
} from './normalise.js';

/**
 * Maps the raw fields of one BibTeX entry to record fields. Besides the standard fields it reads
 * what JabRef and biblatex write (`pmid`, `pmcid`/`pmc`, `eprint` + `eprinttype = pubmed`, `mesh`,
 * `pubtype`, `database`, `journaltitle`, `date`) and this project's `label_included` (see
 * bibtex-writer.ts for the convention).
 */

const text = (raw: string | undefined): string | undefined => (raw === undefined ? undefined : cleanText(decodeLatex(raw)));
const verbatim = (raw: string | undefined): string | undefined => (raw === undefined ? undefined : cleanText(decodeVerbatim(raw)));

/**
 * Splits a raw list field on `;` when it has one outside braces, otherwise on `,`; a braced item
 * keeps its separators, which is how the writer protects "Models, Theoretical".
 */
const list = (raw: string | undefined): string[] => {
  const items: string[] = [];
  if (raw === undefined) {
    return items;
  }
  const bySemicolon = splitOutsideBraces(raw, ';');
  for (const item of bySemicolon.length > 1 ? bySemicolon : splitOutsideBraces(raw, ',')) {
    pushUnique(items, decodeLatex(item));
  }
  return items;
};

// Page ranges: `--` is BibTeX's en dash; the record convention is a plain hyphen.
const pages = (raw: string | undefined): string | undefined => verbatim(raw?.replace(/\s*(?:-{1,3}|–|—)\s*/g, '-'));

const eprintOf = (fields: ReadonlyMap<string, string>, types: readonly string[]): string | undefined => {
  const type = verbatim(fields.get('eprinttype') ?? fields.get('archiveprefix'))?.toLowerCase();
  return type !== undefined && types.includes(type) ? verbatim(fields.get('eprint')) : undefined;
};

/** The record for an entry, or why it cannot be imported. */
export const toRecord = (type: string, key: string, fields: ReadonlyMap<string, string>): RecordFields | { error: string } => {
  const title = text(fields.get('title'));
  if (!title) {
    return { error: `entry ${key ? `"${key}" ` : ''}has no title` };
  }
  const subtitle = text(fields.get('subtitle'));
  const record = emptyRecord();
  record.title = subtitle ? `${title}: ${subtitle}` : title;
  record.authors = parseNames(fields.get('author'));
  const abstract = fields.get('abstract');
  // In BibTeX a single newline is only wrapping; a blank line (or \par) starts a paragraph.
  const paragraphs = abstract === undefined ? undefined : cleanParagraphs(decodeLatex(abstract), /\n\s*\n/);
  const url = verbatim(fields.get('url'));
  assignDefined(record, {
    abstract: paragraphs,
    year: parseYear(verbatim(fields.get('year'))) ?? parseYear(verbatim(fields.get('date'))),
    journal: text(fields.get('journal') ?? fields.get('journaltitle') ?? fields.get('booktitle')),
    volume: verbatim(fields.get('volume')),
    issue: verbatim(fields.get('number') ?? fields.get('issue')),
    pages: pages(fields.get('pages')),
    // Without an identifier field, a doi.org, PubMed or PMC link still names the work.
    doi: normaliseDoi(verbatim(fields.get('doi'))) ?? explicitDoi(url),
    pmid: normalisePmid(verbatim(fields.get('pmid')) ?? eprintOf(fields, ['pubmed', 'pmid'])) ?? pmidFromUrl(url),
    pmcid: normalisePmcid(verbatim(fields.get('pmcid') ?? fields.get('pmc')) ?? eprintOf(fields, ['pmc', 'pmcid'])) ?? pmcidFromUrl(url),
    url,
    language: text(fields.get('language') ?? fields.get('langid')),
    sourceDatabase: text(fields.get('database')),
    issn: normaliseIssn(verbatim(fields.get('issn'))),
    // A thesis or report names its institution where an article names a publisher.
    publisher: text(fields.get('publisher') ?? fields.get('school') ?? fields.get('institution') ?? fields.get('organization')),
    referenceType: type,
    label: parseLabel(verbatim(fields.get('label_included'))),
  });
  record.keywords = list(fields.get('keywords') ?? fields.get('keyword'));
  record.meshTerms = list(fields.get('mesh'));
  record.publicationTypes = list(fields.get('pubtype'));
  return record;
};
