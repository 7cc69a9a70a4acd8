import type { RecordFields } from '../../core/evidence/record.js';
import { cleanParagraphs, cleanText } from './normalise.js';
import { meshKeywordPrefix } from './ris-fields.js';
import { risTypeFor } from './ris-types.js';

/**
 * Writes records as RIS, one chunk per record, so that `parseRis` reads every field back. Where RIS
 * has no tag of its own the writer uses a convention that other tools already follow or at least
 * tolerate, and `parseRis` reads it:
 *
 * - `TY`: the reference type when it is a RIS code; a BibTeX, EndNote or PubMed type is translated to
 *   the nearest code (`article` → `JOUR`), and a record with none is `GEN`. So a non-RIS reference type
 *   comes back as its RIS code.
 * - `AB`: one line per paragraph; `parseRis` joins repeated `AB` lines with `\n`. A paragraph is never
 *   written as a continuation line, which a reader could mistake for a tag (`AU - …` in an abstract).
 * - `SP`/`EP`: pages split at a single range dash (`296-302`); other pages (`e0815`, `A1-A5, A7`) go
 *   whole into `SP`, which `parseRis` keeps as given.
 * - `U1  - 123[pmid]` and `U2  - PMC456[pmcid]`: NCBI's own RIS export labels PubMed identifiers so in
 *   user fields; EndNote and Zotero keep them as user data.
 * - `KW  - MeSH: Humans`: MeSH terms are keywords to other tools (EndNote's PubMed export mixes them
 *   into `KW` too); the prefix keeps them apart from author keywords when read back.
 * - `M3`: each publication type ("type of work", as Embase and Scopus write it).
 * - `N1  - ASReview_relevant` / `ASReview_irrelevant`: the screening label, as ASReview exports it.
 * - `DB` source database, `SN` ISSN, `PB` publisher, `T2` journal (what Zotero writes), `PY` year.
 *
 * Lines end with CRLF, as the RIS specification asks.
 */
export function* writeRis(records: Iterable<RecordFields>): Generator<string> {
  for (const record of records) {
    yield risEntry(record);
  }
}

const line = (tag: string, value: string | undefined): string => {
  const text = cleanText(value);
  return text === undefined ? '' : `${tag}  - ${text}\r\n`;
};

const lines = (tag: string, values: readonly string[], prefix = ''): string =>
  values.map((value) => line(tag, `${prefix}${value}`)).join('');

/** Start and end page when the pages are one simple range, else the pages whole as the start page. */
const pageLines = (pages: string | undefined): string => {
  const range = pages?.match(/^\s*([^\s-]+)\s*-{1,2}\s*([^\s-]+)\s*$/);
  return range ? line('SP', range[1]) + line('EP', range[2]) : line('SP', pages);
};

const labelNote = (label: boolean | undefined): string | undefined => {
  if (label === undefined) {
    return undefined;
  }
  return label ? 'ASReview_relevant' : 'ASReview_irrelevant';
};

const risEntry = (record: RecordFields): string =>
  line('TY', risTypeFor(record.referenceType, record.publicationTypes)) +
  line('TI', record.title) +
  lines('AU', record.authors) +
  line('PY', record.year === undefined ? undefined : String(record.year)) +
  line('T2', record.journal) +
  line('VL', record.volume) +
  line('IS', record.issue) +
  pageLines(record.pages) +
  lines('AB', cleanParagraphs(record.abstract)?.split('\n') ?? []) +
  line('DO', record.doi) +
  line('U1', record.pmid === undefined ? undefined : `${record.pmid}[pmid]`) +
  line('U2', record.pmcid === undefined ? undefined : `${record.pmcid}[pmcid]`) +
  line('UR', record.url) +
  line('LA', record.language) +
  line('SN', record.issn) +
  line('PB', record.publisher) +
  line('DB', record.sourceDatabase) +
  lines('M3', record.publicationTypes) +
  lines('KW', record.keywords) +
  lines('KW', record.meshTerms, meshKeywordPrefix) +
  line('N1', labelNote(record.label)) +
  'ER  - \r\n\r\n';
