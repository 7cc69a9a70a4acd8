import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldsOf, parseText } from '../../../test/support/parsing.js';
import type { ParseEvent, RecordFields } from '../../core/evidence/record.js';
import { parseBibtex } from './bibtex.js';
import { FormatError } from './format-error.js';

const parse = (text: string, size?: number): Promise<ParseEvent[]> => parseText(parseBibtex, text, size);

const onlyRecord = async (text: string): Promise<RecordFields> => {
  const [record, ...rest] = fieldsOf(await parse(text));
  expect(rest).toEqual([]);
  if (!record) {
    throw new Error('no record');
  }
  return record;
};

describe('parseBibtex', () => {
  it('maps the standard fields, JabRef identifiers and the entry type', async () => {
    const record = await onlyRecord(`@Article{smith2014,
      author = {Smith, John and Jane Doe and {World Health Organization}},
      title = {Reducing {Falls} in Care Homes},
      journal = {BMJ Open}, year = 2014, volume = {4}, number = {3}, pages = {296--302},
      doi = {https://doi.org/10.1136/BMJOPEN-2013-004000}, pmid = {24598765}, pmcid = {PMC3948765},
      url = {https://example.org/a}, language = {English}, keywords = {falls, care homes},
      mesh = {Accidental Falls; Models, Theoretical}, issn = {20446055}, publisher = {BMJ},
      database = {MEDLINE}, pubtype = {Journal Article}, label_included = {0},
      abstract = {First paragraph
        still first.

        Second paragraph.},
    }`);
    expect(record).toEqual({
      title: 'Reducing Falls in Care Homes',
      authors: ['Smith, John', 'Doe, Jane', 'World Health Organization'],
      journal: 'BMJ Open',
      year: 2014,
      volume: '4',
      issue: '3',
      pages: '296-302',
      doi: '10.1136/bmjopen-2013-004000',
      pmid: '24598765',
      pmcid: 'PMC3948765',
      url: 'https://example.org/a',
      language: 'English',
      keywords: ['falls', 'care homes'],
      meshTerms: ['Accidental Falls', 'Models, Theoretical'],
      issn: '2044-6055',
      publisher: 'BMJ',
      sourceDatabase: 'MEDLINE',
      publicationTypes: ['Journal Article'],
      label: false,
      abstract: 'First paragraph still first.\nSecond paragraph.',
      referenceType: 'article',
    });
  });

  it('resolves @string macros, # concatenation, month macros and quoted values', async () => {
    const record = await onlyRecord(`@String{jomch = "J. Organomet. Chem."}
      @string(pre = {Effects of })
      @article{a, title = pre # "immobilization {"}on{"} carbenes", journal = jomch, month = sep, date = {2006-09}, journaltitle = {unused}}`);
    expect(record).toMatchObject({ title: 'Effects of immobilization "on" carbenes', journal: 'J. Organomet. Chem.', year: 2006 });
  });

  it('reads names in all three BibTeX forms, with von parts, suffixes, initials and group names', async () => {
    const record = await onlyRecord(`@article{k, title = {T}, author = {Ludwig van Beethoven and King, Jr, Martin Luther and
      Articlewriter, Laura, III and Smith JA and National Collaborating Centre for Chronic Conditions (UK) and
      {Barnes and Noble} and Cocke and Aks{\\i}n, {\\"O}zge and others}}`);
    expect(record.authors).toEqual([
      'van Beethoven, Ludwig',
      'King, Martin Luther, Jr',
      'Articlewriter, Laura, III',
      'Smith, JA',
      'National Collaborating Centre for Chronic Conditions (UK)',
      'Barnes and Noble',
      'Cocke',
      'Aksın, Özge',
    ]);
  });

  it('takes the PMID from eprint with eprinttype pubmed, and identifiers from PubMed and doi.org links', async () => {
    expect(await onlyRecord('@online{a, title = {T}, eprint = {123}, eprinttype = {pubmed}}')).toMatchObject({ pmid: '123', referenceType: 'online' });
    expect(await onlyRecord('@misc{a, title = {T}, url = {https://pubmed.ncbi.nlm.nih.gov/456/}}')).toMatchObject({ pmid: '456' });
    expect(await onlyRecord('@misc{a, title = {T}, url = {https://doi.org/10.1000/XYZ}}')).toMatchObject({ doi: '10.1000/xyz' });
  });

  it('finds entries anywhere, skips @comment, @preamble and @set, and ignores text between entries', async () => {
    const events = await parse(`Some notes with an address: someone@example.org
      @comment{jabref-meta: databaseType:bibtex;}
      @preamble{"\\newcommand{\\noop}[1]{}"}
      @set{s, entryset = {a,b}}
      @book {first, title = {One}}@article{ second , title = {Two}} @misc(third, title = "Three (3)")`);
    expect(events.map((event) => (event.kind === 'record' ? event.fields.title : event.message))).toEqual(['One', 'Two', 'Three (3)']);
    expect(events.map((event) => event.line)).toEqual([5, 5, 5]);
  });

  it('reports an entry with unbalanced braces and resumes at the next entry', async () => {
    const events = await parse(`@article{bad,
  title = {Missing a brace,
  year = {2020},
}

@article{good, title = {Fine}}
@article{worse, title = {Never closed}`);
    expect(events).toEqual([
      { kind: 'invalid', line: 1, message: '@article entry "bad" is not closed (unbalanced braces)' },
      { kind: 'record', line: 6, fields: expect.objectContaining({ title: 'Fine' }) },
      { kind: 'invalid', line: 7, message: '@article entry "worse" is not closed (unbalanced braces)' },
    ]);
  });

  it('reports entries without a title and field syntax errors as invalid, with their line', async () => {
    const events = await parse('\n@proceedings{ICRC2015, booktitle = {Proc.}}\n@article{x, title = {A} year = {2020}}\n@article{y, title = {B}}');
    expect(events).toEqual([
      { kind: 'invalid', line: 2, message: 'entry "ICRC2015" has no title' },
      { kind: 'invalid', line: 3, message: 'expected "," after field "title"' },
      { kind: 'record', line: 4, fields: expect.objectContaining({ title: 'B' }) },
    ]);
  });

  it('rejects a non-empty file with no entries, but not an empty or comment-only one', async () => {
    await expect(parse('TY  - JOUR\nTI  - Not BibTeX\nER  - \n')).rejects.toEqual(new FormatError('no BibTeX entries found (expected "@type{key, …}")', 1));
    expect(await parse('')).toEqual([]);
    expect(await parse('% Encoding: UTF-8\n\n')).toEqual([]);
  });
});

