import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { briefingDocument, harvardBriefingDocument, pipeTableDocument, plainCells } from '../../../test/fixtures/briefing-document.js';
import { renderBriefingHtml } from './briefing-html.js';

interface Element {
  name: string;
  attributes: Record<string, string>;
  children: (Element | string)[];
}

/** Parses the page as XML (it is written as polyglot markup); saxes throws if it is not well-formed. */
const parse = (html: string): Element => {
  const root: Element = { name: '#root', attributes: {}, children: [] };
  const stack = [root];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const element: Element = { name: tag.name, attributes: Object.fromEntries(Object.entries(tag.attributes).map(([key, value]) => [key, String(value)])), children: [] };
    stack.at(-1)?.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => stack.at(-1)?.children.push(text));
  parser.on('closetag', () => stack.pop());
  parser.write(html).close();
  return root;
};

const all = (element: Element, name: string): Element[] => [
  ...(element.name === name ? [element] : []),
  ...element.children.flatMap((child) => (typeof child === 'string' ? [] : all(child, name))),
];
const textOf = (element: Element): string => element.children.map((child) => (typeof child === 'string' ? child : textOf(child))).join('');
const one = (element: Element, name: string): Element => {
  const found = all(element, name);
  expect(found, name).toHaveLength(1);
  return found[0] ?? element;
};

describe('renderBriefingHtml', () => {
  it('is a standalone page in British English with one h1 and a heading per section', () => {
    const page = parse(renderBriefingHtml(briefingDocument()));
    expect(one(page, 'html').attributes.lang).toBe('en-GB');
    expect(textOf(one(page, 'title'))).toBe('Home exercise to prevent falls');
    expect(textOf(one(page, 'h1'))).toBe('Home exercise to prevent falls');
    expect(all(page, 'h2').map(textOf)).toEqual(['Bottom line', 'Key messages', 'What the evidence says and how certain it is', 'References']);
    for (const section of all(page, 'section')) {
      const heading = all(section, 'h2')[0];
      expect(section.attributes['aria-labelledby']).toBe(heading?.attributes.id);
    }
    expect(all(page, 'script')).toEqual([]);
    expect(all(page, 'link')).toEqual([]);
    expect(one(page, 'time').attributes.datetime).toBe('2026-11-26');
  });

  it('gives tables a caption and column headers', () => {
    const table = one(parse(renderBriefingHtml(briefingDocument())), 'table');
    expect(textOf(one(table, 'caption'))).toBe('Studies of home exercise');
    expect(all(table, 'th').map((cell) => [textOf(cell), cell.attributes.scope])).toEqual([
      ['Study', 'col'],
      ['Design', 'col'],
      ['Result', 'col'],
    ]);
    expect(all(one(table, 'tbody'), 'tr').map((row) => all(row, 'td').map(textOf))).toEqual([
      ['Smith 2021', 'Randomised controlled trial', '23% fewer falls'],
      ['Doe 2019', 'Systematic review', 'Fewer falls & fractures'],
    ]);
  });

  it('writes a pipe table as a table: column headers, aligned columns, cells that cite and emphasise, no text lost', () => {
    const page = parse(renderBriefingHtml(pipeTableDocument()));
    const table = all(page, 'table')[1] ?? page;
    expect(all(table, 'caption')).toEqual([]);
    expect(all(table, 'th').map((cell) => [textOf(cell), cell.attributes.scope, cell.attributes.class])).toEqual([
      ['Study', 'col', 'align-left'],
      ['Design', 'col', 'align-centre'],
      ['Effect on falls', 'col', 'align-right'],
    ]);
    const rows = all(one(table, 'tbody'), 'tr');
    expect(rows.map((row) => all(row, 'td').map(textOf))).toEqual([
      ['Smith 2021 [1]', 'RCT', '23% fewer [1, 2]'],
      ['Doe 2019', 'Review & meta-analysis', ''],
      ['Lee 2022', 'Cohort', 'None'],
    ]);
    expect(all(rows[0] ?? table, 'a').map((link) => link.attributes.href)).toEqual(['#ref-1', '#ref-1', '#ref-2']);
    expect(all(rows[2] ?? table, 'em').map(textOf)).toEqual(['Lee 2022']);
    expect(all(rows[2] ?? table, 'strong').map(textOf)).toEqual(['None']);
  });

  it('links Vancouver citations to a numbered list of references, and DOIs to doi.org', () => {
    const page = parse(renderBriefingHtml(briefingDocument()));
    const paragraph = all(page, 'p').find((element) => textOf(element).startsWith('Home exercise cuts'));
    expect(paragraph && textOf(paragraph)).toBe('Home exercise cuts falls by about a quarter [1, 2]. It is cheap to run.');
    const citations = all(paragraph ?? page, 'a').map((link) => [link.attributes.href, link.attributes['aria-label']]);
    expect(citations).toEqual([
      ['#ref-1', 'Reference 1'],
      ['#ref-2', 'Reference 2'],
    ]);
    const list = all(page, 'ol').find((element) => element.attributes.class === 'references');
    expect(all(list ?? page, 'li').map((item) => item.attributes.id)).toEqual(['ref-1', 'ref-2', 'ref-3']);
    expect(all(list ?? page, 'a').map((link) => link.attributes.href)).toEqual(['https://doi.org/10.1136/bmj.n123']);
  });

  it('cites by author and year in Harvard style, listing references alphabetically', () => {
    const page = parse(renderBriefingHtml(harvardBriefingDocument()));
    const paragraph = all(page, 'p').find((element) => textOf(element).startsWith('Home exercise cuts'));
    expect(paragraph && textOf(paragraph)).toBe('Home exercise cuts falls by about a quarter (Smith, Jones and Brown, 2021; Doe, 2019). It is cheap to run.');
    const list = all(page, 'ul').find((element) => element.attributes.class === 'references');
    expect(all(list ?? page, 'li').map((item) => item.attributes.id)).toEqual(['ref-2', 'ref-3', 'ref-1']);
  });

  it('escapes markup in every field', () => {
    const hostile = '<script>alert("x")</script> & <b>bold</b>';
    const html = renderBriefingHtml(
      briefingDocument({
        title: `Falls ${hostile}`,
        subtitle: hostile,
        authors: [hostile],
        sections: [{ key: 'x"><script>', heading: hostile, blocks: [{ kind: 'table', caption: hostile, header: plainCells(hostile), rows: [plainCells(hostile)] }] }],
        references: [`${hostile} https://example.org/"onmouseover="alert(1)`],
      }),
    );
    expect(html).not.toMatch(/<script|<b>|onmouseover="alert/);
    const page = parse(html);
    expect(textOf(one(page, 'title'))).toBe(`Falls ${hostile}`);
    expect(textOf(one(page, 'h1'))).toBe(`Falls ${hostile}`);
    expect(all(page, 'script')).toEqual([]);
    expect(all(page, 'b')).toEqual([]);
    expect(all(page, 'section')[0]?.attributes['aria-labelledby']).toBe('section-x---script-');
  });
});
