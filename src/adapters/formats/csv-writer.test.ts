import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBack } from '../../../test/support/parsing.js';
import type { ParseEvent, RecordFields } from '../../core/evidence/record.js';
import { parseCsv } from './csv.js';
import { writeCsv } from './csv-writer.js';
import { fromString } from './lines.js';

const roundTrip = (records: RecordFields[]): Promise<ParseEvent[]> => readBack(parseCsv, writeCsv, records);

/** Every field set, with quotes, delimiters and line breaks that CSV must quote. */
const fullRecord: RecordFields = {
  title: 'Reducing falls in care homes: a "cluster", randomised; trial',
  abstract: 'Background: falls are common, costly.\nMethods: we randomised 84 homes; "blinded".',
  authors: ['Smith, John', 'Müller, Jürgen', 'World Health Organization', 'King, Martin Luther, Jr'],
  year: 2014,
  journal: 'BMJ Open',
  volume: '4',
  issue: '3',
  pages: '296-302',
  doi: '10.1136/bmjopen-2013-004000',
  pmid: '24598765',
  pmcid: 'PMC3948765',
  url: 'https://example.org/article?id=1&x=2,3',
  language: 'eng',
  publicationTypes: ['Journal Article', "Research Support, Non-U.S. Gov't"],
  keywords: ['falls', 'care homes', 'Models, Theoretical'],
  meshTerms: ['Accidental Falls/prevention & control', 'Aged, 80 and over'],
  sourceDatabase: 'MEDLINE',
  issn: '2044-6055',
  publisher: 'BMJ Publishing Group',
  referenceType: 'JOUR',
  label: true,
};

describe('writeCsv', () => {
  it('round-trips a record with every field set through parseCsv', async () => {
    expect(await roundTrip([fullRecord])).toEqual([{ kind: 'record', line: 2, fields: fullRecord }]);
  });

  it('round-trips minimal records, an excluded label and a single keyword holding a comma', async () => {
    const minimal: RecordFields = { title: 'Only a title', authors: [], publicationTypes: [], keywords: [], meshTerms: [] };
    const excluded: RecordFields = { ...minimal, title: 'Excluded', authors: ['Liu, R.'], keywords: ['Models, Theoretical'], label: false };
    const events = await roundTrip([minimal, excluded, fullRecord]);
    expect(events.map((event) => (event.kind === 'record' ? event.fields : event))).toEqual([minimal, excluded, fullRecord]);
    // The abstract's line break makes the full record span two lines.
    expect(events.map((event) => event.line)).toEqual([2, 3, 4]);
  });

  it('writes ASReview column names, "; "-joined lists and label_included as 1, 0 or empty', () => {
    const [header, row] = [...writeCsv([{ ...fullRecord, abstract: undefined, label: false }])];
    expect(header).toBe(
      'title,abstract,authors,year,journal,volume,issue,pages,doi,pmid,pmcid,url,language,keywords,mesh_terms,publication_types,' +
        'type_of_reference,source_database,issn,publisher,label_included\n',
    );
    expect(row).toContain(',"Smith, John; Müller, Jürgen; World Health Organization; King, Martin Luther, Jr",2014,BMJ Open,');
    expect(row).toContain(',"falls; care homes; Models, Theoretical",');
    expect(row?.endsWith(',BMJ Publishing Group,0\n')).toBe(true);
    expect([...writeCsv([{ ...fullRecord, label: undefined }])][1]?.endsWith(',BMJ Publishing Group,\n')).toBe(true);
  });

  it('guards text that a spreadsheet would run as a formula, and reads it back unchanged', async () => {
    const hostile: RecordFields = {
      ...fullRecord,
      title: '=HYPERLINK("http://evil.example","click")',
      abstract: "-2+3\n+cmd|' /C calc'!A0",
      authors: ['@SUM(A1:A9)', 'Smith, John'],
      pages: '-12',
      publisher: "'=already quoted",
      keywords: ['=falls', 'care homes'],
    };
    const [, row] = [...writeCsv([hostile])];
    expect(row?.startsWith(`"'=HYPERLINK(""http://evil.example"",""click"")","'-2+3\n+cmd|' /C calc'!A0","'@SUM(A1:A9); Smith, John",2014,BMJ Open,4,3,'-12,`)).toBe(true);
    expect(row).toContain(`,'=falls; care homes,`);
    expect(row).toContain(`,''=already quoted,1\n`);
    expect(await roundTrip([hostile])).toEqual([{ kind: 'record', line: 2, fields: hostile }]);
  });

  it('guards a cell that starts with a tab or a carriage return, which CSV quotes only for the line break', () => {
    const [, row] = [...writeCsv([{ ...fullRecord, journal: '\tBMJ', volume: '\r=1' }])];
    expect(row).toContain(`,2014,'\tBMJ,"'\r=1",3,`);
  });
});

const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`CSV writer round trips skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}

describe.skipIf(!hasFixtures)('writeCsv with real records', () => {
  it('reads back every record of every table fixture unchanged', async () => {
    const dir = `${formatsDir}asreview_tests_demo_data/`;
    const files = readdirSync(dir)
      .filter((name) => /\.(csv|tsv|tab)$/.test(name) && name !== 'generic_labels_no_title.csv')
      .map((name) => `${dir}${name}`);
    const records: RecordFields[] = [];
    for (const file of [...files, `${formatsDir}colrev_loader_data/csv_data.csv`]) {
      for await (const event of parseCsv(fromString(readFileSync(file, 'utf8')))) {
        records.push(...(event.kind === 'record' ? [event.fields] : []));
      }
    }
    expect(records.length).toBeGreaterThan(50);
    expect((await roundTrip(records)).map((event) => (event.kind === 'record' ? event.fields : event))).toEqual(records);
  });
});
