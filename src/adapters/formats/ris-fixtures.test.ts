import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParseEvent, RecordFields } from '../../core/evidence/record.js';
import { FormatError } from './format-error.js';
import { parseRis } from './ris.js';
import { inChunks } from './lines.js';

/** Real exports collected from other projects' test suites (ASReview, rispy, JabRef, colrev), shared by all helpers. */
const formatsDir = new URL('../../../../shared/data/formats/', import.meta.url).pathname;
const hasFixtures = existsSync(formatsDir);
if (!hasFixtures) {
  console.warn(`RIS fixture tests skipped: ${formatsDir} is absent (it holds the shared sample exports).`);
}

const parseFile = async (file: string, size?: number): Promise<ParseEvent[]> => {
  const text = readFileSync(`${formatsDir}${file}`, 'utf8');
  const events: ParseEvent[] = [];
  for await (const event of parseRis(inChunks(text, size ?? text.length))) {
    events.push(event);
  }
  return events;
};

const recordsOf = async (file: string): Promise<RecordFields[]> =>
  (await parseFile(file)).flatMap((event) => (event.kind === 'record' ? [event.fields] : []));

const firstRecord = async (file: string): Promise<RecordFields> => {
  const [first] = await recordsOf(file);
  if (first === undefined) {
    throw new Error(`${file} has no record`);
  }
  return first;
};

