import { plugins, type CslConfig, type CslItem } from '@citation-js/core';
import '@citation-js/plugin-csl';
import type { ReferenceFormatter } from '../../core/briefings/build.js';
import type { CitationStyle } from '../../core/briefings/document.js';
import type { EvidenceRecord } from '../../core/evidence/types.js';

/**
 * References and in-text citations with citation-js (docs/decisions/0008-briefing-exports-docx-pdfkit-citation-js.md).
 * Styles are the CSL templates bundled with `@citation-js/plugin-csl`, so nothing is fetched:
 * `vancouver` (Zotero's Vancouver, NLM "Citing Medicine") and `harvard1` (Cite Them Right 11th
 * edition Harvard, the usual UK Harvard). Both run in British English: the plugin bundles only an
 * American locale, so an en-GB one is derived from it (single quotes, punctuation outside them,
 * day-month dates), as the CSL project's own en-GB locale differs in these points.
 */

const cslConfig = (): CslConfig => {
  const config = plugins.config.get('@csl');
  if (config === undefined) {
    throw new Error('citation-js: the CSL plugin is not loaded');
  }
  return config;
};

const templateOf: Record<CitationStyle, string> = { vancouver: 'vancouver', harvard: 'harvard1' };

const LOCALE = 'en-GB';

/** en-GB from en-US: the differences that show in references (quotes, punctuation, date order). */
const registerBritishLocale = (config: CslConfig): void => {
  if (config.locales.has(LOCALE)) {
    return;
  }
  const american = config.locales.get('en-US');
  if (american === undefined) {
    throw new Error('citation-js: the en-US locale is missing');
  }
  const british = american
    .replace('xml:lang="en-US"', `xml:lang="${LOCALE}"`)
    .replace('punctuation-in-quote="true"', 'punctuation-in-quote="false"')
    .replace('<term name="open-quote">“</term>', '<term name="open-quote">‘</term>')
    .replace('<term name="close-quote">”</term>', '<term name="close-quote">’</term>')
    .replace('<term name="open-inner-quote">‘</term>', '<term name="open-inner-quote">“</term>')
    .replace('<term name="close-inner-quote">’</term>', '<term name="close-inner-quote">”</term>')
    .replace(
      /<date form="text">[\s\S]*?<\/date>/,
      '<date form="text"><date-part name="day" suffix=" "/><date-part name="month" suffix=" "/><date-part name="year"/></date>',
    )
    .replace(
      /<date form="numeric">[\s\S]*?<\/date>/,
      '<date form="numeric"><date-part name="day" form="numeric-leading-zeros" suffix="/"/><date-part name="month" form="numeric-leading-zeros" suffix="/"/><date-part name="year"/></date>',
    );
  config.locales.add(LOCALE, british);
};

/** "J.A." or "John Andrew" as "J. A.": the same person is written alike in every record (both styles print initials). */
const initials = (given: string): string =>
  given
    .split(/[\s.]+/)
    .filter((part) => part !== '')
    .map((part) =>
      part
        .split('-')
        .map((piece) => `${[...piece][0] ?? ''}.`)
        .join('-'),
    )
    .join(' ');

/** "Family, Given" as a CSL name; a name without a comma is an organisation ("NHS England"). */
const nameOf = (author: string): { family: string; given?: string } | { literal: string } => {
  const comma = author.indexOf(',');
  if (comma === -1) {
    return { literal: author };
  }
  const family = author.slice(0, comma).trim();
  const given = initials(author.slice(comma + 1).trim());
  return given === '' ? { family } : { family, given };
};

/** CSL item types for the reference types importers keep (RIS TY, BibTeX entry types, EndNote ref-types). */
const typeByReferenceType: Record<string, string> = {
  jour: 'article-journal',
  article: 'article-journal',
  'journal article': 'article-journal',
  book: 'book',
  chap: 'chapter',
  chapter: 'chapter',
  inbook: 'chapter',
  incollection: 'chapter',
  'book section': 'chapter',
  rprt: 'report',
  report: 'report',
  techreport: 'report',
  conf: 'paper-conference',
  cpaper: 'paper-conference',
  inproceedings: 'paper-conference',
  'conference paper': 'paper-conference',
  thes: 'thesis',
  thesis: 'thesis',
  phdthesis: 'thesis',
  mastersthesis: 'thesis',
  elec: 'webpage',
  web: 'webpage',
  'web page': 'webpage',
};

const typeOf = (record: EvidenceRecord): string =>
  typeByReferenceType[(record.referenceType ?? '').toLowerCase()] ?? (record.journal !== undefined ? 'article-journal' : record.publisher !== undefined ? 'report' : 'document');

