import type { ParseEvent, RecordFields } from '../../core/evidence/record.js';
import { FormatError } from './format-error.js';
import { readLines } from './lines.js';
import {
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
import { TaggedRecord, asreviewLabel, cleanAuthor, recordEvent, setDefined } from './tagged-record.js';

const notTaggedMessage = 'expected an EndNote tag line (%0, %T, %A …) before any other text: not an EndNote tagged file';

/** A `%X value` line (`%0`, `%A`, `%@`, `%~` …): `%`, one character, then a space or the end of the line. */
const isTagLine = (text: string): boolean =>
  text.charCodeAt(0) === 37 && text.length >= 2 && text.charCodeAt(1) > 32 && (text.length === 2 || text.charCodeAt(2) === 32);

/**
 * `%M` is the accession number: the PMID only when the record says it came from PubMed or MEDLINE
 * (`%~` name of database, `%W` database provider) or labels it; CINAHL and Embase numbers are digits too.
 */
const pmidOf = (record: TaggedRecord): string | undefined => {
  const isPubmed = /medline|pubmed|\bnlm\b/i.test(record.all('~', 'W').join(' '));
  return (
    record.find(['M'], (value) => {
      const labelled = value.match(/^\s*PMID:?\s*(\d{1,9})\s*$/i);
      if (labelled) {
        return normalisePmid(labelled[1]);
      }
      return isPubmed && /^\s*\d{1,9}\s*$/.test(value) ? normalisePmid(value) : undefined;
    }) ?? record.find(['U'], pmidFromUrl)
  );
};

/** Maps the tags of one EndNote record to record fields. */
const endnoteFields = (record: TaggedRecord): RecordFields => {
  const type = cleanText(record.type);
  const fields: RecordFields = {
    title: cleanText(record.first('T', '!')) ?? '',
    authors: [],
    publicationTypes: [],
    keywords: [],
    meshTerms: [],
  };
  for (const author of record.all('A')) {
    pushUnique(fields.authors, cleanAuthor(author));
  }
  // `%9` (type of work) is the finer type; `%0` names are already words ("Journal Article").
  pushUnique(fields.publicationTypes, ...record.all('9'));
  if (fields.publicationTypes.length === 0 && type !== 'Generic') {
    pushUnique(fields.publicationTypes, type);
  }
  for (const value of record.all('K')) {
    pushUnique(fields.keywords, ...value.split(/[\n;]/));
  }
  return setDefined(fields, {
    abstract: cleanParagraphs(record.all('X').join('\n')),
    year: record.find(['D', '8'], parseYear),
    // `%B` is the secondary title: the journal when `%J` is missing (colrev's AIS exports), else the book.
    journal: cleanText(record.first('J', 'B')),
    volume: cleanText(record.first('V')),
    issue: cleanText(record.first('N')),
    pages: cleanText(record.first('P')),
    doi: record.find(['R'], normaliseDoi),
    pmid: pmidOf(record),
    // EndNote's PubMed import keeps the PMCID in Custom 2.
    pmcid: record.find(['2'], (value) => (/^\s*PMC\d+\s*$/i.test(value) ? normalisePmcid(value) : undefined)) ?? record.find(['U'], pmcidFromUrl),
    url: cleanText(record.first('U')),
    language: cleanText(record.first('G')),
    sourceDatabase: cleanText(record.first('~', 'W')),
    issn: record.find(['@'], normaliseIssn),
    publisher: cleanText(record.first('I')),
    referenceType: type,
    label: record.find(['Z'], asreviewLabel),
  });
};

/**
 * Parses EndNote tagged / Refer text (`.enw`, `.enl` exported as text, `.txt`), yielding one event per
 * record in file order. Records are separated by blank lines; a `%0` line also starts a new record when
 * the open one already has a `%0` and other fields (JabRef's test file runs records together). The
 * type may come anywhere in a record: colrev's exports put `%T` first. A line that is not a tag continues
 * the previous field; in `%K` each line is a keyword. Text before the first tag line means the file is
 * not EndNote tagged: `FormatError`.
 */
export async function* parseEndnoteTagged(chunks: AsyncIterable<string>): AsyncGenerator<ParseEvent> {
  let record: TaggedRecord | undefined;
  let hasTags = false;
  for await (const { text, line } of readLines(chunks)) {
    if (!isTagLine(text)) {
      const trimmed = text.trim();
      if (trimmed === '') {
        if (record !== undefined) {
          yield recordEvent(record.line, endnoteFields(record));
          record = undefined;
        }
      } else if (record !== undefined) {
        record.continueLast(trimmed, '\n');
      } else if (!hasTags) {
        throw new FormatError(notTaggedMessage, line);
      }
      continue;
    }
    hasTags = true;
    const tag = text.charAt(1);
    const value = text.slice(2).trim();
    if (tag === '0') {
      if (record?.type !== undefined && record.hasFields) {
        yield recordEvent(record.line, endnoteFields(record));
        record = undefined;
      }
      record ??= new TaggedRecord(line);
      record.setType(value);
    } else {
      record ??= new TaggedRecord(line);
      record.add(tag, value);
    }
  }
  if (record !== undefined) {
    yield recordEvent(record.line, endnoteFields(record));
  }
}
