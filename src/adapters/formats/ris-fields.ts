import type { RecordFields } from '../../core/evidence/record.js';
import {
  cleanParagraphs,
  cleanText,
  explicitDoi,
  normaliseDoi,
  normaliseIssn,
  normalisePmcid,
  normalisePmid,
  parseYear,
  pmcidFromUrl,
  pmidFromUrl,
  pushUnique,
} from './normalise.js';
import { publicationTypeForRisType } from './ris-types.js';
import { type TaggedRecord, asreviewLabel, cleanAuthor, joinPages, setDefined } from './tagged-record.js';

/**
 * Where exporters put identifiers other than the DOI: accession numbers, user fields, custom fields.
 * NCBI's own RIS writes `U1 - 23690738[pmid]` and `U2 - PMC4756000[pmcid]`; `writeRis` does the same.
 */
const identifierTags = ['AN', 'U1', 'U2', 'U3', 'U4', 'U5', 'M1', 'M2', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8'];
/** Links; `UR` first. `L1` (attachments, often local paths) and `LK` (link resolvers) are not the work's URL. */
const linkTags = ['UR', 'L2'];
const allLinkTags = ['UR', 'L1', 'L2', 'L3', 'L4', 'LK'];
/** Book types, whose `BT` is the title of the book itself rather than of the book a chapter is in. */
const bookTypes = new Set(['BOOK', 'EBOOK', 'EDBOOK', 'UNPB']);

/** The keyword prefix `writeRis` gives MeSH terms, so they come back as MeSH rather than keywords. */
export const meshKeywordPrefix = 'MeSH: ';

const digitsOnly = (text: string): string | undefined => (/^\s*\d{1,9}\s*$/.test(text) ? normalisePmid(text) : undefined);

/** `123[pmid]` (NCBI) or `PMID: 123` wherever it is. */
const labelledPmid = (text: string): string | undefined => {
  const match = text.match(/^\s*(\d{1,9})\s*\[pmid\]\s*$/i) ?? text.match(/^\s*PMID:?\s*(\d{1,9})\s*$/i);
  return match ? normalisePmid(match[1]) : undefined;
};

/** `PMC123[pmcid]` (NCBI) or a bare `PMC123` (PMC's own export puts it in `AN`). */
const labelledPmcid = (text: string): string | undefined => {
  const match = text.match(/^\s*(PMC\d+)\s*(?:\[pmcid\])?\s*$/i);
  return match ? normalisePmcid(match[1]) : undefined;
};

/**
 * The PMID of a record. Exporters disagree on where it goes: NCBI labels it; `AN` holds it when the
 * database is MEDLINE or PubMed (Ovid, EndNote's PubMed import with `DP - NLM`), and also `M1` for some
 * MEDLINE exports; Embase puts the MEDLINE PMID in `C5` and Scopus puts it in `C2`; failing those, a
 * PubMed link.
 */
const pmidOf = (record: TaggedRecord, databases: string): string | undefined =>
  record.find(identifierTags, labelledPmid) ??
  (/medline|pubmed|\bnlm\b/i.test(databases) ? record.find(['AN', 'M1'], digitsOnly) : undefined) ??
  (/^embase/i.test(databases) ? record.find(['C5'], digitsOnly) : undefined) ??
  (/^scopus/i.test(databases) ? record.find(['C2'], digitsOnly) : undefined) ??
  record.find(allLinkTags, pmidFromUrl);

/** The first URL of a field; rispy's examples separate several with `;`. */
const firstUrl = (text: string): string | undefined => cleanText(text.split(/\s*;\s*(?=[a-z][a-z\d+.-]*:\/\/)/i)[0]);

/**
 * `M3` ("type of work") is the publication type in Embase, Scopus and EndNote; other exporters fill it
 * with a DOI (SciFinder, Crossref-style `doi: …`) or, in Ovid PsycINFO, a subject classification such
 * as `Health Psychology & Medicine [3360]`, which are not types.
 */
const isPublicationType = (text: string): boolean => !/^doi:|^10\.\d{4,9}\/|\[\d+\]$/i.test(text);

/** Keywords, one per value and per continuation line (Rayyan and EndNote put them on separate lines under one `KW`). */
const addKeywords = (fields: RecordFields, values: readonly string[]): void => {
  for (const value of values) {
    for (const line of value.split('\n')) {
      const keyword = cleanText(line);
      if (keyword?.startsWith(meshKeywordPrefix)) {
        pushUnique(fields.meshTerms, keyword.slice(meshKeywordPrefix.length));
      } else {
        // Embase and Ovid mark major-focus terms with a leading `*`; the term is the same without it.
        pushUnique(fields.keywords, keyword?.replace(/^\*+\s*/, ''));
      }
    }
  }
};

/** Maps the tags of one RIS record to record fields (the conventions are in `RecordFields`). */
export const risFields = (record: TaggedRecord): RecordFields => {
  const type = cleanText(record.type);
  const isBook = type !== undefined && bookTypes.has(type);
  const databases = record.all('DB', 'DP').join(' ');
  const fields: RecordFields = {
    title: cleanText(record.first('TI', 'CT', ...(isBook ? ['BT'] : []), 'ST')) ?? '',
    authors: [],
    publicationTypes: [],
    keywords: [],
    meshTerms: [],
  };
  for (const author of record.all('AU')) {
    pushUnique(fields.authors, cleanAuthor(author));
  }
  for (const publicationType of record.all('M3')) {
    if (isPublicationType(publicationType.trim())) {
      pushUnique(fields.publicationTypes, publicationType);
    }
  }
  if (fields.publicationTypes.length === 0) {
    pushUnique(fields.publicationTypes, publicationTypeForRisType(type));
  }
  addKeywords(fields, record.all('KW'));
  const startPage = cleanText(record.first('SP'));
  const endPage = cleanText(record.first('EP'));
  return setDefined(fields, {
    // Several AB lines are paragraphs (that is how writeRis keeps them); N2 is the older abstract tag.
    abstract: cleanParagraphs(record.all('AB').join('\n')) ?? cleanParagraphs(record.all('N2').join('\n')),
    year: record.find(['PY', 'Y1', 'DA'], parseYear),
    journal: cleanText(record.first('JF', 'T2', 'JO', ...(isBook ? [] : ['BT']), 'JA', 'J1', 'J2')),
    volume: cleanText(record.first('VL')),
    issue: cleanText(record.first('IS')),
    // Ovid writes `SP - No` / `EP - Specified` when it has no pages.
    pages: startPage === 'No' && endPage === 'Specified' ? undefined : joinPages(startPage, endPage),
    doi: record.find(['DO'], normaliseDoi) ?? record.find([...allLinkTags, 'M3', 'N1'], explicitDoi),
    pmid: pmidOf(record, databases),
    pmcid: record.find(identifierTags, labelledPmcid) ?? record.find(allLinkTags, pmcidFromUrl),
    url: record.find(linkTags, firstUrl),
    language: cleanText(record.first('LA')),
    sourceDatabase: cleanText(record.first('DB', 'DP')),
    issn: record.find(['SN'], normaliseIssn),
    publisher: cleanText(record.first('PB')),
    referenceType: type,
    label: record.find(['N1'], asreviewLabel),
  });
};
