import type { ParseEvent, RecordFields } from '../../core/evidence/record.js';
import { FormatError } from './format-error.js';
import { readLines } from './lines.js';
import { cleanParagraphs, cleanText, normaliseDoi, normaliseIssn, normalisePmid, parseYear, pushUnique } from './normalise.js';
import { TaggedRecord, cleanAuthor, joinPages, recordEvent, setDefined } from './tagged-record.js';

const notTaggedMessage = 'expected a Web of Science tag line (FN , PT , AU , TI …) before any other text: not a Web of Science plain text file';

const isTagChar = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 48 && code <= 57);

/**
 * A Web of Science tag line: two capitals or digits, then one space and the value, or nothing (`ER`,
 * `EF`). A second space after the tag is not allowed, so RIS (`TY  - JOUR`) and MEDLINE (`TI  - …`)
 * lines are not taken for tags and such files fail at their first line instead of importing garbage.
 */
const isTagLine = (text: string): boolean => {
  if (!isTagChar(text.charCodeAt(0)) || !isTagChar(text.charCodeAt(1))) {
    return false;
  }
  if (text.length === 2) {
    return true;
  }
  return text.charCodeAt(2) === 32 && (text.charCodeAt(3) !== 32 || text.trim().length === 2);
};

/** The file header (`FN Clarivate Analytics Web of Science`, `VR 1.0`): not part of any record. */
const headerTags: ReadonlySet<string> = new Set(['FN', 'VR']);

/**
 * Tags whose continuation lines are further values rather than wrapped text: people (`AU`, `AF`, book
 * authors `BA`/`BF`, editors `BE`), group authors (`CA`, newer files `GP`), addresses and cited
 * references. Everything else (`TI`, `AB`, `SO`, and the `; `-separated `DE`/`ID`/`DT`, which wrap in the
 * middle of a keyword) is folded with a space.
 */
const listTags: ReadonlySet<string> = new Set(['AU', 'AF', 'BA', 'BF', 'BE', 'CA', 'GP', 'C1', 'C3', 'CR']);

/**
 * Databases other than the Core Collection that Web of Science exports in this format, by the prefix
 * of their accession number (`UT`). `WOS:` (older files `ISI:`) is the Core Collection; an unknown
 * prefix is still a record from the Web of Science platform.
 */
const databaseByPrefix: ReadonlyMap<string, string> = new Map([
  ['WOS', 'Web of Science'],
  ['ISI', 'Web of Science'],
  ['MEDLINE', 'MEDLINE'],
  ['BCI', 'BIOSIS Citation Index'],
  ['BIOSIS', 'BIOSIS Citation Index'],
  ['CABI', 'CAB Abstracts'],
  ['INSPEC', 'Inspec'],
  ['ZOOREC', 'Zoological Record'],
  ['SCIELO', 'SciELO Citation Index'],
  ['KJD', 'KCI-Korean Journal Database'],
  ['RSCI', 'Russian Science Citation Index'],
  ['CSCD', 'Chinese Science Citation Database'],
]);

/**
 * The `UT` accession number split into its database prefix (upper-case; empty for the bare numbers of
 * the oldest exports) and number (empty when an anonymised file keeps only `UT WOS`).
 */
const accessionOf = (record: TaggedRecord): { prefix: string; number: string } | undefined => {
  const value = cleanText(record.first('UT'));
  if (value === undefined) {
    return undefined;
  }
  const match = value.match(/^([A-Za-z]+)(?::\s*(\S*)|$)/);
  return match?.[1] ? { prefix: match[1].toUpperCase(), number: match[2] ?? '' } : { prefix: '', number: value };
};

/**
 * `AF` is "Family, Given" and `AU` "Family, GI"; older files have only `AU`, and ISI exports of MEDLINE
 * records put all the authors on one `AU` line separated by `; `. Book records without chapter authors
 * name the book's (`BF`, `BA`). Group authors (`CA`, `GP`) come after the people: the file does not say
 * where they stood in the byline.
 */
const authorsOf = (record: TaggedRecord): string[] => {
  const authors: string[] = [];
  const personal = ['AF', 'AU', 'BF', 'BA'].find((tag) => record.all(tag).length > 0);
  for (const value of [...(personal === undefined ? [] : record.all(personal)), ...record.all('CA', 'GP')]) {
    for (const name of value.split(';')) {
      pushUnique(authors, cleanAuthor(name));
    }
  }
  return authors;
};

/**
 * Splits a `; `-separated list (`DE`, `ID`, `DT`). Always on `;`, never `,` as `splitKeywords` would
 * for a list of one: a single author keyword may hold a comma ("Alzheimer disease, early onset").
 */
const pushSplit = (list: string[], values: readonly string[]): void => {
  for (const value of values) {
    pushUnique(list, ...value.split(';'));
  }
};

/**
 * `BP`–`EP` when the record has pages; `AR`, the article number, for online-only articles that have
 * none; `PS`, a page span as ISI exports of MEDLINE give it ("2457-71"), as given.
 */
