import type { ParseEvent, RecordFields } from '../../core/evidence/record.js';
import { FormatError } from './format-error.js';
import { readLines } from './lines.js';
import {
  cleanParagraphs,
  cleanText,
  explicitDoi,
  normaliseIssn,
  normalisePmcid,
  normalisePmid,
  parseYear,
  pushUnique,
} from './normalise.js';
import { TaggedRecord, cleanAuthor, recordEvent, setDefined } from './tagged-record.js';

const notTaggedMessage = 'expected a MEDLINE tag line (PMID- , TI  - …) before any other text: not a MEDLINE/PubMed text file';

const isTagChar = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 48 && code <= 57);

/**
 * Where the tag of a MEDLINE line ends, or -1 for a line that is not a tag line. PubMed pads tags of
 * 2–4 capitals or digits to four characters and puts the dash in the fifth (`PMID- `, `TI  - `,
 * `FAU - `); hand-made and older files drop the padding or the space (`PMID-22664220`, `TI-`), so the
 * dash may come anywhere after the tag within the first six characters. A line starting with a blank
 * continues the previous field (PubMed indents continuations by six spaces).
 */
const tagEnd = (text: string): number => {
  let index = 0;
  while (index < 4 && isTagChar(text.charCodeAt(index))) {
    index += 1;
  }
  if (index < 2) {
    return -1;
  }
  let dash = index;
  while (dash < 5 && text.charCodeAt(dash) === 32) {
    dash += 1;
  }
  return text.charCodeAt(dash) === 45 ? index : -1;
};

/**
 * `AID`/`LID` values name what they are in brackets (`10.1118/1.4748329 [doi]`, `btk021 [pii]`); ERIC
 * writes a doi.org link and hand-made files `doi:…`.
 */
const doiOf = (record: TaggedRecord): string | undefined => record.find(['LID', 'AID'], explicitDoi);

const urlOf = (record: TaggedRecord): string | undefined =>
  record.find(['LID', 'AID'], (value) => (/^https?:\/\//i.test(value) && explicitDoi(value) === undefined ? cleanText(value) : undefined));

/**
 * `FAU` is "Family, Given" and `AU` "Family GI"; records from before 2002 have only `AU`. Group
 * authors (`CN`) are authors too, and PubMed lists them in author order, so the full list is `FAU`
 * with `CN` when there is any `FAU`, else `AU` with `CN`.
 */
const authorsOf = (record: TaggedRecord): string[] => {
  const authors: string[] = [];
  const personal = record.all('FAU').length > 0 ? 'FAU' : 'AU';
  for (const [tag, value] of record.entries()) {
    if (tag === personal || tag === 'CN') {
      pushUnique(authors, cleanAuthor(value));
    }
  }
  return authors;
};

/**
 * `STAT - MEDLINE` records are indexed for MEDLINE; anything else with a PMID is PubMed only (in process,
 * publisher-supplied, PubMed-not-MEDLINE). Files in this format from other databases (ERIC) name their
 * owner in `OWN`.
 */
const sourceDatabaseOf = (record: TaggedRecord): string | undefined => {
  const status = cleanText(record.first('STAT'));
  if (status === 'MEDLINE') {
    return 'MEDLINE';
  }
  return record.first('PMID') !== undefined ? 'PubMed' : cleanText(record.first('OWN'));
};

const medlineFields = (record: TaggedRecord): RecordFields => {
  const fields: RecordFields = {
    // Book records (PubMed Bookshelf) have `BTI` instead of `TI`.
    title: cleanText(record.first('TI', 'BTI')) ?? '',
    authors: authorsOf(record),
    publicationTypes: [],
    keywords: [],
    meshTerms: [],
  };
  pushUnique(fields.publicationTypes, ...record.all('PT'));
  pushUnique(fields.keywords, ...record.all('OT'));
  // `*` marks a major topic; the heading and its qualifiers are kept as PubMed shows them ("Sequence Alignment/methods").
  pushUnique(fields.meshTerms, ...record.all('MH').map((heading) => heading.replace(/\*/g, '')));
  return setDefined(fields, {
    // Wrapped lines were folded on the way in, so each AB line left is a paragraph.
    abstract: cleanParagraphs(record.all('AB').join('\n')),
    year: record.find(['DP'], parseYear),
    journal: cleanText(record.first('JT', 'TA')),
    volume: cleanText(record.first('VI')),
    issue: cleanText(record.first('IP')),
    pages: cleanText(record.first('PG')),
    doi: doiOf(record),
    pmid: record.find(['PMID'], normalisePmid),
    pmcid: record.find(['PMC'], normalisePmcid),
    url: urlOf(record),
    language: cleanText(record.first('LA')),
    sourceDatabase: sourceDatabaseOf(record),
    issn: record.find(['IS', 'ISSN'], normaliseIssn),
    publisher: cleanText(record.first('PB')),
  });
};

/**
 * Parses MEDLINE/PubMed text (`.nbib`, PubMed's "PubMed" format `.txt`), yielding one event per record
 * in file order. Records are separated by blank lines, and a `PMID-` line starts a new record even
 * without one. Continuation lines are folded into the previous field with a space (PubMed wraps at 80
 * columns), so several `AB` lines are paragraphs but a wrapped `AB` is one. Stray text between
 * records is skipped, but text before the first tag line means the file is not MEDLINE (a PMID list,
 * Web of Science's ISI format): `FormatError`.
 */
export async function* parseMedline(chunks: AsyncIterable<string>): AsyncGenerator<ParseEvent> {
  let record: TaggedRecord | undefined;
  let hasTags = false;
  for await (const { text, line } of readLines(chunks)) {
    const end = text.charCodeAt(0) === 32 ? -1 : tagEnd(text);
    if (end < 0) {
      const trimmed = text.trim();
      if (trimmed === '') {
        if (record !== undefined) {
          yield recordEvent(record.line, medlineFields(record));
          record = undefined;
        }
      } else if (record !== undefined) {
        record.continueLast(trimmed, ' ');
      } else if (!hasTags) {
        throw new FormatError(notTaggedMessage, line);
      }
      continue;
    }
    hasTags = true;
    const tag = text.slice(0, end);
    if (tag === 'PMID' && record?.hasFields) {
      yield recordEvent(record.line, medlineFields(record));
      record = undefined;
    }
    record ??= new TaggedRecord(line);
    record.add(tag, text.slice(text.indexOf('-', end) + 1).trim());
  }
  if (record !== undefined) {
    yield recordEvent(record.line, medlineFields(record));
  }
}
