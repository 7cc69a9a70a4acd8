import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { briefingDocument, harvardBriefingDocument, pipeTableDocument } from '../../../test/fixtures/briefing-document.js';
import { renderBriefingDocx } from './briefing-docx.js';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses XML into a tree; saxes throws on anything that is not well-formed. */
const parseXml = (xml: string): XmlElement => {
  const root: XmlElement = { name: '#root', attributes: {}, children: [], text: '' };
  const stack = [root];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: Object.fromEntries(Object.entries(tag.attributes).map(([key, value]) => [key, String(value)])), children: [], text: '' };
    stack.at(-1)?.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack.at(-1);
    if (current) {
      current.text += text;
    }
  });
  parser.on('closetag', () => stack.pop());
  parser.write(xml).close();
  return root;
};

const all = (element: XmlElement, name: string): XmlElement[] => [...(element.name === name ? [element] : []), ...element.children.flatMap((child) => all(child, name))];
const textOf = (element: XmlElement): string => all(element, 'w:t').map((run) => run.text).join('');
const styleOf = (paragraph: XmlElement): string | undefined => all(paragraph, 'w:pStyle')[0]?.attributes['w:val'];

const unzip = async (documentBuffer: Promise<Buffer>) => {
  const files = unzipSync(new Uint8Array(await documentBuffer));
  const read = (path: string) => {
    const file = files[path];
    expect(file, path).toBeDefined();
    return strFromU8(file ?? new Uint8Array());
  };
  return { files, read };
};