/** An evidence record as a CSL-JSON item, under the given id. */
export const toCslItem = (record: EvidenceRecord, id: string = record.id): CslItem => ({
  id,
  type: typeOf(record),
  title: record.title,
  ...(record.authors.length > 0 ? { author: record.authors.map(nameOf) } : {}),
  ...(record.year !== undefined ? { issued: { 'date-parts': [[record.year]] } } : {}),
  ...(record.journal !== undefined ? { 'container-title': record.journal } : {}),
  ...(record.volume !== undefined ? { volume: record.volume } : {}),
  ...(record.issue !== undefined ? { issue: record.issue } : {}),
  ...(record.pages !== undefined ? { page: record.pages } : {}),
  ...(record.doi !== undefined ? { DOI: record.doi } : {}),
  ...(record.pmid !== undefined ? { PMID: record.pmid } : {}),
  ...(record.pmcid !== undefined ? { PMCID: record.pmcid } : {}),
  ...(record.url !== undefined ? { URL: record.url } : {}),
  ...(record.issn !== undefined ? { ISSN: record.issn } : {}),
  ...(record.publisher !== undefined ? { publisher: record.publisher } : {}),
});

const isPreprint = (record: EvidenceRecord): boolean => [...record.publicationTypes, record.referenceType ?? ''].some((type) => /preprint/i.test(type));

const clean = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * References for records in citation order, with their in-text labels: Vancouver `[1]`, `[2]`…;
 * Harvard "Smith, Jones and Brown, 2021" (with "2021a", "2021b" where two would read alike; the
 * parentheses are left to the writer, who may cite several at once). Vancouver references end with
 * the DOI, as NLM recommends, which the bundled template leaves out.
 */
export const formatReferences = (records: readonly EvidenceRecord[], style: CitationStyle): { references: string[]; inTextLabels: string[] } => {
  if (records.length === 0) {
    return { references: [], inTextLabels: [] };
  }
  const config = cslConfig();
  registerBritishLocale(config);
  // Ids by position: the same record may be listed twice, and the engine wants unique ids.
  const items = records.map((record, index) => toCslItem(record, `r${index + 1}`));
  const engine = config.engine(items, templateOf[style], LOCALE, 'text');
  const ids = items.map((item) => item.id);
  engine.updateItems(ids, true);
  // Every record cited once, in order, in one processor state: year suffixes are shared with the bibliography.
  const citations = engine.rebuildProcessorState(
    ids.map((id, index) => ({ citationID: `c${index + 1}`, citationItems: [{ id }], properties: { noteIndex: 0 } })),
    'text',
    [],
  );
  const bibliography = engine.makeBibliography();
  if (bibliography === false) {
    throw new Error(`citation-js: the ${style} style has no bibliography`);
  }
  const [{ entry_ids: entryIds }, entries] = bibliography;
  const byId = new Map(entryIds.map((entryIds, index) => [entryIds[0] ?? '', clean(entries[index] ?? '')]));
  const references = records.map((record, index) => {
    const reference = byId.get(`r${index + 1}`) ?? clean(record.title);
    if (style === 'vancouver') {
      const withoutNumber = reference.replace(/^\d+\.\s*/, '');
      return record.doi !== undefined && !withoutNumber.toLowerCase().includes(record.doi.toLowerCase()) ? `${withoutNumber} doi:${record.doi}` : withoutNumber;
    }
    // Cite Them Right marks a journal article with neither volume nor pages as a preprint; imported
    // records often just lack them (online first, CSV exports), so say so only when the record does.
    return isPreprint(record) ? reference : reference.replace(' [Preprint]', '');
  });
  const inTextLabels = style === 'vancouver' ? ids.map((_, index) => `[${index + 1}]`) : citations.map(([, , text]) => clean(text).replace(/^\((.*)\)$/, '$1'));
  return { references, inTextLabels };
};

/** The core's port for formatting references (build.ts). */
export const referenceFormatter: ReferenceFormatter = { format: formatReferences };

/** Numbers as a Vancouver citation shows them: `1–3, 5` (runs of three or more joined by an en dash). */
export const citationNumbers = (numbers: readonly number[]): string => {
  const sorted = [...new Set(numbers)].sort((left, right) => left - right);
  const parts: string[] = [];
  for (let index = 0; index < sorted.length; ) {
    let end = index;
    while (end + 1 < sorted.length && sorted[end + 1] === (sorted[end] ?? 0) + 1) {
      end += 1;
    }
    if (end - index >= 2) {
      parts.push(`${sorted[index]}–${sorted[end]}`);
    } else {
      parts.push(...sorted.slice(index, end + 1).map(String));
    }
    index = end + 1;
  }
  return parts.join(', ');
};

/** An in-text citation of references by number: `[1–3]` (Vancouver) or "(Smith, 2021; Doe, 2019)" (Harvard). */
export const inTextCitation = (numbers: readonly number[], style: CitationStyle, inTextLabels: readonly string[]): string => {
  if (style === 'vancouver') {
    return `[${citationNumbers(numbers)}]`;
  }
  const labels = [...new Set(numbers)].map((number) => inTextLabels[number - 1] ?? String(number));
  return `(${labels.join('; ')})`;
};
