import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldsOf, parseText } from '../../../test/support/parsing.js';
import type { ParseEvent } from '../../core/evidence/record.js';
import { parseEndnoteTagged } from './endnote-tagged.js';
import { FormatError } from './format-error.js';

const parse = (text: string, size?: number): Promise<ParseEvent[]> => parseText(parseEndnoteTagged, text, size);

describe('parseEndnoteTagged', () => {
  it('maps the EndNote tags to record fields', async () => {
    const [fields] = fieldsOf(
      await parse(
        [
          '%0 Journal Article',
          '%T A title',
          '%A Smith,Jane',
          '%A Jones, A.',
          '%D 2019',
          '%J Journal of Care',
          '%B Secondary',
          '%V 12',
          '%N 3',
          '%P 10-19',
          '%R https://doi.org/10.1000/ABC',
          '%U https://example.org/a',
          '%K dementia; carers',
          'respite',
          '%X First paragraph.',
          'Second paragraph.',
          '%M 31234567',
          '%~ PubMed',
          '%G eng',
          '%@ 1234-567x',
          '%I A Publisher',
          '%2 PMC7654321',
          '%Z ASReview_irrelevant',
          '',
        ].join('\n'),
      ),
    );
    expect(fields).toEqual({
      title: 'A title',
      authors: ['Smith, Jane', 'Jones, A.'],
      year: 2019,
      journal: 'Journal of Care',
      volume: '12',
      issue: '3',
      pages: '10-19',
      doi: '10.1000/abc',
      url: 'https://example.org/a',
      keywords: ['dementia', 'carers', 'respite'],
      meshTerms: [],
      abstract: 'First paragraph.\nSecond paragraph.',
      pmid: '31234567',
      pmcid: 'PMC7654321',
      sourceDatabase: 'PubMed',
      language: 'eng',
      issn: '1234-567X',
      publisher: 'A Publisher',
      publicationTypes: ['Journal Article'],
      referenceType: 'Journal Article',
      label: false,
    });
  });

  it('reads %M as a PMID only when the record says it came from PubMed or labels it', async () => {
    const pmidOf = async (...lines: string[]) => fieldsOf(await parse(['%0 Journal Article', '%T T', ...lines].join('\n')))[0]?.pmid;
    expect(await pmidOf('%M 104563293', '%~ CINAHL')).toBeUndefined();
    expect(await pmidOf('%M PMID: 123')).toBe('123');
    expect(await pmidOf('%W NLM', '%M 21553931')).toBe('21553931');
  });

  it('splits records at blank lines and at a %0 that follows a typed record, and reports untitled ones', async () => {
    const events = await parse(
      ['%0 Book', '%T One', '%0 Journal Article', '%A No Title', '', '', '%0 Report', '%0 Thesis', '%T Three', '%D 2001', '', '%T Four', '%0 Report'].join('\r\n'),
    );
    expect(events).toEqual([
      { kind: 'record', line: 1, fields: expect.objectContaining({ title: 'One', referenceType: 'Book' }) },
      { kind: 'invalid', line: 3, message: 'record has no title' },
      { kind: 'record', line: 7, fields: expect.objectContaining({ title: 'Three', referenceType: 'Thesis', year: 2001 }) },
      { kind: 'record', line: 12, fields: expect.objectContaining({ title: 'Four', referenceType: 'Report' }) },
    ]);
  });

  it('throws FormatError at the first line that is not a tag when the file does not start with one', async () => {
    const error = await parse('\n\nTY  - JOUR\n%T Not EndNote\n').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({ line: 3 });
    await expect(parse('')).resolves.toEqual([]);
  });

  it('yields the same events whatever the chunk size', async () => {
    const text = '\uFEFF%0 Journal Article\r\n%T Straße\r\n%X One\r\nTwo\r\n\r\n%A Untitled\r\n\r\n%T Last';
    const whole = await parse(text);
    expect(whole.map((event) => event.kind)).toEqual(['record', 'invalid', 'record']);
    for (const size of [1, 3, 7]) {
      expect(await parse(text, size)).toEqual(whole);
    }
  });
});

