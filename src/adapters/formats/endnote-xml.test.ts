import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectOutcome, fieldsOf, type ParseOutcome } from '../../../test/support/parsing.js';
import type { RecordFields } from '../../core/evidence/record.js';
import { endnoteXmlFormat, parseEndnoteXml } from './endnote-xml.js';
import { FormatError } from './format-error.js';
import { parseXmlRecords } from './xml-records.js';
import { createSaxesTokenizer } from './xml-saxes.js';
import { inChunks } from './lines.js';

const parse = (text: string, size = Math.max(text.length, 1)): Promise<ParseOutcome> => collectOutcome(parseEndnoteXml(inChunks(text, size)));
const parseWithSaxes = (text: string): Promise<ParseOutcome> => collectOutcome(parseXmlRecords(inChunks(text, Math.max(text.length, 1)), endnoteXmlFormat, createSaxesTokenizer));
const records = (...items: string[]): string => `<?xml version="1.0" encoding="UTF-8"?>\n<xml><records>\n${items.join('\n')}\n</records></xml>\n`;
const styled = (text: string): string => `<style face="normal" font="default" size="100%">${text}</style>`;

describe('parseEndnoteXml', () => {
  it('maps a record, whether values are in style runs or bare', async () => {
    const outcome = await parse(
      records(`<record><rec-number>12</rec-number><ref-type name="Journal Article">17</ref-type>
  <contributors><authors><author>${styled('Smith, Jane')}</author><author>Doe, J.</author></authors>
    <secondary-authors><author>${styled('Editor, E.')}</author></secondary-authors></contributors>
  <titles><title>${styled('Home care for')}${styled(' <i>older</i> people', )}${styled(' &amp; carers')}</title>
    <secondary-title>${styled('Health Soc Care Community')}</secondary-title></titles>
  <periodical><full-title>${styled('Health &amp; Social Care in the Community')}</full-title></periodical>
  <alt-periodical><full-title>${styled('Ignored')}</full-title></alt-periodical>
  <pages>${styled('e12-e19')}</pages><volume>${styled('30')}</volume><number>${styled('2')}</number>
  <dates><year>${styled('2022')}</year><pub-dates><date>${styled('Mar')}</date></pub-dates></dates>
  <electronic-resource-num>${styled('https://doi.org/10.1111/HSC.1')}</electronic-resource-num>
  <urls><related-urls><url>${styled('https://example.org/paper')}</url></related-urls><pdf-urls><url>file:///paper.pdf</url></pdf-urls></urls>
  <keywords><keyword>${styled('Aged, 80 and over')}</keyword><keyword>${styled('home care; carers&#xD;dementia')}</keyword><keyword/></keywords>
  <abstract>${styled('Background text.&#xD;&#xD;Methods   text.')}</abstract>
  <language>${styled('eng')}</language><isbn>${styled('1365-2524 (Electronic)&#xD;0966-0410 (Linking)')}</isbn>
  <publisher>${styled('Wiley')}</publisher><accession-num>${styled('34567')}</accession-num>
  <remote-database-name>${styled('MEDLINE')}</remote-database-name><custom2>${styled('PMC99')}</custom2>
</record>`),
    );
    expect(outcome).toEqual({
      events: [
        {
          kind: 'record',
          line: 3,
          fields: {
            title: 'Home care for older people & carers',
            authors: ['Smith, Jane', 'Doe, J.'],
            journal: 'Health & Social Care in the Community',
            pages: 'e12-e19',
            volume: '30',
            issue: '2',
            year: 2022,
            doi: '10.1111/hsc.1',
            url: 'https://example.org/paper',
            keywords: ['Aged, 80 and over', 'home care', 'carers', 'dementia'],
            abstract: 'Background text.\nMethods text.',
            language: 'eng',
            issn: '1365-2524',
            publisher: 'Wiley',
            pmid: '34567',
            pmcid: 'PMC99',
            sourceDatabase: 'MEDLINE',
            referenceType: 'Journal Article',
            publicationTypes: [],
            meshTerms: [],
          },
        },
      ],
    });
  });

  it('falls back to the secondary title and the date for journal and year, and takes no PMID from other databases', async () => {
    const [fields] = fieldsOf(
      await parse(
        records(`<record><titles><title>T</title><secondary-title>Book of care</secondary-title></titles>
  <dates><pub-dates><date>Spring 2019</date></pub-dates></dates><accession-num>123456</accession-num>
  <remote-database-name>Embase</remote-database-name></record>`),
      ),
    );
    expect(fields).toEqual({ title: 'T', journal: 'Book of care', year: 2019, sourceDatabase: 'Embase', authors: [], publicationTypes: [], keywords: [], meshTerms: [] });
  });

  it('reports a record without a title as invalid at its line and reads on', async () => {
    const outcome = await parse(records(`<record><rec-number>7</rec-number>\n<titles><title>${styled(' ')}</title></titles></record>`, '<record><titles><title>Kept</title></titles></record>'));
    expect(outcome.events).toMatchObject([
      { kind: 'invalid', line: 3, message: 'EndNote record 7 has no title' },
      { kind: 'record', line: 5, fields: { title: 'Kept' } },
    ]);
  });

  it('keeps non-ASCII text and numeric references across 5-character chunks', async () => {
    const text = records(`<record><titles><title>${styled('Soins à domicile &#8211; Zürich &#x6771;&#x4EAC;')}</title></titles></record>`);
    const whole = await parse(text);
    expect(fieldsOf(whole)[0]?.title).toBe('Soins à domicile – Zürich 東京');
    expect(await parse(text, 5)).toEqual(whole);
  });

  it.each([
    ['a record left open', '<xml><records>\n<record><titles>\n</records></xml>', 3],
    ['another XML format', '<PubmedArticleSet>\n</PubmedArticleSet>', 1],
    ['a broken entity', '<xml><records><record>\n<titles><title>A & B</title></titles></record></records></xml>', 2],
  ])('rejects %s with a FormatError naming the line', async (_case, text, line) => {
    const outcome = await parse(text);
    expect(outcome.error).toBeInstanceOf(FormatError);
    expect(outcome.error?.line).toBe(line);
    expect((await parseWithSaxes(text)).error?.line).toBe(line);
  });
});

