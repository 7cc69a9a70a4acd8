import type { RecordFields } from '../../core/evidence/record.js';
import { createCitationKeys } from './citation-key.js';

/**
 * BibTeX export, one entry per record, every record field kept so that `parseBibtex` reads the
 * same record back. Conventions beyond standard BibTeX, chosen to match what JabRef writes:
 * - `pmid`, `pmcid`: identifiers as JabRef stores them; `mesh`: MeSH terms; `pubtype`: publication
 *   types (JabRef's MEDLINE import uses both); `database`: the source database (JabRef's RIS `DB`).
 * - `label_included = {1}` / `{0}`: the screening label, named like ASReview's CSV column.
 * - lists are separated by `; `; an item holding `,` or `;` is wrapped in braces.
 * - the entry type is `referenceType` when it is a BibTeX/biblatex type, else the nearest one
 *   (RIS `JOUR` and CSL `article-journal` become `article`); without one, `article` or `misc`.
 * - works in a book or proceedings get `booktitle` instead of `journal`.
 * - text is UTF-8 with only LaTeX specials escaped; abstract paragraphs are separated by a blank line.
 */

const bibtexTypes: ReadonlySet<string> = new Set([
  'article', 'book', 'booklet', 'inbook', 'incollection', 'inproceedings', 'conference', 'manual', 'mastersthesis',
  'misc', 'phdthesis', 'proceedings', 'techreport', 'unpublished', 'online', 'report', 'thesis', 'dataset', 'software',
  'collection', 'periodical', 'patent', 'electronic', 'www', 'mvbook', 'bookinbook', 'suppbook', 'reference',
]);

// RIS codes and CSL types, lower-cased, to the nearest BibTeX type.
const typeAliases: ReadonlyMap<string, string> = new Map(Object.entries({
  jour: 'article', jfull: 'article', ejour: 'article', mgzn: 'article', news: 'article', abst: 'article', inpr: 'article',
  'article-journal': 'article', 'article-magazine': 'article', 'article-newspaper': 'article', 'journal article': 'article',
  book: 'book', ebook: 'book', edbook: 'book', chap: 'incollection', echap: 'incollection', chapter: 'incollection',
  'book section': 'incollection', conf: 'inproceedings', cpaper: 'inproceedings', 'paper-conference': 'inproceedings',
  'conference paper': 'inproceedings', thes: 'phdthesis', rprt: 'techreport', elec: 'misc', web: 'misc', webpage: 'misc',
}));

const bookParts: ReadonlySet<string> = new Set(['inproceedings', 'incollection', 'inbook', 'conference', 'bookinbook']);

const entryType = (record: RecordFields): string => {
  const type = record.referenceType?.toLowerCase() ?? '';
  if (bibtexTypes.has(type)) {
    return type;
  }
  return typeAliases.get(type) ?? (record.journal || !type ? 'article' : 'misc');
};

const specials: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  // Escaped braces still count in BibTeX's brace balance, so a lone brace needs a macro.
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** Escapes LaTeX specials and breaks up `--`, ``` `` ``` and `''`, which TeX would turn into dashes and quotes. */
const escapeText = (text: string): string =>
  text
    .replace(/[\\{}&%$#_~^]/g, (char) => specials[char] ?? char)
    .replace(/-(?=-)/g, '-{}')
    .replace(/`(?=`)/g, '`{}')
    .replace(/'(?=')/g, "'{}");

// A field line that starts with "@type{" would look like a new entry to a recovering parser.
const escapeParagraph = (text: string): string => escapeText(text).replace(/^@/, '{@}');

// Links and identifiers are verbatim in biblatex; only braces, which would unbalance the entry, are encoded.
const escapeVerbatim = (text: string): string => text.replace(/\{/g, '%7B').replace(/\}/g, '%7D');

const protectAnd = (text: string): string => escapeText(text).replace(/(^|\s)(and)(?=\s|$)/gi, '$1{$2}');

/** One name in BibTeX form; names without a comma (groups) are braced so they are not split into given and family. */
const formatName = (name: string): string => {
  const parts = name.split(',').map((part) => part.trim());
  const [family, given, suffix, ...rest] = parts;
  if (given === undefined || rest.length > 0 || family === undefined) {
    return `{${escapeText(name)}}`;
  }
  return suffix === undefined ? `${protectAnd(family)}, ${protectAnd(given)}` : `${protectAnd(family)}, ${protectAnd(suffix)}, ${protectAnd(given)}`;
};

const formatList = (items: readonly string[]): string =>
  items.map((item) => (/[,;]/.test(item) ? `{${escapeText(item)}}` : escapeText(item))).join('; ');

const entryFields = (record: RecordFields): [string, string | undefined][] => {
  const type = entryType(record);
  return [
    ['title', escapeText(record.title)],
    ['author', record.authors.length > 0 ? record.authors.map(formatName).join(' and ') : undefined],
    [bookParts.has(type) ? 'booktitle' : 'journal', record.journal && escapeText(record.journal)],
    ['year', record.year?.toString()],
    ['volume', record.volume && escapeText(record.volume)],
    ['number', record.issue && escapeText(record.issue)],
    ['pages', record.pages && escapeText(record.pages).replace(/-(?:\{\})?/g, '--')],
    ['doi', record.doi && escapeVerbatim(record.doi)],
    ['pmid', record.pmid],
    ['pmcid', record.pmcid],
    ['url', record.url && escapeVerbatim(record.url)],
    ['issn', record.issn && escapeText(record.issn)],
    ['publisher', record.publisher && escapeText(record.publisher)],
    ['language', record.language && escapeText(record.language)],
    ['keywords', record.keywords.length > 0 ? formatList(record.keywords) : undefined],
    ['mesh', record.meshTerms.length > 0 ? formatList(record.meshTerms) : undefined],
    ['pubtype', record.publicationTypes.length > 0 ? formatList(record.publicationTypes) : undefined],
    ['database', record.sourceDatabase && escapeText(record.sourceDatabase)],
    ['label_included', record.label === undefined ? undefined : record.label ? '1' : '0'],
    ['abstract', record.abstract?.split('\n').map(escapeParagraph).join('\n\n')],
  ];
};

/** Writes records as BibTeX entries, one chunk per entry. */
export function* writeBibtex(records: Iterable<RecordFields>): Generator<string> {
  const citationKey = createCitationKeys();
  for (const record of records) {
    const lines = entryFields(record)
      .filter((field): field is [string, string] => field[1] !== undefined && field[1] !== '')
      .map(([name, value]) => `  ${name} = {${value}}`);
    yield `@${entryType(record)}{${citationKey(record)},\n${lines.join(',\n')}\n}\n\n`;
  }
}
