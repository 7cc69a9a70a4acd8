import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldsOf, parseText } from '../../../test/support/parsing.js';
import type { ParseEvent } from '../../core/evidence/record.js';
import { FormatError } from './format-error.js';
import { parseWos } from './wos.js';

const parse = (text: string, size?: number): Promise<ParseEvent[]> => parseText(parseWos, text, size);

const wos = (...lines: string[]): string => `${lines.join('\n')}\n`;

/** A modern Core Collection export as "Plain text file", "Full Record" (cited references shortened). */
const modernExport = wos(
  'FN Clarivate Analytics Web of Science',
  'VR 1.0',
  'PT J',
  'AU Victor, C',
  '   Mansfield, L',
  '   Kay, T',
  '   Daykin, N',
  'AF Victor, Christina',
  '   Mansfield, Louise',
  '   Kay, Tess',
  '   Daykin, Norma',
  'TI Befriending interventions for loneliness in older adults living in the',
  '   community: a randomised controlled trial',
  'SO JOURNAL OF APPLIED GERONTOLOGY',
  'LA English',
  'DT Article; Early Access',
  'DE loneliness; social isolation; older adults; befriending; randomised',
  '   controlled trial; Alzheimer disease, early onset',
  'ID SOCIAL ISOLATION; HEALTH; MORTALITY; PEOPLE; METAANALYSIS; LONELINESS;',
  '   INTERVENTIONS',
  'AB Loneliness is common in later life and is associated with poor health.',
  '   We randomly assigned 412 community-dwelling adults aged 65 years or',
  '   over to weekly befriending or usual care. Loneliness fell by 4.1 points',
  '   at six months.',
  'C1 [Victor, Christina; Mansfield, Louise] Brunel Univ London, Coll Hlth',
  '   Med & Life Sci, Uxbridge UB8 3PH, Middx, England.',
  '   [Kay, Tess; Daykin, Norma] Univ Tampere, Tampere, Finland.',
  'RP Victor, C (corresponding author), Brunel Univ London, Coll Hlth Med &',
  '   Life Sci, Uxbridge UB8 3PH, Middx, England.',
  'EM christina.victor@example.ac.uk',
  'RI Victor, Christina/A-1234-2010',
  'OI Victor, Christina/0000-0002-1825-0097',
  'CR Cacioppo JT, 2009, J PERS SOC PSYCHOL, V97, P977, DOI 10.1037/a0016076',
  '   Holt-Lunstad J, 2015, PERSPECT PSYCHOL SCI, V10, P227, DOI',
  '   10.1177/1745691614568352',
  'NR 2',
  'TC 14',
  'Z9 15',
  'U1 3',
  'U2 27',
  'PU SAGE PUBLICATIONS INC',
  'PI THOUSAND OAKS',
  'PA 2455 TELLER RD, THOUSAND OAKS, CA 91320 USA',
  'SN 0733-4648',
  'EI 1552-4523',
  'J9 J APPL GERONTOL',
  'JI J. Appl. Gerontol.',
  'PD MAR',
  'PY 2021',
  'VL 40',
  'IS 3',
  'BP 296',
  'EP 305',
  'DI 10.1177/0733464820912345',
  'EA FEB 2020',
  'PG 10',
  'WC Gerontology',
  'WE Social Science Citation Index (SSCI)',
  'SC Geriatrics & Gerontology',
  'GA QB1XY',
  'UT WOS:000615432100007',
  'PM 32156184',
  'DA 2024-03-05',
  'ER',
  '',
  'PT J',
  'AU Okafor, Chidi',
  '   Lindqvist, Anna-Karin',
  'CA Healthy Ageing Study Grp',
  'GP LonelinessNet Consortium',
  'TI Telephone befriending and wellbeing: protocol of a pragmatic trial',
  'SO BMJ OPEN',
  'DT Article',
  'DE Alzheimer disease, early onset',
  'EY 2024',
  'EA JAN 2024',
  'VL 14',
  'IS 1',
  'AR e071234',
  'DI https://doi.org/10.1136/BMJOPEN-2023-071234',
  'PG 9',
  'UT WOS:001145678900012',
  'ER',
  '',
  'EF',
);

