import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectEvents, readBack } from '../../../test/support/parsing.js';
import type { RecordFields } from '../../core/evidence/record.js';
import { parseBibtex } from './bibtex.js';
import { parseCslJson } from './csl-json.js';
import { writeCslJson } from './csl-json-writer.js';
import { parseCsv } from './csv.js';
import { fromString, inChunks } from './lines.js';

const roundTrip = async (records: RecordFields[]): Promise<RecordFields[]> =>
  (await readBack(parseCslJson, writeCslJson, records)).map((event) => {
    if (event.kind !== 'record') {
      throw new Error(event.message);
    }
    return event.fields;
  });

/** Every field set, with characters JSON must escape. */
const fullRecord: RecordFields = {
  title: 'Reducing falls in care homes: a "cluster" trial \\ [1] {2}',
  abstract: 'Background: falls are common.\nMethods: we randomised 84 homes.',
  authors: ['Smith, John', 'van Beethoven, Ludwig', 'World Health Organization', 'King, Martin Luther, Jr'],
  year: 2014,
  journal: 'BMJ Open',
  volume: '4',
  issue: '3',
  pages: '296-302',
  doi: '10.1136/bmjopen-2013-004000',
  pmid: '24598765',
  pmcid: 'PMC3948765',
  url: 'https://example.org/article?id=1',
  language: 'eng',
  publicationTypes: ['Journal Article', "Research Support, Non-U.S. Gov't"],
  keywords: ['falls', 'care homes', 'Models, Theoretical'],
  meshTerms: ['Accidental Falls/prevention & control', 'Aged, 80 and over'],
  sourceDatabase: 'MEDLINE',
  issn: '2044-6055',
  publisher: 'BMJ Publishing Group',
  referenceType: 'article-journal',
  label: true,
};

describe('writeCslJson', () => {
  it('round-trips a record with every field set through parseCslJson', async () => {
    expect(await roundTrip([fullRecord])).toEqual([fullRecord]);
  });

  it('round-trips minimal records, an excluded label, and lists that keyword and genre cannot carry alone', async () => {
    const minimal: RecordFields = { title: 'Only a title', authors: [], publicationTypes: [], keywords: [], meshTerms: [], referenceType: 'book' };
    const excluded: RecordFields = { ...minimal, keywords: ['Models, Theoretical'], publicationTypes: ['book'], label: false, referenceType: 'report' };
    const semicolon: RecordFields = { ...minimal, keywords: ['a; b', 'c'], publicationTypes: ['x; y'] };
    expect(await roundTrip([minimal, excluded, semicolon])).toEqual([minimal, excluded, semicolon]);
  });

  it('writes an array with one item per line, standard variables and a custom object', () => {
    const text = [...writeCslJson([fullRecord, { ...fullRecord, referenceType: 'JOUR', label: undefined, meshTerms: [] }])].join('');
    const lines = text.split('\n');
    expect(lines[0]).toBe('[');
    expect(lines.slice(-3)).toEqual([expect.stringMatching(/^\{"id":"smith2014reducinga","type":"article-journal",/), ']', '']);
    const [item, second] = JSON.parse(text) as Record<string, unknown>[];
    expect(item).toMatchObject({
      id: 'smith2014reducing',
      author: [{ family: 'Smith', given: 'John' }, { family: 'van Beethoven', given: 'Ludwig' }, { literal: 'World Health Organization' }, { family: 'King', given: 'Martin Luther', suffix: 'Jr' }],
      issued: { 'date-parts': [[2014]] },
      'container-title': 'BMJ Open',
      page: '296-302',
      keyword: 'falls; care homes; Models, Theoretical',
      genre: "Journal Article; Research Support, Non-U.S. Gov't",
      source: 'MEDLINE',
      custom: { mesh: ['Accidental Falls/prevention & control', 'Aged, 80 and over'], label: true },
    });
    expect(second).not.toHaveProperty('custom');
    expect([...writeCslJson([])].join('')).toBe('[]\n');
  });
});

const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`CSL-JSON fixture round trips skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}

// There are no CSL-JSON fixtures, so real records come from the BibTeX and CSV exports.
describe.skipIf(!hasFixtures)('writeCslJson with real records', () => {
  const realRecords = async (): Promise<RecordFields[]> => {
    const records: RecordFields[] = [];
    const dir = `${formatsDir}jabref_importer_fileformat/`;
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.bib'))) {
      for (const event of await collectEvents(parseBibtex(fromString(readFileSync(`${dir}${name}`, 'utf8'))))) {
        records.push(...(event.kind === 'record' ? [event.fields] : []));
      }
    }
    for (const event of await collectEvents(parseCsv(fromString(readFileSync(`${formatsDir}asreview_tests_demo_data/embase.csv`, 'utf8'))))) {
      records.push(...(event.kind === 'record' ? [{ ...event.fields, referenceType: 'article-journal' }] : []));
    }
    // CSL has no BibTeX types; give each record the CSL type the writer would choose, to compare like with like.
    return records.map((record) => (record.referenceType?.includes('-') ? record : { ...record, referenceType: 'article-journal' }));
  };

  it('reads back every record it writes, also when fed in 3-character chunks', async () => {
    const records = await realRecords();
    expect(records.length).toBeGreaterThan(50);
    const text = [...writeCslJson(records)].join('');
    const whole = await collectEvents(parseCslJson(fromString(text)));
    expect(whole.map((event) => (event.kind === 'record' ? event.fields : event))).toEqual(records);
    expect(await collectEvents(parseCslJson(inChunks(text, 3)))).toEqual(whole);
  });
});