describe.skipIf(!hasFixtures)('parseRis on real exports', () => {
  // Every RIS file among the fixtures, with [records, invalid records]. The invalid ones are records
  // without a title: ASReview's baselines test empty values and reference types on purpose.
  const counts: [string, number, number][] = [
    ['asreview_tests_demo_data/_baseline.ris', 100, 0],
    ['asreview_tests_demo_data/baseline_empty_values.ris', 2, 2],
    ['asreview_tests_demo_data/baseline_reference_types.ris', 0, 61],
    ['asreview_tests_demo_data/baseline_tag-notes.ris', 1, 11],
    ['asreview_tests_demo_data/baseline_tag-notes_labels.ris', 32, 0],
    ['asreview_tests_demo_data/baseline_tag-notes_zotero.ris', 4, 0],
    ['asreview_tests_demo_data/baseline_tag_and_field_definitions.ris', 1, 0],
    ['asreview_tests_demo_data/baseline_tag_and_field_definitions_lists.ris', 0, 1],
    ['asreview_tests_demo_data/baseline_zotero.ris', 100, 0],
    ['asreview_tests_demo_data/embase.ris', 6, 0],
    ['asreview_tests_demo_data/faulty_year.ris', 1, 0],
    ['asreview_tests_demo_data/ovid_psycinfo.ris', 6, 0],
    ['asreview_tests_demo_data/ovid_zotero.ris', 6, 0],
    ['asreview_tests_demo_data/proquest.ris', 6, 0],
    ['asreview_tests_demo_data/pubmed_endnote.txt', 6, 0],
    ['asreview_tests_demo_data/pubmed_zotero.ris', 6, 0],
    ['asreview_tests_demo_data/ris_issue_1099.txt', 7, 0],
    ['asreview_tests_demo_data/ris_issue_992.txt', 19, 0],
    ['asreview_tests_demo_data/ris_many_authors.ris', 1, 0],
    ['asreview_tests_demo_data/scopus.ris', 6, 0],
    ['asreview_tests_demo_data/web_of_science.txt', 10, 0],
    ['rispy_tests_data/example_basic.ris', 1, 0],
    ['rispy_tests_data/example_bom.ris', 0, 1],
    ['rispy_tests_data/example_custom_list_tags.ris', 0, 1],
    ['rispy_tests_data/example_empty_tag.ris', 1, 0],
    ['rispy_tests_data/example_extraneous_data.ris', 2, 0],
    ['rispy_tests_data/example_full.ris', 2, 0],
    ['rispy_tests_data/example_full_without_whitespace.ris', 2, 0],
    ['rispy_tests_data/example_full_write.ris', 2, 0],
    ['rispy_tests_data/example_multi_unknown_tags.ris', 1, 0],
    ['rispy_tests_data/example_multiline.ris', 0, 3],
    ['rispy_tests_data/example_single_unknown_tag.ris', 1, 0],
    ['rispy_tests_data/example_starting_newlines.ris', 1, 0],
    ['rispy_tests_data/example_urls.ris', 4, 0],
    ['rispy_tests_data/example_utf_chars.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest1.ris', 1, 2],
    ['jabref_importer_fileformat/RisImporterTest3.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest4a.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest4b.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest4c.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest5a.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest5b.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest6.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest7.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest8_date.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTest9.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTestDOI.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTestDate1.1.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTestDate1.2.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTestDoiAndJournalTitle.ris', 0, 1],
    ['jabref_importer_fileformat/RisImporterTestScience.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTestScopus.ris', 1, 0],
    ['jabref_importer_fileformat/RisImporterTestWithEmptyER.ris', 1, 0],
    ['colrev_loader_data/ris_data.ris', 2, 0],
  ];

  it.each(counts)('reads %s as %i records and %i invalid, identically in 7-character chunks', async (file, records, invalid) => {
    const events = await parseFile(file);
    expect(events.filter((event) => event.kind === 'record')).toHaveLength(records);
    expect(events.filter((event) => event.kind === 'invalid')).toHaveLength(invalid);
    expect(await parseFile(file, 7)).toEqual(events);
  });

  it.each([
    // JabRef's corrupted file has fields but no TY; JabRef's own test says it is not RIS.
    ['jabref_importer_fileformat/RisImporterCorrupted.ris', 2],
    // rispy reads this with its Web of Science ("wok") implementation: ISI tagged text, not RIS.
    ['rispy_tests_data/example_wos.ris', 1],
  ])('rejects %s with a FormatError at line %i', async (file, line) => {
    const error = await parseFile(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({ line });
  });

  it('reads Embase: T1, A1 authors, Y1, JF, KW, the MEDLINE PMID in C5', async () => {
    const records = await recordsOf('asreview_tests_demo_data/embase.ris');
    expect(records[0]).toMatchObject({
      title: 'Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound',
      authors: ['Liu R.', 'Adler D.G.'],
      year: 2014,
      journal: 'Endoscopic Ultrasound',
      doi: '10.4103/2303-9027.138783',
      sourceDatabase: 'Embase',
      publicationTypes: ['Article'],
      issn: '2226-7190',
    });
    expect(records[0]?.keywords).toHaveLength(22);
    expect(records[0]?.pmid).toBeUndefined();
    expect(records[1]).toMatchObject({ year: 2004, pmid: '15368318', doi: '10.1002/cncr.20369' });
  });

  it('reads Ovid PsycINFO: numbered records, NL trailers, "No Specified" pages, starred keywords, classes in M3', async () => {
    const records = await recordsOf('asreview_tests_demo_data/ovid_psycinfo.ris');
    expect(records[0]).toMatchObject({ authors: ['Trindade, Ines A', 'Irons, Chris', 'Ferreira, Claudia', 'Portela, Francisco', 'Pinto-Gouveia, Jose'], year: 2019, doi: '10.1002/cpp.2398', journal: 'Clinical Psychology & Psychotherapy', publisher: 'John Wiley & Sons', publicationTypes: ['Journal Article'] });
    expect(records[0]?.pages).toBeUndefined();
    expect(records[1]).toMatchObject({ pages: '847-856', volume: '24', issue: '7' });
    expect(records[1]?.keywords.slice(0, 2)).toEqual(['Body Image', 'Colon Disorders']);
  });

  it('reads ProQuest, Scopus, Web of Science and Zotero exports', async () => {
    expect(await firstRecord('asreview_tests_demo_data/proquest.ris')).toMatchObject({
      title: 'Predictors of posttraumatic stress symptom trajectories following the fatal 2011 Christchurch, New Zealand earthquake',
      authors: expect.arrayContaining(['Jones, Hannah']),
      doi: '10.1002/jts.22387',
      sourceDatabase: 'PTSDpubs',
      issn: '0894-9867',
    });
    const scopus = await recordsOf('asreview_tests_demo_data/scopus.ris');
    expect(scopus[0]).toMatchObject({ journal: 'Psychoneuroendocrinology', year: 2020, issn: '0306-4530', sourceDatabase: 'Scopus', publicationTypes: ['Review'] });
    expect(scopus[1]?.pmid).toBe('31421429');
    expect(await firstRecord('asreview_tests_demo_data/web_of_science.txt')).toMatchObject({
      authors: ['Alceste, F', 'Luke, TJ', 'Kassin, SM'],
      journal: 'JOURNAL OF APPLIED RESEARCH IN MEMORY AND COGNITION',
      doi: '10.1016/j.jarmac.2018.03.001',
      keywords: expect.arrayContaining(['Police custody', 'SELF']),
    });
    expect(await firstRecord('asreview_tests_demo_data/ovid_zotero.ris')).toMatchObject({ journal: 'Clinical Psychology & Psychotherapy', year: 2019, doi: '10.1002/cpp.2398' });
  });

  it('reads EndNote exports of PubMed: AN is the PMID under DP NLM, MeSH-like KW lines are keywords', async () => {
    const [first] = await recordsOf('asreview_tests_demo_data/pubmed_endnote.txt');
    expect(first).toMatchObject({ pmid: '21553931', doi: '10.2165/11586800-000000000-00000', journal: 'Clin Pharmacokinet', year: 2011, pages: '349-69', sourceDatabase: 'NLM', issn: '0312-5963' });
    expect(first?.keywords).toHaveLength(10);
    expect(first?.keywords).toContain('Boswellia/*chemistry');
  });

  it('reads ASReview labels, Lens PubMed links and Rayyan multi-line keywords', async () => {
    const labels = (await recordsOf('asreview_tests_demo_data/baseline_tag-notes_labels.ris')).map((record) => record.label);
    expect(labels.filter((label) => label === true)).toHaveLength(10);
    expect(labels.filter((label) => label === false)).toHaveLength(10);
    const zotero = await recordsOf('asreview_tests_demo_data/baseline_zotero.ris');
    expect(zotero[0]).toMatchObject({ title: 'An open source machine learning framework for efficient and transparent systematic reviews', label: true, authors: expect.arrayContaining(['van de Schoot, Rens']) });
    expect(zotero[0]?.authors).toHaveLength(17);
    const [baseline] = await recordsOf('asreview_tests_demo_data/_baseline.ris');
    expect(baseline).toMatchObject({ pmid: '22752652', pmcid: 'PMC3553406', doi: '10.1007/s11307-012-0572-0', year: 2012, issn: '1860-2002' });
    const [rayyan] = await recordsOf('asreview_tests_demo_data/ris_issue_992.txt');
    expect(rayyan).toMatchObject({ title: 'Overcoming Medication Reconciliation Challenges', journal: 'Joint Commission Perspectives on Patient Safety', pages: '1-5', year: 2011 });
    expect(rayyan?.keywords).toHaveLength(13);
  });

  it('keeps the year empty when PY holds no year, folds 7,456 identical authors to one, keeps Citavi notes out', async () => {
    expect((await firstRecord('asreview_tests_demo_data/faulty_year.ris')).year).toBeUndefined();
    expect((await firstRecord('asreview_tests_demo_data/ris_many_authors.ris')).authors).toEqual(['Verylongname, Christopher']);
    const [citavi] = await recordsOf('asreview_tests_demo_data/ris_issue_1099.txt');
    expect(citavi).toMatchObject({ pages: '271-278', publisher: 'VSB-Technical University of Ostrava', doi: '10.15598/aeee.v16i3.2698' });
  });
});

describe.skipIf(!hasFixtures)('parseRis against the expected output of other projects', () => {
  // rispy's tests/test_parser.py (test_load_example_full_ris) expects these values for example_full.ris;
  // rispy keeps the raw `Y1` ("2014//") and whitespace, our record convention folds them.
  it('matches rispy for example_full.ris, example_extraneous_data.ris and example_full_without_whitespace.ris', async () => {
    const expected = [
      { title: 'Title of reference', authors: ['Marx, Karl', 'Lindgren, Astrid'], year: 2014, keywords: ['Pippi', 'Nordwind', 'Piraten'], journal: 'Lorem', volume: '9', issue: '3', pages: 'e0815', publisher: 'Fun Factory', issn: '1932-6208', url: 'http://example_url.com' },
      { title: 'The title of the reference', authors: ['Marxus, Karlus', 'Lindgren, Astrid'], year: 2006, keywords: ['Pippi Langstrumpf', 'Nordwind', 'Piraten'], journal: 'Lorem', volume: '6', issue: '3', pages: 'e0815341', publisher: 'Dark Factory', issn: '1732-4208', url: 'http://example_url.com' },
    ];
    for (const file of ['example_full.ris', 'example_extraneous_data.ris', 'example_full_without_whitespace.ris']) {
      const records = await recordsOf(`rispy_tests_data/${file}`);
      expect(records).toMatchObject(expected);
      expect(records[0]?.abstract).toBe(
        'BACKGROUND: Lorem ipsum dolor sit amet, consectetuer adipiscing elit. Aenean commodo ligula eget dolor. Aenean massa. Cum sociis natoque penatibus et magnis dis parturient montes, nascetur ridiculus mus. RESULTS: Donec quam felis, ultricies nec, pellentesque eu, pretium quis, sem. Nulla consequat massa quis enim. CONCLUSIONS: Donec pede justo, fringilla vel, aliquet nec, vulputate eget, arcu. In enim justo, rhoncus ut, imperdiet a, venenatis vitae, justo. Nullam dictum felis eu pede mollis pretium.',
      );
    }
    // test_load_example_basic_ris: authors ["Shannon,Claude E."], year "1948/07//", pages 379–423, volume 27.
    expect(await firstRecord('rispy_tests_data/example_basic.ris')).toMatchObject({ authors: ['Shannon, Claude E.'], year: 1948, pages: '379-423', volume: '27', journal: 'Bell System Technical Journal' });
  });

  // Values from JabRef's RisImporterTest*.bib, written as our conventions write them: `--` page ranges
  // as `-`, BibTeX `number` as issue. Differences in mapping are noted where they occur.
  it.each<[string, Partial<RecordFields>]>([
    ['RisImporterTest3', { title: 'Toward a Robust Analysis of Dermoscopy Images Acquired under Different Conditions', doi: '10.1201/b19107-2', journal: 'Dermoscopy Image Analysis', pages: '1-22', publisher: 'CRC Press', url: 'http://dx.doi.org/10.1201/b19107-2', year: 2015 }],
    ['RisImporterTest4a', { title: 'Find It Fast: How to Uncover Expert Information on Any Subject', authors: ['Berkman, R. I.'], publisher: 'HarperPerennial', year: 1994 }],
    ['RisImporterTest4b', { title: 'Clinicopathologic Principles For Veterinary Medicine', authors: [], publisher: 'Cambridge University Press', year: 1988 }],
    ['RisImporterTest4c', { title: 'Processing whey protein for use as a food ingredient', authors: ['Huffman, L. M.'], journal: 'Food Technology', pages: '49-52', volume: '50(2)', year: 1996 }],
    ['RisImporterTest5a', { title: 'Release profile of ibuprofen in β-cyclodextrin complexes from two different solid dosage forms.', authors: ['Salustio, P. J.', 'Feio, G.', 'Figueirinhas, J. L.', 'Cabral-Marques, H. M.', 'Costa, P. C.', 'Pinto, J. F.'], doi: '10.1016/j.powtec.2012.01.008', issn: '0032-5910', journal: 'Powder Technology', keywords: ['ibuprofen beta cyclodextrin inclusion complex tablet'], pages: '245-251', publisher: 'Elsevier B.V.', volume: '221', year: 2012 }],
    ['RisImporterTest5b', { title: 'The influence of the preparation methods on the inclusion of model drugs in a beta-cyclodextrin cavity', authors: ['Salustio, P. J.', 'Feio, G.', 'Figueirinhas, J. L.', 'Pinto, J. F.', 'Cabral, Marques H. M.'], issn: '1873-3441', journal: 'European journal of pharmaceutics and biopharmaceutics : official journal of Arbeitsgemeinschaft fur Pharmazeutische Verfahrenstechnik e.V', issue: '2', pages: '377-86', volume: '71', year: 2009 }],
    // The .bib says "Sears, Margaret E." (JabRef adds the period), puts AN in `number` and `[pmid]` in a comment.
    ['RisImporterTest6', { title: 'Chelation: Harnessing and Enhancing Heavy Metal Detoxification—A Review', authors: ['Sears, Margaret E'], doi: '10.1155/2013/219840', sourceDatabase: 'PMC', issn: '1537-744X', journal: 'The Scientific World Journal', pages: '219840', publisher: 'Hindawi Publishing Corporation', url: 'http://www.ncbi.nlm.nih.gov/pmc/articles/PMC3654245/', volume: '2013', year: 2013, pmid: '23690738', pmcid: 'PMC3654245' }],
    // JabRef adds the A2 (secondary) authors to `author`; ours are the primary authors only.
    ['RisImporterTest7', { title: 'Testing Book Title', authors: ['Smith, Bob', 'Doe, Jan', 'Brown, Judy'], publisher: 'Test Publisher', volume: '1', year: 2015 }],
    // JabRef's `journal` is JO ("J. Chem. Phys."); ours prefers the full JF name.
    ['RisImporterTest8_date', { title: 'Hydration forces between silica surfaces: Experimental data and predictions from different theories', authors: ['Valle-Delgado, J. J.', 'Molina-Bolívar, J. A.', 'Galisteo-González, F.', 'Gálvez-Ruiz, M. J.', 'Feiler, A.', 'Rutland, M. W.'], doi: '10.1063/1.1954747', issn: '0021-9606', issue: '3', pages: '034708', publisher: 'American Institute of Physics', url: 'https://doi.org/10.1063/1.1954747', volume: '123', year: 2005, journal: 'The Journal of Chemical Physics' }],
    ['RisImporterTestDate1.1', { authors: ['Valle-Delgado, J. J.', 'Molina-Bolívar, J. A.', 'Galisteo-González, F.', 'Gálvez-Ruiz, M. J.', 'Feiler, A.', 'Rutland, M. W.'], doi: '10.1063/1.1954747', year: 2005, volume: '123' }],
    ['RisImporterTestDate1.2', { authors: ['Valle-Delgado, J. J.', 'Molina-Bolívar, J. A.', 'Galisteo-González, F.', 'Gálvez-Ruiz, M. J.', 'Feiler, A.', 'Rutland, M. W.'], doi: '10.1063/1.1954747', year: 2005, volume: '123' }],
    ['RisImporterTest9', { title: 'Grid Cells for Conceptual Spaces?', authors: ['Kriegeskorte, Nikolaus', 'Storrs, Katherine R.'], doi: '10.1016/j.neuron.2016.10.006', issn: '0896-6273', issue: '2', pages: '280-284', url: 'https://doi.org/10.1016/j.neuron.2016.10.006', volume: '92', abstract: 'location and direction of movement in 2D physical environments via regularly repeating receptive fields.', journal: 'Neuron', publisher: 'Elsevier', year: 2016 }],
    // JabRef keeps the last SN (2187-5626), the L2 link as url and AN as `number`; ours keep the first SN,
    // the UR link and the IS issue, and read the PMID and PMCID from JabRef's `comment` lines.
    ['RisImporterTestDOI', { title: 'The effect of smartphone usage time on posture and respiratory function', authors: ['Jung, Sang In', 'Lee, Na Kyung', 'Kang, Kyung Woo', 'Kim, Kyoung', 'Lee, Do Youn'], doi: '10.1589/jpts.28.186', language: 'eng', pages: '186-189', volume: '28', sourceDatabase: 'PubMed', journal: 'Journal of physical therapy science', keywords: ['Posture', 'Respiratory function', 'Smartphone'], publisher: 'The Society of Physical Therapy Science', year: 2016, pmid: '26957754', pmcid: 'PMC4756000', issn: '0915-5287' }],
    ['RisImporterTestScience', { title: 'Phase separation and ω transformation in binary V-Ti and ternary V-Ti-Cr alloys', authors: ['Ghosh, Chanchal', 'Basu, Joysurya', 'Ramachandran, Divakar', 'Mohandas, E.'], doi: '10.1016/j.actamat.2016.09.028', journal: 'Acta Materialia', year: 2016, volume: '121', pages: '310-324', issn: '1359-6454', abstract: 'Abstract', keywords: ['V-Ti-Cr alloys', 'Spinodal decomposition', 'ω phase transformation', 'High-resolution electron microscopy', 'Energy-filtered transmission microscopy'], url: '//www.sciencedirect.com/science/article/pii/S1359645416307273' }],
    ['RisImporterTestScopus', { title: 'A transversely isotropic composite with a statistical distribution of spheroidal inclusions: A geometrical approach to overall properties', authors: ['Federico, S.', 'Grillo, A.', 'Herzog, W.'], journal: 'Journal of the Mechanics and Physics of Solids', year: 2004, volume: '52', issue: '10', pages: '2309-2327', sourceDatabase: 'Scopus', doi: '10.1016/j.jmps.2004.03.010', keywords: ['Composite', 'Inclusions', 'Statistical distribution', 'Transverse isotropy'], url: 'http://www.scopus.com/inward/record.url?eid=2-s2.0-4544289390&partnerID=40&md5=ad1a4baab95650b103a3467b787b83aa' }],
    ['RisImporterTestWithEmptyER', { title: 'Length scales and interfacial potentials in ion hydration', authors: ['Shi, Yu', 'Beck, Thomas L.'], doi: '10.1063/1.4814070', issn: '0021-9606', issue: '4', pages: '044504', url: 'https://doi.org/10.1063/1.4814070', volume: '139', publisher: 'American Institute of Physics', year: 2013 }],
  ])('matches JabRef %s.bib', async (name, expected) => {
    expect(await firstRecord(`jabref_importer_fileformat/${name}.ris`)).toMatchObject(expected);
  });

  it('matches JabRef RisImporterTest5a.bib and 5b.bib abstracts, with whitespace folded', async () => {
    expect((await firstRecord('jabref_importer_fileformat/RisImporterTest5a.ris')).abstract).toMatch(/^The objective of this work was to develop solid dosage forms using powders contg\. inclusion complexes \(ibuprofen with β-cyclodextrin\).* \[on SciFinder\(R\)\]$/);
    expect((await firstRecord('jabref_importer_fileformat/RisImporterTest5b.ris')).abstract).toMatch(/^The work aims to prove the complexation .* yields\. Two methods were considered: .*\[on SciFinder \(R\)\]$/);
  });

  it('reads JabRef RisImporterTest1.ris, which runs nine TY lines together and re-opens records mid-way', async () => {
    // RisImporterTest1.bib makes one entry of the whole file; we end a record at a TY that follows fields
    // (a lost ER), so the TY OTHER and TY THES blocks, which have no title, are invalid records.
    const events = await parseFile('jabref_importer_fileformat/RisImporterTest1.ris');
    expect(events.map((event) => [event.kind, event.line])).toEqual([
      ['record', 2],
      ['invalid', 39],
      ['invalid', 43],
    ]);
    const [first] = events;
    expect(first?.kind === 'record' && first.fields).toMatchObject({
      title: 'Editorial: Open Source and Empirical Software Engineering:',
      authors: ['Cocke', 'Harrison, Warren Levenshtein Morris'],
      volume: '6',
      pages: '193-194',
      year: 2001,
    });
  });
});