describe('parseWos', () => {
  it('maps a modern Core Collection record, with AF over AU and wrapped TI, DE, ID and AB', async () => {
    const events = await parse(modernExport);
    expect(events.map((event) => [event.kind, event.line])).toEqual([
      ['record', 3],
      ['record', 66],
    ]);
    expect(fieldsOf(events)[0]).toEqual({
      title: 'Befriending interventions for loneliness in older adults living in the community: a randomised controlled trial',
      abstract:
        'Loneliness is common in later life and is associated with poor health. We randomly assigned 412 community-dwelling adults aged 65 years or over to weekly befriending or usual care. Loneliness fell by 4.1 points at six months.',
      authors: ['Victor, Christina', 'Mansfield, Louise', 'Kay, Tess', 'Daykin, Norma'],
      year: 2021,
      journal: 'JOURNAL OF APPLIED GERONTOLOGY',
      volume: '40',
      issue: '3',
      pages: '296-305',
      doi: '10.1177/0733464820912345',
      pmid: '32156184',
      language: 'English',
      publicationTypes: ['Article', 'Early Access'],
      keywords: [
        'loneliness',
        'social isolation',
        'older adults',
        'befriending',
        'randomised controlled trial',
        'Alzheimer disease, early onset',
        'SOCIAL ISOLATION',
        'HEALTH',
        'MORTALITY',
        'PEOPLE',
        'METAANALYSIS',
        'LONELINESS',
        'INTERVENTIONS',
      ],
      meshTerms: [],
      sourceDatabase: 'Web of Science',
      issn: '0733-4648',
      publisher: 'SAGE PUBLICATIONS INC',
      referenceType: 'J',
    });
  });

  it('uses AU without AF, adds CA and GP group authors, takes AR for pages and EY for the year of early-access articles', async () => {
    const [, fields] = fieldsOf(await parse(modernExport));
    expect(fields).toEqual({
      title: 'Telephone befriending and wellbeing: protocol of a pragmatic trial',
      authors: ['Okafor, Chidi', 'Lindqvist, Anna-Karin', 'Healthy Ageing Study Grp', 'LonelinessNet Consortium'],
      year: 2024,
      journal: 'BMJ OPEN',
      volume: '14',
      issue: '1',
      pages: 'e071234',
      doi: '10.1136/bmjopen-2023-071234',
      publicationTypes: ['Article'],
      // A single author keyword with a comma stays whole: WoS lists are separated by "; " only.
      keywords: ['Alzheimer disease, early onset'],
      meshTerms: [],
      sourceDatabase: 'Web of Science',
      referenceType: 'J',
    });
  });

  it('reads ISI exports of MEDLINE records: authors on one AU line, PS pages, the PMID from UT', async () => {
    const [fields] = fieldsOf(
      await parse(
        wos(
          'FN ISI Export Format',
          'VR 1.0',
          'PT J',
          'TI Estrogen therapy and prefrontal cognition.',
          'AU Joffe, Hadine; Hall, Janet E; Gruber,Staci',
          'SO Menopause',
          'PS 411-22',
          'PD 2006 May-Jun',
          'UT MEDLINE:16735938',
          'ER',
        ),
      ),
    );
    expect(fields).toEqual({
      title: 'Estrogen therapy and prefrontal cognition.',
      authors: ['Joffe, Hadine', 'Hall, Janet E', 'Gruber, Staci'],
      year: 2006,
      journal: 'Menopause',
      pages: '411-22',
      pmid: '16735938',
      sourceDatabase: 'MEDLINE',
      publicationTypes: [],
      keywords: [],
      meshTerms: [],
      referenceType: 'J',
    });
  });

  it('prefers PM to the MEDLINE accession, SN to EI, and names other databases by their UT prefix', async () => {
    const fields = fieldsOf(
      await parse(
        wos(
          'PT J',
          'TI One',
          'PM 123',
          'UT MEDLINE:456',
          'EI 1552-4523',
          'ER',
          'PT J',
          'TI Two',
          'UT BCI:BCI200600012345',
          'JI J. Appl. Gerontol.',
          'J9 J APPL GERONTOL',
          'BP 17',
          'ER',
          'PT B',
          'TI Three',
          'UT 000238592600006',
          'BF Smith, Jane',
          'BA Smith, J',
          'ER',
        ),
      ),
    );
    expect(fields.map((record) => [record.pmid, record.issn, record.sourceDatabase])).toEqual([
      ['123', '1552-4523', 'MEDLINE'],
      [undefined, undefined, 'BIOSIS Citation Index'],
      [undefined, undefined, 'Web of Science'],
    ]);
    expect(fields[1]).toMatchObject({ journal: 'J. Appl. Gerontol.', pages: '17' });
    expect(fields[2]).toMatchObject({ authors: ['Smith, Jane'], referenceType: 'B' });
  });

  it('splits records at ER, blank lines and PT lines, skips stray text between them, and reports untitled records', async () => {
    const events = await parse(
      wos(
        'FN Clarivate Analytics Web of Science',
        'VR 1.0',
        'PT J',
        'TI One',
        'PT J',
        'TI Two',
        '',
        'This line is not part of any record.',
        'PT J',
        'AU Smith, J',
        'SO NO TITLE',
        'ER',
        '   stray continuation',
        'PT J',
        'TI Four',
        'EF',
        'PT J',
        'TI Five, after EF and without ER',
      ),
    );
    expect(events).toEqual([
      { kind: 'record', line: 3, fields: expect.objectContaining({ title: 'One' }) },
      { kind: 'record', line: 5, fields: expect.objectContaining({ title: 'Two' }) },
      { kind: 'invalid', line: 9, message: 'record has no title' },
      { kind: 'record', line: 14, fields: expect.objectContaining({ title: 'Four' }) },
      { kind: 'record', line: 17, fields: expect.objectContaining({ title: 'Five, after EF and without ER' }) },
    ]);
  });

  it('throws FormatError at the first line of text before any tag, including RIS and MEDLINE lines', async () => {
    const error = await parse('\nSaved records from Web of Science\nFN Clarivate Analytics Web of Science\n').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({ line: 2 });
    await expect(parse('TY  - JOUR\nTI  - A\nER  - \n')).rejects.toMatchObject({ name: 'FormatError', line: 1 });
    await expect(parse('PMID- 1\nTI  - A\n')).rejects.toMatchObject({ name: 'FormatError', line: 1 });
    await expect(parse('%0 Journal Article\n%T A\n')).rejects.toMatchObject({ name: 'FormatError', line: 1 });
    await expect(parse('')).resolves.toEqual([]);
  });

  it('yields the same events whatever the chunk size, with CRLF line endings and a BOM', async () => {
    const text = `\uFEFF${modernExport.replace(/\n/g, '\r\n')}PT J\r\nAU Untitled, A\r\nER\r\n`;
    const whole = await parse(text);
    expect(whole.map((event) => [event.kind, event.line])).toEqual([
      ['record', 3],
      ['record', 66],
      ['invalid', 86],
    ]);
    expect(whole.slice(0, 2)).toEqual(await parse(modernExport));
    for (const size of [1, 2, 3, 7]) {
      expect(await parse(text, size)).toEqual(whole);
    }
  });
});

