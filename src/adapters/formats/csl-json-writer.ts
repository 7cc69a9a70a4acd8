import type { RecordFields } from '../../core/evidence/record.js';
import { createCitationKeys } from './citation-key.js';
import { pushUnique, splitKeywords } from './normalise.js';

/**
 * CSL-JSON export: an array with one item per line, read by Zotero, pandoc and citeproc, and read
 * back field for field by `parseCslJson`. Conventions:
 * - `source` holds the source database (CSL's "database or catalogue the item came from");
 *   `genre` holds the publication types joined by "; ".
 * - fields CSL has no variable for go in the `custom` object (the CSL schema's place for
 *   extensions): `custom.mesh` (MeSH terms), `custom.label` (screening label, a boolean), and
 *   `custom.keywords` / `custom.publicationTypes` only when `keyword` / `genre` cannot carry the
 *   list exactly (an item containing a separator, or no publication types at all).
 * - `type` is `referenceType` when it is a CSL type, else the nearest one (RIS `JOUR` and BibTeX
 *   `inproceedings` become `article-journal` and `paper-conference`); without one, `article`.
 * - `id` is a citation key like `smith2014reducing`; authors without a comma become `literal` names.
 */

const cslTypes: ReadonlySet<string> = new Set([
  'article', 'article-journal', 'article-magazine', 'article-newspaper', 'bill', 'book', 'broadcast', 'chapter', 'classic',
  'collection', 'dataset', 'document', 'entry', 'entry-dictionary', 'entry-encyclopedia', 'event', 'figure', 'graphic',
  'hearing', 'interview', 'legal_case', 'legislation', 'manuscript', 'map', 'motion_picture', 'musical_score', 'pamphlet',
  'paper-conference', 'patent', 'performance', 'periodical', 'personal_communication', 'post', 'post-weblog', 'regulation',
  'report', 'review', 'review-book', 'software', 'song', 'speech', 'standard', 'thesis', 'treaty', 'webpage',
]);

// RIS codes and BibTeX types, lower-cased, to the nearest CSL type.
const typeAliases: ReadonlyMap<string, string> = new Map(
  Object.entries({
    jour: 'article-journal', jfull: 'article-journal', ejour: 'article-journal', abst: 'article-journal', inpr: 'article-journal',
    mgzn: 'article-magazine', news: 'article-newspaper', ebook: 'book', edbook: 'book', chap: 'chapter', echap: 'chapter',
    conf: 'paper-conference', cpaper: 'paper-conference', thes: 'thesis', rprt: 'report', elec: 'webpage', web: 'webpage',
    gen: 'document', data: 'dataset', comp: 'software', pat: 'patent', stand: 'standard',
    inproceedings: 'paper-conference', conference: 'paper-conference', incollection: 'chapter', inbook: 'chapter',
    phdthesis: 'thesis', mastersthesis: 'thesis', techreport: 'report', online: 'webpage', www: 'webpage',
    booklet: 'pamphlet', manual: 'report', unpublished: 'manuscript', misc: 'document', proceedings: 'book',
  }),
);

const cslType = (referenceType: string | undefined): string => {
  if (referenceType !== undefined && cslTypes.has(referenceType)) {
    return referenceType;
  }
  return typeAliases.get(referenceType?.toLowerCase() ?? '') ?? 'article';
};

const isSameList = (left: readonly string[], right: readonly string[]): boolean =>
  left.length === right.length && left.every((item, index) => item === right[index]);

const cslName = (name: string): Record<string, string> => {
  const [family, given, suffix, ...rest] = name.split(',').map((part) => part.trim());
  if (given === undefined || rest.length > 0 || !family) {
    return { literal: name };
  }
  return suffix === undefined ? { family, given } : { family, given, suffix };
};

/** The CSL item for a record; fields without a value are left out. */
const toItem = (record: RecordFields, id: string): Record<string, unknown> => {
  const type = cslType(record.referenceType);
  const commaKeywords = record.keywords.join(', ');
  const keyword = isSameList(splitKeywords(commaKeywords), record.keywords) ? commaKeywords : record.keywords.join('; ');
  const genre = record.publicationTypes.length > 0 ? record.publicationTypes.join('; ') : undefined;
  // What parseCslJson derives without help: `genre` split on ";", else the type itself.
  const rereadTypes: string[] = [];
  pushUnique(rereadTypes, ...(genre === undefined ? [type] : genre.split(';')));
  const custom = {
    mesh: record.meshTerms.length > 0 ? record.meshTerms : undefined,
    label: record.label,
    keywords: isSameList(splitKeywords(keyword), record.keywords) ? undefined : record.keywords,
    publicationTypes: isSameList(rereadTypes, record.publicationTypes) ? undefined : record.publicationTypes,
  };
  const hasCustom = Object.values(custom).some((value) => value !== undefined);
  return {
    id,
    type,
    title: record.title,
    author: record.authors.length > 0 ? record.authors.map(cslName) : undefined,
    issued: record.year === undefined ? undefined : { 'date-parts': [[record.year]] },
    'container-title': record.journal,
    volume: record.volume,
    issue: record.issue,
    page: record.pages,
    DOI: record.doi,
    PMID: record.pmid,
    PMCID: record.pmcid,
    URL: record.url,
    ISSN: record.issn,
    publisher: record.publisher,
    language: record.language,
    keyword: record.keywords.length > 0 ? keyword : undefined,
    genre,
    source: record.sourceDatabase,
    abstract: record.abstract,
    custom: hasCustom ? custom : undefined,
  };
};

/** Writes records as a CSL-JSON array, one item per line (JSON.stringify drops the undefined fields). */
export function* writeCslJson(records: Iterable<RecordFields>): Generator<string> {
  const citationKey = createCitationKeys();
  let separator = '[\n';
  for (const record of records) {
    yield `${separator}${JSON.stringify(toItem(record, citationKey(record)))}`;
    separator = ',\n';
  }
  yield separator === '[\n' ? '[]\n' : '\n]\n';
}
