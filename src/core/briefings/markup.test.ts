import { describe, expect, it } from 'vitest';
import { blocksOf, citationsOutside, citedNumbers, plainText, tableCells } from './markup.js';

describe('briefing text', () => {
  it('finds cited records in order of first citation, in any of the accepted spellings', () => {
    expect(citedNumbers('Calls helped [@3]. Groups too [@1, @3]; and [@2;4].')).toEqual([3, 1, 2, 4]);
    expect(citedNumbers('No citations, even [@0] or [@x].')).toEqual([]);
  });

  it('turns paragraphs, bullets and numbered lists into blocks, renumbering citations', () => {
    const renumber = (listNumber: number) => ({ 3: 1, 1: 2 })[listNumber];
    expect(blocksOf('First line\ncontinues [@3].\n\n- one [@1]\n- two\n1. first\n2. second\n\nUnknown [@9] dropped.', renumber)).toEqual([
      { kind: 'paragraph', content: [{ kind: 'text', text: 'First line continues ' }, { kind: 'cite', numbers: [1] }, { kind: 'text', text: '.' }] },
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'one ' }, { kind: 'cite', numbers: [2] }], [{ kind: 'text', text: 'two' }]] },
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'first' }], [{ kind: 'text', text: 'second' }]] },
      { kind: 'paragraph', content: [{ kind: 'text', text: 'Unknown ' }, { kind: 'text', text: ' dropped.' }] },
    ]);
  });

  it('gives plain text for readability, without citations or list marks', () => {
    expect(plainText('- Calls helped [@1].\n- Groups too [@2, @3] .')).toBe('Calls helped.\nGroups too.');
  });
});

describe('citationsOutside', () => {
  it('names the cited numbers that are 0 or past the end of the evidence list, once each', () => {
    expect(citationsOutside('Calls helped [@1, @3] and [@99]; see also [@0] and [@99].', 3)).toEqual([99, 0]);
    expect(citationsOutside('All fine [@1; 2] [@3]', 3)).toEqual([]);
    expect(citationsOutside('No list yet [@1]', 0)).toEqual([1]);
  });
});

describe('pipe tables', () => {
  const same = (listNumber: number) => listNumber;
  const text = (value: string) => [{ kind: 'text', text: value }];

  it('reads a header row, a delimiter row with alignments and rows into a table whose cells cite', () => {
    const body = ['Studies we found:', '| Study | Design | Effect |', '|:------|:------:|-------:|', '| Smith 2021 [@2] | RCT | 23% fewer falls [@1, @2] |', '| Doe 2019 | Review | Fewer \\| smaller |', 'After the table.'].join('\n');
    expect(blocksOf(body, same)).toEqual([
      { kind: 'paragraph', content: text('Studies we found:') },
      {
        kind: 'table',
        header: [text('Study'), text('Design'), text('Effect')],
        alignments: ['left', 'centre', 'right'],
        rows: [
          [[{ kind: 'text', text: 'Smith 2021 ' }, { kind: 'cite', numbers: [2] }], text('RCT'), [{ kind: 'text', text: '23% fewer falls ' }, { kind: 'cite', numbers: [1, 2] }]],
          [text('Doe 2019'), text('Review'), text('Fewer | smaller')],
        ],
      },
      { kind: 'paragraph', content: text('After the table.') },
    ]);
  });

  it('takes rows without the outer pipes, and columns with no alignment given', () => {
    expect(blocksOf('Study | Effect\n- | -:\nSmith | Fewer falls', same)).toEqual([
      { kind: 'table', header: [text('Study'), text('Effect')], alignments: [undefined, 'right'], rows: [[text('Smith'), text('Fewer falls')]] },
    ]);
  });

  it('ends a table at a blank line, a line without a pipe or a list item; a second header starts another table', () => {
    const blocks = blocksOf('| A |\n|---|\n| 1 |\n\n| B |\n|---|\n| 2 |\n- item\n| C |\n|---|\n| 3 |\nplain', same);
    expect(blocks.map((block) => block.kind)).toEqual(['table', 'table', 'list', 'table', 'paragraph']);
  });

  it('keeps every word of a malformed table: short rows are padded, cells past the last column stay in the last one', () => {
    expect(blocksOf('| Study | Effect |\n|---|---|\n| Smith |\n| Doe | Fewer falls | and fractures | [@1] |', same)).toEqual([
      {
        kind: 'table',
        header: [text('Study'), text('Effect')],
        alignments: [undefined, undefined],
        rows: [
          [text('Smith'), []],
          [text('Doe'), [{ kind: 'text', text: 'Fewer falls | and fractures | ' }, { kind: 'cite', numbers: [1] }]],
        ],
      },
    ]);
  });

  it('leaves lines as text when the delimiter row does not match the header, or there is none', () => {
    expect(blocksOf('| Study | Effect |\n|---|\n| Smith | Fewer |', same)).toEqual([{ kind: 'paragraph', content: text('| Study | Effect | |---| | Smith | Fewer |') }]);
    expect(blocksOf('Either this | or that.\nNext line.', same)).toEqual([{ kind: 'paragraph', content: text('Either this | or that. Next line.') }]);
    expect(blocksOf('|\n|', same)).toEqual([{ kind: 'paragraph', content: text('| |') }]);
  });

  it('gives each cell its place in the line, without the pipes and spaces around it', () => {
    const line = '| Smith | a \\| b |  last';
    const cells = tableCells(line) ?? [];
    expect(cells.map((cell) => cell.text)).toEqual(['Smith', 'a | b', 'last']);
    expect(cells.map((cell) => line.slice(cell.start, cell.end))).toEqual(['Smith', 'a \\| b', 'last']);
    expect(tableCells('no pipes here')).toBeUndefined();
    expect(tableCells('| |')?.map((cell) => cell.text)).toEqual(['']);
  });
});