const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`Web of Science fixture tests skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}

describe.skipIf(!hasFixtures)('parseWos on real exports', () => {
  const parseFile = async (file: string, size?: number): Promise<ParseEvent[]> => {
    const text = readFileSync(`${formatsDir}${file}`, 'utf8');
    return parse(text, size ?? Math.max(text.length, 1));
  };

  it.each<[string, number]>([
    ['jabref_importer_fileformat/IsiImporterTestMedline.isi', 2],
    // rispy's Web of Science sample, named .ris though it is this format.
    ['rispy_tests_data/example_wos.ris', 2],
  ])('reads %s as %i records, identically in 7-character chunks', async (file, records) => {
    const events = await parseFile(file);
    expect(events.filter((event) => event.kind === 'record')).toHaveLength(records);
    expect(events.filter((event) => event.kind === 'invalid')).toHaveLength(0);
    expect(await parseFile(file, 7)).toEqual(events);
  });

  it('matches JabRef IsiImporterTest.testImportEntriesMedline for IsiImporterTestMedline.isi', async () => {
    // JabRef adds full stops to initials ("Hall, Janet E.") and writes pages with "--"; we keep them as given.
    const events = await parseFile('jabref_importer_fileformat/IsiImporterTestMedline.isi');
    expect(events.map((event) => event.line)).toEqual([3, 15]);
    expect(fieldsOf(events)).toEqual([
      {
        title: 'Effects of modafinil on cognitive performance and alertness during sleep deprivation.',
        authors: ['Wesensten, Nancy J'],
        journal: 'Curr Pharm Des',
        year: 2006,
        volume: '12',
        issue: '20',
        pages: '2457-71',
        pmid: '16842170',
        sourceDatabase: 'MEDLINE',
        referenceType: 'J',
        publicationTypes: [],
        keywords: [],
        meshTerms: [],
      },
      {
        title:
          'Estrogen therapy selectively enhances prefrontal cognitive processes: a randomized, double-blind, placebo-controlled study with functional magnetic resonance imaging in perimenopausal and recently postmenopausal women.',
        authors: ['Joffe, Hadine', 'Hall, Janet E', 'Gruber, Staci', 'Sarmiento, Ingrid A', 'Cohen, Lee S', 'Yurgelun-Todd, Deborah', 'Martin, Kathryn A'],
        journal: 'Menopause',
        year: 2006,
        volume: '13',
        issue: '3',
        pages: '411-22',
        pmid: '16735938',
        sourceDatabase: 'MEDLINE',
        referenceType: 'J',
        publicationTypes: [],
        keywords: [],
        meshTerms: [],
      },
    ]);
  });

  it("reads rispy's example_wos.ris: AF authors over four lines, a title wrapped over two, Keywords Plus wrapped over four", async () => {
    const [first, second] = fieldsOf(await parseFile('rispy_tests_data/example_wos.ris'));
    expect(first).toMatchObject({
      title: 'Interactions stabilizing the structure of the core light-harvesting complex (LHl) of photosynthetic bacteria and its subunit (B820)',
      authors: ['Parkes-Loach, PS', 'Majeed, AP', 'Law, CJ', 'Loach, PA'],
      journal: 'BIOCHEMISTRY',
      language: 'English',
      publicationTypes: ['Article'],
      year: 2004,
      volume: '43',
      issue: '22',
      pages: '7003-7016',
      doi: '10.1021/bi049798f',
      pmid: '15170338',
      issn: '0006-2960',
      publisher: 'AMER CHEMICAL SOC',
      // The file is anonymised to a bare `UT WOS`.
      sourceDatabase: 'Web of Science',
      referenceType: 'J',
    });
    expect(first?.keywords).toEqual([
      'CHEMICALLY SYNTHESIZED POLYPEPTIDES',
      'IN-VITRO RECONSTITUTION',
      'AMINO-ACID-SEQUENCE',
      'RHODOSPIRILLUM-RUBRUM',
      'RHODOBACTER-SPHAEROIDES',
      'RHODOPSEUDOMONAS-VIRIDIS',
      'BACTERIOCHLOROPHYLL-A',
      'ALPHA-POLYPEPTIDE',
      'CRYSTAL-STRUCTURE',
      'ANTENNA COMPLEX',
    ]);
    expect(first?.abstract).toMatch(/^Reconstitution experiments with a chemically synthesized core light-harvesting \(LH1\) beta-polypeptide/);
    expect(second).toMatchObject({ title: 'Proximal and distal influences on ligand binding kinetics in microperoxidase and heme model compounds', pages: '7017-7027', pmid: '15170339' });
  });

  it('rejects RIS and MEDLINE files with a FormatError on their first line of text', async () => {
    await expect(parseFile('rispy_tests_data/example_basic.ris')).rejects.toMatchObject({ name: 'FormatError', line: 1 });
    await expect(parseFile('biopython_Tests_Medline/pubmed_result1.txt')).rejects.toMatchObject({ name: 'FormatError', line: 2 });
  });
});