const pagesOf = (record: TaggedRecord): string | undefined =>
  joinPages(cleanText(record.first('BP')), cleanText(record.first('EP'))) ?? cleanText(record.first('AR', 'PS'));

const wosFields = (record: TaggedRecord): RecordFields => {
  const accession = accessionOf(record);
  const fields: RecordFields = {
    title: cleanText(record.first('TI')) ?? '',
    authors: authorsOf(record),
    publicationTypes: [],
    keywords: [],
    meshTerms: [],
  };
  // `DT` is the document type ("Article; Proceedings Paper"); `PT` only says J, B, S or P.
  pushSplit(fields.publicationTypes, record.all('DT'));
  // Author keywords, then Keywords Plus (terms Web of Science derives from the cited titles).
  pushSplit(fields.keywords, record.all('DE', 'ID'));
  return setDefined(fields, {
    abstract: cleanParagraphs(record.all('AB').join('\n')),
    // `PY` is missing on early-access articles, which have `EY`/`EA` ("JAN 2024") instead.
    year: record.find(['PY', 'PD', 'EY', 'EA'], parseYear),
    // `SO` is the full title in capitals; `JI` the ISO abbreviation, `J9` the 29-character one.
    journal: cleanText(record.first('SO', 'JI', 'J9')),
    volume: cleanText(record.first('VL')),
    issue: cleanText(record.first('IS')),
    pages: pagesOf(record),
    doi: record.find(['DI'], normaliseDoi),
    // ISI exports of MEDLINE records have no `PM`: the PMID is their accession number.
    pmid: record.find(['PM'], normalisePmid) ?? (accession?.prefix === 'MEDLINE' ? normalisePmid(accession.number) : undefined),
    language: cleanText(record.first('LA')),
    sourceDatabase: accession === undefined ? undefined : (databaseByPrefix.get(accession.prefix) ?? 'Web of Science'),
    issn: record.find(['SN', 'EI'], normaliseIssn),
    publisher: cleanText(record.first('PU')),
    referenceType: cleanText(record.first('PT')),
  });
};

/**
 * Parses Web of Science "Plain text" exports (the field-tagged ISI format: `savedrecs.txt`, `.isi`),
 * yielding one event per record in file order. The file starts with `FN` and `VR` header lines; each
 * record is a run of `TG value` lines ended by `ER`, and `EF` ends the file. A line indented by three
 * spaces continues the previous tag: in lists of people, groups, addresses and cited references it is
 * the next value, elsewhere wrapped text, folded with a space (an `AB` never has paragraph breaks).
 * A blank line or a `PT` line in a record with fields also ends the record, so files that lost their
 * `ER` lines still split, and a file that ends without `ER` yields its last record. Stray text between
 * records is skipped, but text before the first tag line means the file is not Web of Science plain
 * text (a RIS or MEDLINE file, a list of identifiers): `FormatError`.
 *
 * Fields: `TI` title; `AF` (else `AU`) authors, then `CA`/`GP` group authors; `AB` abstract; `PY`
 * (else `PD`) year; `SO` (else `JI`, `J9`) journal; `VL`, `IS`; `BP`-`EP`, else `AR`, else `PS` pages;
 * `DI` doi; `PM` pmid; `DE` and `ID` keywords; `DT` publication types; `PT` reference type; `LA`;
 * `SN` (else `EI`) issn; `PU` publisher. `UT` names the database by its prefix: `WOS:`/`ISI:` is Web of
 * Science, `MEDLINE:` is MEDLINE and its number the PMID when there is no `PM`.
 */
export async function* parseWos(chunks: AsyncIterable<string>): AsyncGenerator<ParseEvent> {
  let record: TaggedRecord | undefined;
  let lastTag: string | undefined;
  let hasTags = false;
  for await (const { text, line } of readLines(chunks)) {
    if (!isTagLine(text)) {
      const trimmed = text.trim();
      if (trimmed === '') {
        if (record !== undefined) {
          yield recordEvent(record.line, wosFields(record));
          record = undefined;
        }
      } else if (record !== undefined) {
        if (lastTag !== undefined && listTags.has(lastTag)) {
          record.add(lastTag, trimmed);
        } else {
          record.continueLast(trimmed, ' ');
        }
      } else if (!hasTags) {
        throw new FormatError(notTaggedMessage, line);
      }
      continue;
    }
    hasTags = true;
    const tag = text.slice(0, 2);
    if (tag === 'ER' || tag === 'EF' || headerTags.has(tag) || (tag === 'PT' && record?.hasFields)) {
      if (record !== undefined) {
        yield recordEvent(record.line, wosFields(record));
        record = undefined;
      }
      lastTag = undefined;
      if (tag !== 'PT') {
        continue;
      }
    }
    record ??= new TaggedRecord(line);
    record.add(tag, text.slice(3).trim());
    lastTag = tag;
  }
  if (record !== undefined) {
    yield recordEvent(record.line, wosFields(record));
  }
}