const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`BibTeX fixture tests skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}

const parseFile = async (file: string, size?: number): Promise<ParseEvent[]> => {
  const text = readFileSync(`${formatsDir}${file}`, 'utf8');
  return parse(text, size);
};

describe.skipIf(!hasFixtures)('parseBibtex on real exports', () => {
  // Every .bib fixture with [records, invalid entries]. Most JabRef files are the expected output of
  // its RIS/XML/MEDLINE importers; the invalid entries are ones without a title.
  const counts: [string, number, number][] = [
    ['jabref_importer_fileformat/BibtexImporter.examples.bib', 2, 0],
    ['jabref_importer_fileformat/EndnoteXmlImporterTestArticle.bib', 1, 0],
    ['jabref_importer_fileformat/EndnoteXmlImporterTestArticle2.bib', 2, 0],
    ['jabref_importer_fileformat/EndnoteXmlImporterTestLabelAndMultiTitle.bib', 3, 0],
    ['jabref_importer_fileformat/EndnoteXmlImporterTestReport.bib', 1, 0],
    ['jabref_importer_fileformat/EndnoteXmlImporterTest_EmptyKeywordStyle.bib', 1, 0],
    ['jabref_importer_fileformat/EndnoteXmlImporterTest_WithoutUrlStyle.bib', 1, 0],
    ['jabref_importer_fileformat/EndnoteXmlImporterTest_WithoutUrlStyle2.bib', 2, 0],
    ['jabref_importer_fileformat/MedlineImporterTestArticleID.bib', 1, 0],
    ['jabref_importer_fileformat/MedlineImporterTestArticleItalics.bib', 1, 0],
    ['jabref_importer_fileformat/MedlineImporterTestArticleNoISSN.bib', 1, 0],
    ['jabref_importer_fileformat/MedlineImporterTestBookArticleSet.bib', 1, 1],
    ['jabref_importer_fileformat/MedlineImporterTestKeywordSingleEntry.bib', 1, 0],
    ['jabref_importer_fileformat/MedlineImporterTestMathML.bib', 1, 0],
    ['jabref_importer_fileformat/MedlineImporterTestMeshHeadingList.bib', 1, 0],
    ['jabref_importer_fileformat/MedlineImporterTestMinimalEntry.bib', 0, 0],
    ['jabref_importer_fileformat/MedlineImporterTestNbib.bib', 2, 0],
    ['jabref_importer_fileformat/MedlineImporterTestPubmedBook.bib', 1, 0],
    ['jabref_importer_fileformat/MedlinePlainImporterStringOutOfBounds.bib', 2, 0],
    ['jabref_importer_fileformat/MedlinePlainImporterTestCompleteEntry.bib', 1, 0],
    ['jabref_importer_fileformat/MedlinePlainImporterTestDOI.bib', 0, 1],
    ['jabref_importer_fileformat/MedlinePlainImporterTestInproceeding.bib', 0, 1],
    ['jabref_importer_fileformat/MedlinePlainImporterTestMultiAbstract.bib', 0, 1],
    ['jabref_importer_fileformat/MedlinePlainImporterTestMultiTitle.bib', 1, 0],
    ['jabref_importer_fileformat/NbibImporterTest.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest1.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest3.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest4a.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest4b.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest4c.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest5a.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest5b.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest6.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest7.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest8_date.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest9.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTestDOI.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTestDate1.1.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTestDate1.2.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTestDoiAndJournalTitle.bib', 0, 1],
    ['jabref_importer_fileformat/RisImporterTestScience.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTestScopus.bib', 1, 0],
    ['jabref_importer_fileformat/RisImporterTestWithEmptyER.bib', 1, 0],
    ['colrev_loader_data/bib_data.bib', 5, 1],
    ['colrev_loader_data/enl_data_expected.bib', 3, 0],
  ];

  it('covers every .bib fixture', () => {
    const files = ['jabref_importer_fileformat', 'colrev_loader_data'].flatMap((dir) =>
      readdirSync(`${formatsDir}${dir}`)
        .filter((name) => name.endsWith('.bib'))
        .map((name) => `${dir}/${name}`),
    );
    expect(counts.map(([file]) => file).sort()).toEqual(files.sort());
  });

  it.each(counts)('reads %s as %i records and %i invalid entries', async (file, records, invalid) => {
    const events = await parseFile(file);
    expect(events.filter((event) => event.kind === 'record')).toHaveLength(records);
    expect(events.filter((event) => event.kind === 'invalid')).toHaveLength(invalid);
  });

  it.each(counts.map(([file]) => [file]))('gives the same events for %s fed in 3-character chunks', async (file) => {
    expect(await parseFile(file, 3)).toEqual(await parseFile(file));
  });

  it('decodes JabRef’s BibTeX examples: @book with a space, LaTeX names, bare numbers and an undefined macro', async () => {
    const [book, article] = fieldsOf(await parseFile('jabref_importer_fileformat/BibtexImporter.examples.bib'));
    expect(book).toMatchObject({ title: 'Git: dezentrale Versionsverwaltung im Team : Grundlagen und Workflows', authors: ['Preißel, René'], year: 2016, referenceType: 'book' });
    expect(article).toMatchObject({
      title: 'Effect of immobilization on catalytic characteristics of saturated Pd-N-heterocyclic carbenes in Mizoroki-Heck reactions',
      authors: ['Aksın, Özge', 'Türkmen, Hayati', 'Artok, Levent', 'Çetinkaya, Bekir', 'Ni, Chaoying', 'Büyükgüngör, Orhan', 'Özkal, Erhan'],
      // `jomch` is never defined by an @string; its name is kept rather than silently dropped.
      journal: 'jomch',
      year: 2006,
      volume: '691',
      issue: '13',
      pages: '3027-3036',
    });
  });

  it('reads colrev’s enl_data_expected.bib with the values it holds', async () => {
    const records = fieldsOf(await parseFile('colrev_loader_data/enl_data_expected.bib'));
    expect(records.map(({ title, authors, year, journal, volume, issue, pages, url }) => ({ title, authors, year, journal, volume, issue, pages, url }))).toEqual([
      {
        title: 'How Trust Leads to Commitment on Microsourcing Platforms: Unraveling the Effects of Governance and Third-Party Mechanisms on Triadic Microsourcing Relationships',
        authors: ['Guo, Wenbo', 'Straub, Detmar W.', 'Zhang, Pengzhu', 'Cai, Zhao'],
        year: 2021,
        journal: 'Management Information Systems Quarterly',
        volume: '45',
        issue: '3',
        pages: '1309-1348',
        url: 'https://aisel.aisnet.org/misq/vol45/iss3/13',
      },
      {
        title: 'Microsourcing - Using Information Technology to Create Unexpected Work Relationships and Entrepreneurial Opportunities',
        authors: ['Obal, Lorie'],
        year: 2009,
        journal: 'Communications of the Association for Information Systems',
        volume: '24',
        issue: '1',
        pages: undefined,
        url: 'https://aisel.aisnet.org/cais/vol24/iss1/11',
      },
      {
        title: 'MISQ Volume 45, Issue 3 Table of Contents',
        authors: [],
        year: 2021,
        journal: 'Management Information Systems Quarterly',
        volume: '45',
        issue: '3',
        pages: 'i-ii',
        url: 'https://aisel.aisnet.org/misq/vol45/iss3/1',
      },
    ]);
    expect(records[0]?.abstract).toMatch(/^IS research has extensively examined .* multiple transacting parties\.$/);
    expect(records[1]?.abstract).toContain('outsourcing has increased to the point where it is now part of the mainstream consciousness. The same tools');
  });

  it('reads colrev’s bib_data.bib: a "Family, Given, Jr" name, an odd "key words" field and a proceedings entry without a title', async () => {
    const events = await parseFile('colrev_loader_data/bib_data.bib');
    const [first, second, mouse, , wos] = fieldsOf(events);
    expect(first).toMatchObject({ authors: ['Articlewriter, Laura, III'], doi: '10.3333/xyz.v4444.04', pages: '99-123', abstract: 'This is a nice abstract.', keywords: ['Dummy', 'Template', 'Void', 'Example'], issn: '0765-4321', language: 'German' });
    expect(second).toMatchObject({ doi: '10.3333/xyz.v4444.04a', keywords: [] });
    expect(mouse).toMatchObject({ title: 'Mouse stories', authors: ['Mouse, M.'], referenceType: 'inproceedings' });
    expect(wos).toMatchObject({ title: 'Magnetic properties and phase transitions of iron boracites, Fe3B7O13X (X = Cl, Br OR I)', authors: ['Andreica, D', 'Schmid, H'], year: 1997 });
    expect(events.find((event) => event.kind === 'invalid')).toEqual({ kind: 'invalid', line: 47, message: 'entry "ICRC2015" has no title' });
  });

  it('reads JabRef’s MEDLINE output: PMC ids, keywords with commas, group authors and publication types', async () => {
    const [mathMl] = fieldsOf(await parseFile('jabref_importer_fileformat/MedlineImporterTestMathML.bib'));
    expect(mathMl).toMatchObject({ pmid: '32759406', pmcid: 'PMC7756617', issue: '2-3', doi: '10.1515/jib-2020-0021', issn: '1613-4516' });
    expect(mathMl?.keywords.slice(0, 3)).toEqual(['Computer Simulation', 'Models, Biological*', 'Models, Theoretical']);
    expect(mathMl?.abstract).toContain('η _p^2 ∞');
    const [, guideline] = fieldsOf(await parseFile('jabref_importer_fileformat/MedlineImporterTestNbib.bib'));
    expect(guideline).toMatchObject({ authors: ['National Collaborating Centre for Chronic Conditions (UK)'], publicationTypes: ['Review', 'Practice Guideline'], year: 2009 });
    const [scopus] = fieldsOf(await parseFile('jabref_importer_fileformat/RisImporterTestScopus.bib'));
    expect(scopus).toMatchObject({ sourceDatabase: 'Scopus', authors: ['Federico, S.', 'Grillo, A.', 'Herzog, W.'], pages: '2309-2327' });
  });
});
