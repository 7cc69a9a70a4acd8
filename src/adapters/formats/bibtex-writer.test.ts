import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBack } from '../../../test/support/parsing.js';
import type { ParseEvent, RecordFields } from '../../core/evidence/record.js';
import { parseBibtex } from './bibtex.js';
import { writeBibtex } from './bibtex-writer.js';
import { fromString } from './lines.js';

const roundTrip = (records: RecordFields[]): Promise<ParseEvent[]> => readBack(parseBibtex, writeBibtex, records);

/** Every field set, with the characters that LaTeX and BibTeX treat specially. */
const fullRecord: RecordFields = {
  title: 'Reducing {falls} in care homes -- a 50% & $5 "trial" of A_B ~tilde^ with `` and \'\' and \\n',
  abstract: 'Background: falls are common.\n@article{x, looks like an entry}\nMethods: we randomised 84 homes.',
  authors: ['Smith, John', 'Müller, Jürgen', 'van Beethoven, Ludwig', "O'Brien, Mary Anne and", 'World Health Organization', 'King, Martin Luther, Jr'],
  year: 2014,
  journal: 'BMJ Open',
  volume: '4',
  issue: '3',
  pages: '296-302',
  doi: '10.1136/bmjopen-2013-004000',
  pmid: '24598765',
  pmcid: 'PMC3948765',
  url: 'https://example.org/article?id=1&x=2_3%20~y',
  language: 'eng',
  publicationTypes: ['Journal Article', "Research Support, Non-U.S. Gov't"],
  keywords: ['falls', 'care homes', 'Models, Theoretical'],
  meshTerms: ['Accidental Falls/prevention & control', 'Aged, 80 and over', 'Humans'],
  sourceDatabase: 'MEDLINE',
  issn: '2044-6055',
  publisher: 'BMJ Publishing Group',
  referenceType: 'article',
  label: true,
};

describe('writeBibtex', () => {
  it('round-trips a record with every field set through parseBibtex', async () => {
    expect(await roundTrip([fullRecord])).toEqual([{ kind: 'record', line: 1, fields: fullRecord }]);
  });

  it('round-trips minimal records, an excluded label and a single keyword holding a comma', async () => {
    const minimal: RecordFields = { title: 'Only a title', authors: [], publicationTypes: [], keywords: [], meshTerms: [], referenceType: 'misc' };
    const excluded: RecordFields = { ...minimal, title: 'Excluded', keywords: ['Models, Theoretical'], label: false, referenceType: 'inproceedings', journal: 'Proc. Care' };
    expect((await roundTrip([minimal, excluded])).map((event) => (event.kind === 'record' ? event.fields : event))).toEqual([minimal, excluded]);
  });

  it('writes JabRef-style fields, escaped text and booktitle for conference papers', () => {
    const text = [...writeBibtex([fullRecord, { ...fullRecord, referenceType: 'inproceedings', journal: 'Proc. 10% Conf' }])].join('');
    expect(text).toContain('@article{smith2014reducing,\n  title = {Reducing \\textbraceleft{}falls\\textbraceright{} in care homes -{}- a 50\\% \\& \\$5');
    expect(text).toContain('  author = {Smith, John and Müller, Jürgen and van Beethoven, Ludwig and O\'Brien, Mary Anne {and} and {World Health Organization} and King, Jr, Martin Luther},');
    expect(text).toContain('  pages = {296--302},\n  doi = {10.1136/bmjopen-2013-004000},\n  pmid = {24598765},\n  pmcid = {PMC3948765},');
    expect(text).toContain('  keywords = {falls; care homes; {Models, Theoretical}},');
    expect(text).toContain('  database = {MEDLINE},\n  label_included = {1},');
    expect(text).toContain('@inproceedings{smith2014reducinga,');
    expect(text).toContain('  booktitle = {Proc. 10\\% Conf},');
  });

  it('maps RIS and CSL reference types to BibTeX entry types and keeps keys unique', () => {
    const base: RecordFields = { title: 'The effect of X', authors: ['Łukasz, Ąna'], year: 2020, publicationTypes: [], keywords: [], meshTerms: [] };
    const text = [...writeBibtex([
      { ...base, referenceType: 'JOUR' },
      { ...base, referenceType: 'paper-conference' },
      { ...base, referenceType: 'CHAP' },
      { ...base, referenceType: 'unknown-type' },
      { ...base, title: 'The', authors: [] },
    ])].join('');
    expect(text.match(/^@\w+\{[^,]*,/gm)).toEqual([
      '@article{lukasz2020effect,',
      '@inproceedings{lukasz2020effecta,',
      '@incollection{lukasz2020effectb,',
      '@misc{lukasz2020effectc,',
      '@article{2020,',
    ]);
  });
});

const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`BibTeX writer round trips skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}

describe.skipIf(!hasFixtures)('writeBibtex with real records', () => {
  it('reads back every record of every .bib fixture unchanged', async () => {
    const records: RecordFields[] = [];
    for (const dir of ['jabref_importer_fileformat', 'colrev_loader_data']) {
      for (const name of readdirSync(`${formatsDir}${dir}`).filter((file) => file.endsWith('.bib'))) {
        for await (const event of parseBibtex(fromString(readFileSync(`${formatsDir}${dir}/${name}`, 'utf8')))) {
          records.push(...(event.kind === 'record' ? [event.fields] : []));
        }
      }
    }
    expect(records.length).toBeGreaterThan(50);
    expect((await roundTrip(records)).map((event) => (event.kind === 'record' ? event.fields : event))).toEqual(records);
  });
});