const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`EndNote tagged fixture tests skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}

describe.skipIf(!hasFixtures)('parseEndnoteTagged on real exports', () => {
  const parseFile = async (file: string, size?: number): Promise<ParseEvent[]> => {
    const text = readFileSync(`${formatsDir}${file}`, 'utf8');
    return parse(text, size ?? Math.max(text.length, 1));
  };

  it.each<[string, number, number]>([
    ['colrev_loader_data/enl_data.enl', 3, 0],
    ['jabref_importer_fileformat/Endnote.book.example.enw', 1, 0],
    // JabRef's EndnoteImporterTest.importEntries0 finds five entries here; four have no %T.
    ['jabref_importer_fileformat/Endnote.entries.enw', 1, 4],
    ['jabref_importer_fileformat/Endnote.pattern.A.enw', 0, 1],
    ['jabref_importer_fileformat/Endnote.pattern.E.enw', 0, 1],
  ])('reads %s as %i records and %i invalid, identically in 7-character chunks', async (file, records, invalid) => {
    const events = await parseFile(file);
    expect(events.filter((event) => event.kind === 'record')).toHaveLength(records);
    expect(events.filter((event) => event.kind === 'invalid')).toHaveLength(invalid);
    expect(await parseFile(file, 7)).toEqual(events);
  });

  it('matches colrev enl_data_expected.bib for enl_data.enl (records start with %T, the journal is in %B)', async () => {
    // Values from colrev_loader_data/enl_data_expected.bib; its `date` (%8) has no field of ours.
    const records = fieldsOf(await parseFile('colrev_loader_data/enl_data.enl'));
    expect(records).toMatchObject([
      {
        authors: ['Guo, Wenbo', 'Straub, Detmar W.', 'Zhang, Pengzhu', 'Cai, Zhao'],
        journal: 'Management Information Systems Quarterly',
        title: 'How Trust Leads to Commitment on Microsourcing Platforms: Unraveling the Effects of Governance and Third-Party Mechanisms on Triadic Microsourcing Relationships',
        year: 2021,
        volume: '45',
        issue: '3',
        pages: '1309-1348',
        url: 'https://aisel.aisnet.org/misq/vol45/iss3/13',
        referenceType: 'Journal Article',
      },
      {
        authors: ['Obal, Lorie'],
        journal: 'Communications of the Association for Information Systems',
        title: 'Microsourcing - Using Information Technology to Create Unexpected Work Relationships and Entrepreneurial Opportunities',
        year: 2009,
        volume: '24',
        issue: '1',
        url: 'https://aisel.aisnet.org/cais/vol24/iss1/11',
      },
      {
        authors: [],
        journal: 'Management Information Systems Quarterly',
        title: 'MISQ Volume 45, Issue 3 Table of Contents',
        year: 2021,
        volume: '45',
        issue: '3',
        pages: 'i-ii',
        url: 'https://aisel.aisnet.org/misq/vol45/iss3/1',
      },
    ]);
    expect(records[0]?.abstract).toMatch(/^IS research has extensively examined the role of trust .*outsourcing—namely, microsourcing.* multiple transacting parties\.$/);
    expect(records[1]?.abstract).toMatch(/^Offshore outsourcing has increased .* \(microsourcing\)—either with company approval or covertly\. .* implementations\.$/);
    expect(records[1]?.pages).toBeUndefined();
  });

  it('matches JabRef EndnoteImporterTest.importEntriesBookExample for Endnote.book.example.enw', async () => {
    // The ISBN in %@ is not an ISSN, so it is not kept as one.
    const [book] = fieldsOf(await parseFile('jabref_importer_fileformat/Endnote.book.example.enw'));
    expect(book).toEqual({
      title: 'Git : dezentrale Versionsverwaltung im Team : Grundlagen und Workflows',
      authors: ['Preißel, René', 'Stachmann, Bjørn'],
      keywords: ['Versionsverwaltung'],
      pages: 'XX, 327',
      publisher: 'dpunkt.verlag',
      url: 'http://d-nb.info/107601965X',
      year: 2016,
      referenceType: 'Book',
      publicationTypes: ['Book'],
      meshTerms: [],
    });
  });

  it('matches JabRef EndnoteImporterTest.importEntries0 for the first entry of Endnote.entries.enw', async () => {
    const events = await parseFile('jabref_importer_fileformat/Endnote.entries.enw');
    expect(events[0]).toMatchObject({ kind: 'record', line: 1, fields: { title: 'testT', authors: ['testA0', 'testA1'] } });
    expect(events.slice(1).map((event) => event.line)).toEqual([7, 23, 25, 28]);
  });

  it('rejects RIS and MEDLINE files with a FormatError on line 1', async () => {
    await expect(parseFile('rispy_tests_data/example_basic.ris')).rejects.toMatchObject({ name: 'FormatError', line: 1 });
    await expect(parseFile('biopython_Tests_Medline/pubmed_result1.txt')).rejects.toMatchObject({ name: 'FormatError', line: 2 });
  });
});