const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`EndNote XML fixture tests skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}
const jabref = (name: string): string => readFileSync(`${formatsDir}jabref_importer_fileformat/${name}`, 'utf8');

// Values of EndnoteXmlImporterTestArticle.bib, also the expected file of the WithoutUrlStyle variant.
// Its isbn "1532-1827 (Electronic) 0007-0920 (Linking)" holds ISSNs: the first is the record's issn.
// The PMID is not in the .bib: it comes from the PubMed link.
const article: Partial<RecordFields> = {
  abstract: 'test abstract',
  authors: ['Ahmad, AS', 'Ormiston-Smith, N', 'Sasieni, PD'],
  doi: '10.1038/bjc.2014.606',
  issn: '1532-1827',
  journal: 'Br J Cancer',
  keywords: ['Age Factors', 'Aged', 'Aged, 80 and over', 'Female', 'Great Britain/epidemiology', 'Humans', 'Male', 'Middle Aged', 'Models, Statistical', 'Neoplasms/*epidemiology', 'Risk Assessment', 'Risk Factors', 'Sex Characteristics'],
  issue: '5',
  pages: '943-7',
  title: 'Trends in the lifetime risk of developing cancer in Great Britain: comparison of risk for those born from 1930 to 1960',
  url: 'http://www.ncbi.nlm.nih.gov/pubmed/25647015',
  volume: '112',
  year: 2015,
  pmid: '25647015',
  referenceType: 'Journal Article',
};

// Values of EndnoteXmlImporterTestArticle2.bib, also the expected file of the WithoutUrlStyle2 variant
// and the first two entries of EndnoteXmlImporterTestLabelAndMultiTitle.bib (@article, then @book).
const ecology: Partial<RecordFields>[] = [
  {
    authors: ['Chapman, A. G.'],
    issn: '0012-9658',
    journal: 'Ecology',
    language: 'English',
    issue: '1',
    pages: '93-105',
    title: 'An ecological basis for reforestation of submariginal lands in the Central Hardwood Region',
    url: '<Go to ISI>://000200148800007',
    volume: '18',
    year: 1937,
    referenceType: 'Journal Article',
  },
  {
    journal: 'Ecology',
    authors: ['Strohecker, H. F.'],
    issn: '0012-9658',
    language: 'English',
    issue: '1',
    pages: '162-168',
    title: 'A survey of soil temperatures in the Chicago area',
    url: '<Go to ISI>://000200148800014',
    volume: '18',
    year: 1937,
    referenceType: 'Book',
  },
];

describe.skipIf(!hasFixtures)('parseEndnoteXml on real exports', () => {
  const fixtures: [string, Partial<RecordFields>[]][] = [
    ['EndnoteXmlImporterTestArticle.xml', [article]],
    ['EndnoteXmlImporterTest_WithoutUrlStyle.xml', [article]],
    ['EndnoteXmlImporterTestArticle2.xml', ecology],
    ['EndnoteXmlImporterTest_WithoutUrlStyle2.xml', ecology],
    [
      'EndnoteXmlImporterTestLabelAndMultiTitle.xml',
      [
        ...ecology,
        // Third entry of EndnoteXmlImporterTestLabelAndMultiTitle.bib: a title in three style runs.
        {
          authors: ['Ainley, D.G.', 'Ribic, C.A.', 'Wodd, R.C.'],
          journal: 'Journal of Animal Ecology',
          pages: '1-20',
          title: 'A demographic study of the south polar skua Catharacta maccormicki at Cape Crozier',
          volume: '59',
          year: 1990,
        },
      ],
    ],
    [
      'EndnoteXmlImporterTestReport.xml',
      // EndnoteXmlImporterTestReport.bib (@techreport).
      [
        {
          authors: ['Wiggins, D. A.'],
          pages: 'Available: http://www.fs.fed.us/r2/projects/scp/assessments/purplemartin.pdf',
          publisher: 'USDA Forest Service, Rocky Mountain Region',
          title: 'Purple Martin (Progne subis): a technical conservation assessment',
          year: 2005,
          referenceType: 'Report',
        },
      ],
    ],
    [
      'EndnoteXmlImporterTest_EmptyKeywordStyle.xml',
      // EndnoteXmlImporterTest_EmptyKeywordStyle.bib; its one keyword string is split at the semicolons.
      [
        {
          authors: ['Lim, RCH'],
          doi: '10.1089/acu.2018.1295',
          issn: '1933-6586',
          journal: 'Med Acupunct',
          keywords: ['anxiety', 'craving', 'dependency', 'destress', 'health restoration'],
          issue: '3',
          pages: '159-162',
          title: 'Painless Laser Acupuncture for Smoking Cessation.',
          url: 'https://www.ncbi.nlm.nih.gov/pubmed/29937971',
          volume: '30',
          year: 2018,
        },
      ],
    ],
  ];

  it.each(fixtures)('reads %s as its .bib expects', async (name, expected) => {
    const outcome = await parse(jabref(name));
    expect(outcome.error).toBeUndefined();
    expect(outcome.events.every((event) => event.kind === 'record')).toBe(true);
    expect(fieldsOf(outcome)).toHaveLength(expected.length);
    expect(fieldsOf(outcome)).toMatchObject(expected);
  });

  it.each(fixtures)('gives the same events in 5-character chunks and through saxes: %s', async (name) => {
    const text = jabref(name);
    const whole = await parse(text);
    expect(await parse(text, 5)).toEqual(whole);
    expect(await parseWithSaxes(text)).toEqual(whole);
  });

  it('starts each record at the line of its <record> tag', async () => {
    const outcome = await parse(jabref('EndnoteXmlImporterTestLabelAndMultiTitle.xml'));
    expect(outcome.events.map((event) => event.line)).toEqual([4, 89, 174]);
  });
});
