import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParseEvent, RecordFields } from '../../core/evidence/record.js';
import { parseEndnoteTagged } from './endnote-tagged.js';
import { parseMedline } from './medline.js';
import { parseRis } from './ris.js';
import { risTypeFor } from './ris-types.js';
import { writeRis } from './ris-writer.js';

type Parser = (chunks: AsyncIterable<string>) => AsyncGenerator<ParseEvent>;

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

const recordsFrom = async (parser: Parser, text: string): Promise<RecordFields[]> => {
  const records: RecordFields[] = [];
  for await (const event of parser(once(text))) {
    if (event.kind === 'record') {
      records.push(event.fields);
    }
  }
  return records;
};

const roundTrip = async (records: RecordFields[]): Promise<RecordFields[]> => recordsFrom(parseRis, [...writeRis(records)].join(''));

const complete: RecordFields = {
  title: 'Respite care for carers of people with dementia',
  abstract: 'Background: carers need breaks.\nMethods: a rapid review.\nAU - this paragraph starts like a tag',
  authors: ['Smith, Jane', 'Jones, A. B.', 'Dementia Research Group'],
  year: 2021,
  journal: 'Health & Social Care in the Community',
  volume: '29',
  issue: '6',
  pages: 'e123-e130',
  doi: '10.1111/hsc.13000',
  pmid: '33000001',
  pmcid: 'PMC8000001',
  url: 'https://onlinelibrary.wiley.com/doi/10.1111/hsc.13000',
  language: 'eng',
  publicationTypes: ['Journal Article', 'Systematic Review'],
  keywords: ['respite', 'carers; informal'],
  meshTerms: ['Dementia/therapy', 'Caregivers/psychology', 'Humans'],
  sourceDatabase: 'MEDLINE',
  issn: '0966-0410',
  publisher: 'Wiley',
  referenceType: 'JOUR',
  label: true,
};

describe('writeRis', () => {
  it('writes every field so that parseRis reads the same record back', async () => {
    const excluded: RecordFields = { ...complete, title: 'Second', label: false, pages: 'A1-A5, A7', referenceType: 'CHAP' };
    expect(await roundTrip([complete, excluded])).toEqual([complete, excluded]);
  });

  it('writes the documented conventions, one chunk per record, with CRLF line ends', () => {
    const chunks = [...writeRis([complete])];
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.split('\r\n')).toEqual([
      'TY  - JOUR',
      'TI  - Respite care for carers of people with dementia',
      'AU  - Smith, Jane',
      'AU  - Jones, A. B.',
      'AU  - Dementia Research Group',
      'PY  - 2021',
      'T2  - Health & Social Care in the Community',
      'VL  - 29',
      'IS  - 6',
      'SP  - e123',
      'EP  - e130',
      'AB  - Background: carers need breaks.',
      'AB  - Methods: a rapid review.',
      'AB  - AU - this paragraph starts like a tag',
      'DO  - 10.1111/hsc.13000',
      'U1  - 33000001[pmid]',
      'U2  - PMC8000001[pmcid]',
      'UR  - https://onlinelibrary.wiley.com/doi/10.1111/hsc.13000',
      'LA  - eng',
      'SN  - 0966-0410',
      'PB  - Wiley',
      'DB  - MEDLINE',
      'M3  - Journal Article',
      'M3  - Systematic Review',
      'KW  - respite',
      'KW  - carers; informal',
      'KW  - MeSH: Dementia/therapy',
      'KW  - MeSH: Caregivers/psychology',
      'KW  - MeSH: Humans',
      'N1  - ASReview_relevant',
      'ER  - ',
      '',
      '',
    ]);
  });

  it('writes a minimal record with only the lines it needs, and folds line breaks out of single-line fields', () => {
    const minimal: RecordFields = { title: 'A\ntitle', authors: [], publicationTypes: [], keywords: [], meshTerms: [] };
    expect([...writeRis([minimal])].join('')).toBe('TY  - GEN\r\nTI  - A title\r\nER  - \r\n\r\n');
  });

  it.each<[string | undefined, string[], string]>([
    ['JOUR', [], 'JOUR'],
    ['GEN', ['Article'], 'GEN'],
    ['article', [], 'JOUR'],
    ['inproceedings', [], 'CPAPER'],
    ['Journal Article', [], 'JOUR'],
    ['Book Section', [], 'CHAP'],
    [undefined, ['Journal Article', 'Review'], 'JOUR'],
    [undefined, ['Review'], 'GEN'],
    ['Something else', [], 'GEN'],
  ])('writes reference type %j with publication types %j as TY %s', (referenceType, publicationTypes, code) => {
    expect(risTypeFor(referenceType, publicationTypes)).toBe(code);
  });
});

const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`RIS writer fixture tests skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}

describe.skipIf(!hasFixtures)('writeRis on records read from real exports', () => {
  // Whatever an importer produced comes back unchanged, except that a reference type which is not a RIS
  // code is written as, and so read back as, its RIS code.
  const cases: [string, Parser][] = [
    ['asreview_tests_demo_data/_baseline.ris', parseRis],
    ['asreview_tests_demo_data/baseline_zotero.ris', parseRis],
    ['asreview_tests_demo_data/baseline_tag-notes_labels.ris', parseRis],
    ['asreview_tests_demo_data/embase.ris', parseRis],
    ['asreview_tests_demo_data/ovid_psycinfo.ris', parseRis],
    ['asreview_tests_demo_data/proquest.ris', parseRis],
    ['asreview_tests_demo_data/pubmed_endnote.txt', parseRis],
    ['asreview_tests_demo_data/ris_issue_1099.txt', parseRis],
    ['asreview_tests_demo_data/ris_issue_992.txt', parseRis],
    ['asreview_tests_demo_data/scopus.ris', parseRis],
    ['asreview_tests_demo_data/web_of_science.txt', parseRis],
    ['rispy_tests_data/example_utf_chars.ris', parseRis],
    ['jabref_importer_fileformat/RisImporterTest6.ris', parseRis],
    ['jabref_importer_fileformat/RisImporterTestDOI.ris', parseRis],
    ['colrev_loader_data/ris_data.ris', parseRis],
    ['biopython_Tests_Medline/pubmed_result2.txt', parseMedline],
    ['jabref_importer_fileformat/NbibImporterTest.nbib', parseMedline],
    ['colrev_loader_data/nbib_data.nbib', parseMedline],
    ['colrev_loader_data/enl_data.enl', parseEndnoteTagged],
    ['jabref_importer_fileformat/Endnote.book.example.enw', parseEndnoteTagged],
  ];

  it.each(cases)('round-trips the records of %s', async (file, parser) => {
    const records = await recordsFrom(parser, readFileSync(`${formatsDir}${file}`, 'utf8'));
    expect(records.length).toBeGreaterThan(0);
    const expected = records.map((record) => ({ ...record, referenceType: risTypeFor(record.referenceType, record.publicationTypes) }));
    expect(await roundTrip(records)).toEqual(expected);
  });
});
