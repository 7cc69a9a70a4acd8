import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldsOf, parseText } from '../../../test/support/parsing.js';
import type { ParseEvent } from '../../core/evidence/record.js';
import { parseCsv } from './csv.js';
import { FormatError } from './format-error.js';

const parse = (text: string, size?: number): Promise<ParseEvent[]> => parseText(parseCsv, text, size);

describe('parseCsv', () => {
  it('maps ASReview column names, case-insensitive with spaces and underscores alike', async () => {
    const [record] = fieldsOf(
      await parse(
        'Primary Title,notes_abstract,Author Names,PY,Secondary_Title,Volume,Number,Start Page,End_Page,DOI,PubMed ID,PMCID,URL,Language,' +
          'Keywords,MeSH Terms,Publication Types,Type of Reference,Source Database,ISSN,Publisher,Final Included,record_id\n' +
          'A trial,"Para one.\nPara two.",Smith J; Doe J,2014//,BMJ Open,4,3,296,302,https://doi.org/10.1136/X,24598765,PMC3948765,' +
          'https://example.org,eng,falls; care homes,"Humans; Models, Theoretical",Journal Article,JOUR,MEDLINE,20446055,BMJ,yes,7\n',
      ),
    );
    expect(record).toEqual({
      title: 'A trial',
      abstract: 'Para one.\nPara two.',
      authors: ['Smith J', 'Doe J'],
      year: 2014,
      journal: 'BMJ Open',
      volume: '4',
      issue: '3',
      pages: '296-302',
      doi: '10.1136/x',
      pmid: '24598765',
      pmcid: 'PMC3948765',
      url: 'https://example.org',
      language: 'eng',
      keywords: ['falls', 'care homes'],
      meshTerms: ['Humans', 'Models, Theoretical'],
      publicationTypes: ['Journal Article'],
      referenceType: 'JOUR',
      sourceDatabase: 'MEDLINE',
      issn: '2044-6055',
      publisher: 'BMJ',
      label: true,
    });
  });

  it.each([
    ['1', true],
    ['0', false],
    ['yes', true],
    ['no', false],
    ['TRUE', true],
    ['false', false],
    ['-1', undefined],
    ['', undefined],
  ])('reads label %j as %s', async (label, expected) => {
    const [record] = fieldsOf(await parse(`title,label_included\nA,${label}\n`));
    expect(record?.label).toBe(expected);
  });

  it.each([
    ['comma', 'title,abstract\n"A, with comma",B\n'],
    ['tab', 'title\tabstract\nA, with comma\tB\n'],
    ['semicolon', '\uFEFFtitle;abstract\r\n"A, with comma";B\r\n'],
    ['tab after blank lines', '\n\ntitle\tabstract\nA, with comma\tB'],
  ])('detects the %s delimiter from the header line', async (_name, text) => {
    expect(fieldsOf(await parse(text))).toEqual([expect.objectContaining({ title: 'A, with comma', abstract: 'B' })]);
  });

  it('gives each record the line it starts on, across quoted line breaks and blank lines, and reports rows without a title', async () => {
    const events = await parse('title,abstract\n"One","multi\r\nline\r\n"\n\n  ,only an abstract\n"Two",x\n,\n');
    expect(events).toEqual([
      { kind: 'record', line: 2, fields: expect.objectContaining({ title: 'One', abstract: 'multi\nline' }) },
      { kind: 'invalid', line: 6, message: 'row has no title' },
      { kind: 'record', line: 7, fields: expect.objectContaining({ title: 'Two' }) },
    ]);
  });

  it('splits ASReview list literals and comma-separated "Family I." author lists', async () => {
    const [literal, initials, single] = fieldsOf(
      await parse('title,authors,keywords\nA,"[\'Marx, Karl\', \'Lindgren, Astrid\']","[\'Pippi\', \'Nordwind\']"\nB,"Liu R., Adler D.G.",x\nC,"Liu, R.",\n'),
    );
    expect(literal).toMatchObject({ authors: ['Marx, Karl', 'Lindgren, Astrid'], keywords: ['Pippi', 'Nordwind'] });
    expect(initials?.authors).toEqual(['Liu, R.', 'Adler, D.G.']);
    expect(single?.authors).toEqual(['Liu, R.']);
  });

  it('rejects a file without a title column, naming it', async () => {
    await expect(parse('abstract,doi\nB,10.1000/x\n')).rejects.toEqual(
      new FormatError('missing column "title" (one of: title, primary_title, article_title, document_title, ti, t1)', 1),
    );
  });

  it('rejects a file whose quotes never close, at the row where it starts', async () => {
    await expect(parse('title\nA\n"B\nC\n')).rejects.toBeInstanceOf(FormatError);
    await expect(parse('title\nA\n\n"B\nC\n')).rejects.toMatchObject({ line: 4 });
    await expect(parse('title\nA\n\n"B\nC\n', 3)).rejects.toMatchObject({ line: 4 });
  });

  it('takes off the quote a spreadsheet-safe export puts before a would-be formula, and no other', async () => {
    const [guarded, other] = fieldsOf(
      await parse(`title,abstract,authors,pages\n"'=HYPERLINK(""http://evil"",""x"")",'-2+3 is five,'@Smith; Jones,'-12\n'Tis the season,' =spaced,"'O'Neill, K",''+1\n`),
    );
    expect(guarded).toMatchObject({ title: '=HYPERLINK("http://evil","x")', abstract: '-2+3 is five', authors: ['@Smith', 'Jones'], pages: '-12' });
    // A leading quote before anything else is the data's own; of two before a trigger, one is.
    expect(other).toMatchObject({ title: "'Tis the season", abstract: '=spaced', authors: ["'O'Neill, K"], pages: "'+1" });
  });

  it('yields nothing for an empty file or a header alone', async () => {
    expect(await parse('')).toEqual([]);
    expect(await parse('title,abstract\n')).toEqual([]);
  });
});