describe('renderBriefingDocx', () => {
  it('writes headings, paragraphs, lists, a table with a header row and references into well-formed XML', async () => {
    const { read } = await unzip(renderBriefingDocx(briefingDocument()));
    const body = parseXml(read('word/document.xml'));
    const paragraphs = all(body, 'w:p');
    const headings = paragraphs.filter((paragraph) => /^Heading\d$/.test(styleOf(paragraph) ?? '')).map((paragraph) => [styleOf(paragraph), textOf(paragraph)]);
    expect(headings).toEqual([
      ['Heading1', 'Home exercise to prevent falls'],
      ['Heading2', 'Bottom line'],
      ['Heading2', 'Key messages'],
      ['Heading2', 'What the evidence says and how certain it is'],
      ['Heading2', 'References'],
    ]);
    expect(paragraphs.map(textOf)).toContain('Home exercise cuts falls by about a quarter1,2. It is cheap to run.');

    const superscripts = all(body, 'w:r').filter((run) => all(run, 'w:vertAlign').some((align) => align.attributes['w:val'] === 'superscript'));
    expect(superscripts.map(textOf)).toEqual(['1,2', '1', '3']);

    const table = all(body, 'w:tbl')[0];
    expect(table).toBeDefined();
    const rows = all(table ?? body, 'w:tr');
    expect(rows.map((row) => all(row, 'w:tc').map(textOf))).toEqual([
      ['Study', 'Design', 'Result'],
      ['Smith 2021', 'Randomised controlled trial', '23% fewer falls'],
      ['Doe 2019', 'Systematic review', 'Fewer falls & fractures'],
    ]);
    expect(all(rows[0] ?? body, 'w:tblHeader')).toHaveLength(1);
    expect(paragraphs.filter((paragraph) => styleOf(paragraph) === 'Caption').map(textOf)).toEqual(['Studies of home exercise']);

    const numbered = paragraphs.filter((paragraph) => all(paragraph, 'w:numPr').length > 0).map(textOf);
    expect(numbered).toEqual([
      'Strength and balance training works1',
      'Group classes suit some people better',
      'Fund a pilot',
      'Measure falls for a year3',
      'Smith JA, Jones M, Brown K. Home-based exercise to prevent falls. BMJ. 2021;372(4):123–30. doi:10.1136/bmj.n123',
      'Doe J. Social prescribing for loneliness. Health Soc Care Community. 2019;27:1–10.',
      'NHS England. Falls prevention in the community [Internet]. NHS England; 2020.',
    ]);
  });

  it('writes a pipe table as a Word table with a header row, aligned columns, and cells that cite and emphasise', async () => {
    const { read } = await unzip(renderBriefingDocx(pipeTableDocument()));
    const body = parseXml(read('word/document.xml'));
    const table = all(body, 'w:tbl')[1];
    expect(table).toBeDefined();
    const rows = all(table ?? body, 'w:tr');
    // Vancouver citations are superscript numbers set against the word before them.
    expect(rows.map((row) => all(row, 'w:tc').map(textOf))).toEqual([
      ['Study', 'Design', 'Effect on falls'],
      ['Smith 20211', 'RCT', '23% fewer1,2'],
      ['Doe 2019', 'Review & meta-analysis', ''],
      ['Lee 2022', 'Cohort', 'None'],
    ]);
    const superscripts = all(table ?? body, 'w:r').filter((run) => all(run, 'w:vertAlign').some((align) => align.attributes['w:val'] === 'superscript'));
    expect(superscripts.map(textOf)).toEqual(['1', '1,2']);
    // The header row repeats on each page and is bold; the other rows are not.
    expect(rows.map((row) => all(row, 'w:tblHeader').length)).toEqual([1, 0, 0, 0]);
    const isOn = (run: XmlElement, property: string) => all(run, property).some((element) => !['false', '0'].includes(element.attributes['w:val'] ?? 'true'));
    expect(all(rows[0] ?? body, 'w:r').every((run) => isOn(run, 'w:b'))).toBe(true);
    expect(all(rows[1] ?? body, 'w:r').some((run) => isOn(run, 'w:b'))).toBe(false);
    expect(rows.map((row) => all(row, 'w:tc').map((cell) => all(cell, 'w:jc')[0]?.attributes['w:val']))).toEqual(
      rows.map(() => ['left', 'center', 'right']),
    );
    const last = all(rows[3] ?? body, 'w:r');
    expect(last.filter((run) => isOn(run, 'w:i')).map(textOf)).toEqual(['Lee 2022']);
    expect(last.filter((run) => isOn(run, 'w:b')).map(textOf)).toEqual(['None']);
    // No caption was given, so none is written.
    expect(all(body, 'w:p').filter((paragraph) => styleOf(paragraph) === 'Caption').map(textOf)).toEqual(['Studies of home exercise']);
  });

  it('sets the title, subject and creator, and British English', async () => {
    const { read } = await unzip(renderBriefingDocx(briefingDocument()));
    const core = parseXml(read('docProps/core.xml'));
    expect(all(core, 'dc:title')[0]?.text).toBe('Home exercise to prevent falls');
    expect(all(core, 'dc:subject')[0]?.text).toBe('Decision briefing for the Adult Social Care commissioning board');
    expect(all(core, 'dc:creator')[0]?.text).toBe('Asha Fellow, Ben Lead');
    const styles = parseXml(read('word/styles.xml'));
    expect(all(all(styles, 'w:docDefaults')[0] ?? styles, 'w:lang').map((lang) => lang.attributes['w:val'])).toEqual(['en-GB']);
  });

  it('numbers every page "Page N of M" in a footer, as the PDF does', async () => {
    const { files, read } = await unzip(renderBriefingDocx(briefingDocument()));
    const footerPath = Object.keys(files).find((path) => /^word\/footer\d*\.xml$/.test(path));
    expect(footerPath).toBeDefined();
    const footer = parseXml(read(footerPath ?? ''));
    expect(textOf(footer)).toBe('Page  of ');
    expect(all(footer, 'w:instrText').map((field) => field.text.trim())).toEqual(['PAGE', 'NUMPAGES']);
    // The section points at it.
    expect(all(parseXml(read('word/document.xml')), 'w:footerReference')).toHaveLength(1);
  });

  it('cites by author and year in Harvard style, and lists references alphabetically', async () => {
    const { read } = await unzip(renderBriefingDocx(harvardBriefingDocument()));
    const body = parseXml(read('word/document.xml'));
    const texts = all(body, 'w:p').map(textOf);
    expect(texts).toContain('Home exercise cuts falls by about a quarter (Smith, Jones and Brown, 2021; Doe, 2019). It is cheap to run.');
    const references = texts.slice(texts.indexOf('References') + 1);
    expect(references.map((reference) => reference.slice(0, 12))).toEqual(['Doe, J. (201', 'NHS England ', 'Smith, J.A.,']);
    expect(all(body, 'w:vertAlign')).toEqual([]);
  });

  it('escapes text that looks like markup', async () => {
    const { read } = await unzip(renderBriefingDocx(briefingDocument({ title: 'Falls <script>alert(1)</script> & "trips"' })));
    const xml = read('word/document.xml');
    expect(xml).not.toContain('<script>');
    expect(textOf(all(parseXml(xml), 'w:p')[0] ?? parseXml('<x/>'))).toBe('Falls <script>alert(1)</script> & "trips"');
  });
});
