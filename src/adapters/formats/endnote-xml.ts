import type { ParseEvent, RecordFields } from '../../core/evidence/record.js';
import {
  assignDefined,
  cleanParagraphs,
  cleanText,
  normaliseDoi,
  normaliseIssn,
  normalisePmcid,
  normalisePmid,
  parseYear,
  pmcidFromUrl,
  pmidFromUrl,
  pushUnique,
} from './normalise.js';
import { children, parseXmlRecords, type ElementRule, type XmlRecordFormat } from './xml-records.js';

/**
 * EndNote XML (File > Export > XML): `<xml><records><record>`. Values are wrapped in one or more
 * `<style>` runs (a title with an italic species name has three) or, from some tools, bare.
 *
 * Choices, where the format leaves room:
 * - `journal` is the periodical's full title, else the secondary title (a journal, or the book a
 *   section is in), else the periodical's abbreviation.
 * - EndNote keeps the ISSN of a journal article in `<isbn>`; the first ISSN there becomes `issn`.
 *   A book's ISBN has no field in RecordFields and is dropped.
 * - A `<keyword>` is one keyword, but one holding `a; b; c` (or lines split by EndNote's `\r`)
 *   is split, since EndNote users paste keyword lists into one entry.
 * - The PMID comes from the accession number when the remote database is PubMed or MEDLINE,
 *   else from a PubMed link among the related URLs; a PMCID from a PMC link or a custom field
 *   holding only a PMCID (EndNote's PubMed import files it in Custom 2).
 */

interface EndnoteDraft {
  readonly line: number;
  recordNumber?: string;
  referenceType?: string;
  authors: string[];
  title?: string;
  secondaryTitle?: string;
  fullTitle?: string;
  abbreviation?: string;
  year?: number;
  dateYear?: number;
  pages?: string;
  volume?: string;
  issue?: string;
  doi?: string;
  urls: string[];
  keywords: string[];
  abstract?: string;
  language?: string;
  issn?: string;
  publisher?: string;
  accessionNumber?: string;
  databaseName?: string;
  customPmcid?: string;
}

type Rule = ElementRule<EndnoteDraft>;

const element = (rules: Record<string, Rule>): Rule => ({ children: children(rules) });
const field = (text: (draft: EndnoteDraft, text: string) => void): Rule => ({ text, prefersNestedText: true });

/** EndNote writes its own line breaks as `&#xD;`; literal line ends in the file are layout. */
const endnoteLineBreak = /\r/;

const customField = field((draft, text) => {
  const value = cleanText(text);
  if (value !== undefined && /^PMC\d+$/i.test(value)) {
    draft.customPmcid ??= normalisePmcid(value);
  }
});
const customFields: Record<string, Rule> = {};
for (let number = 1; number <= 7; number += 1) {
  customFields[`custom${number}`] = customField;
}

const record: Rule = {
  isRecord: true,
  children: children<EndnoteDraft>({
    'rec-number': field((draft, text) => {
      draft.recordNumber ??= cleanText(text);
    }),
    'ref-type': {
      enter: (draft, tag) => {
        draft.referenceType = cleanText(tag.attribute('name'));
      },
    },
    contributors: element({
      authors: element({
        author: field((draft, text) => {
          pushUnique(draft.authors, text);
        }),
      }),
    }),
    titles: element({
      title: field((draft, text) => {
        draft.title ??= cleanText(text);
      }),
      'secondary-title': field((draft, text) => {
        draft.secondaryTitle ??= cleanText(text);
      }),
    }),
    periodical: element({
      'full-title': field((draft, text) => {
        draft.fullTitle ??= cleanText(text);
      }),
      'abbr-1': field((draft, text) => {
        draft.abbreviation ??= cleanText(text);
      }),
    }),
    pages: field((draft, text) => {
      draft.pages ??= cleanText(text);
    }),
    volume: field((draft, text) => {
      draft.volume ??= cleanText(text);
    }),
    number: field((draft, text) => {
      draft.issue ??= cleanText(text);
    }),
    dates: element({
      year: field((draft, text) => {
        draft.year ??= parseYear(text);
      }),
      'pub-dates': element({
        date: field((draft, text) => {
          draft.dateYear ??= parseYear(text);
        }),
      }),
    }),
    'electronic-resource-num': field((draft, text) => {
      draft.doi ??= normaliseDoi(text);
    }),
    urls: element({
      'related-urls': element({
        url: field((draft, text) => {
          pushUnique(draft.urls, text);
        }),
      }),
    }),
    keywords: element({
      keyword: field((draft, text) => {
        pushUnique(draft.keywords, ...text.split(/[;\r]/));
      }),
    }),
    abstract: field((draft, text) => {
      draft.abstract ??= cleanParagraphs(text, endnoteLineBreak);
    }),
    language: field((draft, text) => {
      draft.language ??= cleanText(text);
    }),
    isbn: field((draft, text) => {
      draft.issn ??= normaliseIssn(text);
    }),
    publisher: field((draft, text) => {
      draft.publisher ??= cleanText(text);
    }),
    'accession-num': field((draft, text) => {
      draft.accessionNumber ??= cleanText(text);
    }),
    'remote-database-name': field((draft, text) => {
      draft.databaseName ??= cleanText(text);
    }),
    ...customFields,
  }),
};

const start = (line: number): EndnoteDraft => ({ line, authors: [], urls: [], keywords: [] });

const finish = (draft: EndnoteDraft): ParseEvent => {
  if (draft.title === undefined) {
    const which = draft.recordNumber === undefined ? '' : ` ${draft.recordNumber}`;
    return { kind: 'invalid', line: draft.line, message: `EndNote record${which} has no title` };
  }
  const isFromPubmed = /pubmed|medline/i.test(draft.databaseName ?? '');
  const fields: RecordFields = {
    title: draft.title,
    authors: draft.authors,
    publicationTypes: [],
    keywords: draft.keywords,
    meshTerms: [],
  };
  return {
    kind: 'record',
    line: draft.line,
    fields: assignDefined(fields, {
      abstract: draft.abstract,
      year: draft.year ?? draft.dateYear,
      journal: draft.fullTitle ?? draft.secondaryTitle ?? draft.abbreviation,
      volume: draft.volume,
      issue: draft.issue,
      pages: draft.pages,
      doi: draft.doi,
      pmid: (isFromPubmed ? normalisePmid(draft.accessionNumber) : undefined) ?? draft.urls.map(pmidFromUrl).find(Boolean),
      pmcid: draft.urls.map(pmcidFromUrl).find(Boolean) ?? draft.customPmcid,
      url: draft.urls[0],
      language: draft.language,
      sourceDatabase: draft.databaseName,
      issn: draft.issn,
      publisher: draft.publisher,
      referenceType: draft.referenceType,
    }),
  };
};

/** The rules for EndNote XML, exported so tests can run them through the saxes tokenizer too. */
export const endnoteXmlFormat: XmlRecordFormat<EndnoteDraft> = {
  name: 'EndNote XML (<xml><records>)',
  roots: children({
    xml: element({ records: element({ record }) }),
    records: element({ record }),
  }),
  start,
  finish,
};

/** Streams EndNote XML records, one `record` or `invalid` event per `<record>`, in file order. */
export const parseEndnoteXml = (chunks: AsyncIterable<string>): AsyncGenerator<ParseEvent> => parseXmlRecords(chunks, endnoteXmlFormat);