const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`CSV fixture tests skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}

const parseFile = async (file: string, size?: number): Promise<ParseEvent[]> => parse(readFileSync(`${formatsDir}${file}`, 'utf8'), size);

describe.skipIf(!hasFixtures)('parseCsv on real exports', () => {
  // Every table fixture with [records, rows without a title, included, excluded].
  const counts: [string, number, number, number, number][] = [
    ['asreview_tests_demo_data/duplicate_records.csv', 10, 4, 0, 0],
    ['asreview_tests_demo_data/embase.csv', 6, 0, 0, 0],
    ['asreview_tests_demo_data/embase_newpage.csv', 6, 0, 0, 0],
    ['asreview_tests_demo_data/generic.csv', 2, 0, 0, 0],
    ['asreview_tests_demo_data/generic_bad_record_id.csv', 6, 0, 3, 3],
    ['asreview_tests_demo_data/generic_column_names_with_spaces.csv', 2, 0, 0, 0],
    ['asreview_tests_demo_data/generic_labels.csv', 6, 0, 3, 3],
    ['asreview_tests_demo_data/generic_labels_no_abs.csv', 6, 0, 3, 3],
    ['asreview_tests_demo_data/generic_partial_labels.csv', 6, 0, 2, 2],
    ['asreview_tests_demo_data/generic_semicolon.csv', 2, 0, 0, 0],
    ['asreview_tests_demo_data/generic_tab.csv', 2, 0, 0, 0],
    ['asreview_tests_demo_data/generic_tab.tab', 2, 0, 0, 0],
    ['asreview_tests_demo_data/generic_tab.tsv', 2, 0, 0, 0],
    ['asreview_tests_demo_data/missing_values.csv', 2, 2, 0, 0],
    ['asreview_tests_demo_data/record_id.csv', 10, 0, 1, 1],
    ['colrev_loader_data/csv_data.csv', 2, 0, 0, 0],
  ];

  it('covers every table fixture but the one without a title column', () => {
    const files = readdirSync(`${formatsDir}asreview_tests_demo_data`)
      .filter((name) => /\.(csv|tsv|tab)$/.test(name) && name !== 'generic_labels_no_title.csv')
      .map((name) => `asreview_tests_demo_data/${name}`);
    expect(counts.map(([file]) => file).sort()).toEqual([...files, 'colrev_loader_data/csv_data.csv'].sort());
  });

  it.each(counts)('reads %s as %i records, %i without a title, %i included and %i excluded', async (file, records, invalid, included, excluded) => {
    const events = await parseFile(file);
    const fields = fieldsOf(events);
    expect(fields).toHaveLength(records);
    expect(events.filter((event) => event.kind === 'invalid')).toHaveLength(invalid);
    expect(fields.filter((record) => record.label === true)).toHaveLength(included);
    expect(fields.filter((record) => record.label === false)).toHaveLength(excluded);
  });

  it.each(counts.map(([file]) => [file]))('gives the same events for %s fed in 3-character chunks', async (file) => {
    expect(await parseFile(file, 3)).toEqual(await parseFile(file));
  });

  it('rejects generic_labels_no_title.csv on line 1', async () => {
    await expect(parseFile('asreview_tests_demo_data/generic_labels_no_title.csv')).rejects.toMatchObject({ name: 'FormatError', line: 1 });
  });

  it('reads the same two records from the comma, semicolon, tab and spaced-header variants of generic.csv', async () => {
    const variants = ['generic.csv', 'generic_semicolon.csv', 'generic_tab.csv', 'generic_tab.tab', 'generic_tab.tsv', 'generic_column_names_with_spaces.csv'];
    const [expected, ...others] = await Promise.all(variants.map(async (name) => fieldsOf(await parseFile(`asreview_tests_demo_data/${name}`))));
    expect(expected?.[0]).toMatchObject({
      title: 'Title of reference',
      authors: ['Marx, Karl', 'Lindgren, Astrid'],
      year: 2014,
      volume: '9',
      issue: '3',
      pages: 'e0815',
      issn: '1932-6208',
      keywords: ['Pippi', 'Nordwind', 'Piraten'],
      publisher: 'Fun Factory',
      referenceType: 'JOUR',
      url: 'http://example_url.com',
    });
    expect(expected?.[0]?.abstract).toMatch(/^BACKGROUND: Lorem ipsum/);
    expect(expected?.[1]).toMatchObject({ title: 'The title of the reference', authors: ['Marxus, Karlus', 'Lindgren, Astrid'], year: 2006 });
    for (const records of others) {
      expect(records).toEqual(expected);
    }
  });

  it('reads generic_labels.csv labels in file order', async () => {
    expect(fieldsOf(await parseFile('asreview_tests_demo_data/generic_labels.csv')).map((record) => record.label)).toEqual([true, false, true, false, true, false]);
  });

  it('reads Embase’s export: initials authors, the citation in "Source", keywords with parenthesised commas', async () => {
    const events = await parseFile('asreview_tests_demo_data/embase_newpage.csv');
    expect(events.map((event) => event.line)).toEqual([2, 5, 8, 11, 14, 17]);
    const [first, , third] = fieldsOf(events);
    expect(first).toMatchObject({
      title: 'Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound',
      authors: ['Liu, R.', 'Adler, D.G.'],
      journal: 'Endoscopic Ultrasound',
      year: 2014,
      volume: '3',
      issue: '3',
      pages: '152-160',
      sourceDatabase: 'Embase',
    });
    expect(first?.abstract).toMatch(/^TEST\nGastrointestinal tract duplication cysts/);
    expect(first?.keywords).toContain('bronchogenic duplication cyst (diagnosis, surgery)');
    expect(third).toMatchObject({ journal: 'International Journal of Surgery Case Reports', volume: '54', pages: '83-86', year: 2019 });
    expect(third?.issue).toBeUndefined();
  });

  it('reads record_id.csv’s final_included labels and ignores record_id', async () => {
    const [first, second, third] = fieldsOf(await parseFile('asreview_tests_demo_data/record_id.csv'));
    expect(first).toEqual({ title: 'Lorem Ipsum record_id 12 - row 0 (1 label)', abstract: 'Lorem Ipsum', label: true, authors: [], keywords: [], meshTerms: [], publicationTypes: [] });
    expect(second?.label).toBe(false);
    expect(third?.label).toBeUndefined();
  });

  it('reads colrev’s PubMed-style CSV: identifiers and a "Family I" author list', async () => {
    const [first, second] = fieldsOf(await parseFile('colrev_loader_data/csv_data.csv'));
    expect(first).toMatchObject({ title: 'Paper title', authors: ['Smith, A', 'Walter, B'], year: 2021, doi: '10.1111/nature1111', pmid: '11223344', pmcid: 'PMC1122334' });
    // The file has both "journal" (MISQ, then empty) and PubMed's "Journal/Book" (Nature); "journal" comes first.
    expect([first?.journal, second?.journal]).toEqual(['MISQ', 'Nature']);
  });
});
