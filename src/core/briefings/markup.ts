import type { Block, Inline, TableAlignment } from './document.js';

const CITATION = /\[@(\d+(?:\s*[,;]\s*@?\d+)*)\]/g;

/** The record numbers a text cites (`[@1]`, `[@1, @3]` or `[@1,3]`), in order of first appearance. */
export const citedNumbers = (text: string): number[] => {
  const seen: number[] = [];
  for (const match of text.matchAll(CITATION)) {
    for (const part of (match[1] ?? '').split(/[,;]/)) {
      const number = Number(part.replace('@', '').trim());
      if (Number.isInteger(number) && number > 0 && !seen.includes(number)) {
        seen.push(number);
      }
    }
  }
  return seen;
};

/** Numbers cited in a text that name no record of an evidence list of `count` (0, or past its end): they would print as nothing. */
export const citationsOutside = (text: string, count: number): number[] => {
  const outside: number[] = [];
  for (const match of text.matchAll(CITATION)) {
    for (const part of (match[1] ?? '').split(/[,;]/)) {
      const number = Number(part.replace('@', '').trim());
      if ((number < 1 || number > count) && !outside.includes(number)) {
        outside.push(number);
      }
    }
  }
  return outside;
};

/** Text with citations as inline parts; `renumber` maps an evidence-list number to its number in the references. */
export const inlines = (text: string, renumber: (listNumber: number) => number | undefined): Inline[] => {
  const parts: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(CITATION)) {
    if (match.index > last) {
      parts.push({ kind: 'text', text: text.slice(last, match.index) });
    }
    const numbers = (match[1] ?? '')
      .split(/[,;]/)
      .map((part) => renumber(Number(part.replace('@', '').trim())))
      .filter((number): number is number => number !== undefined);
    if (numbers.length > 0) {
      parts.push({ kind: 'cite', numbers });
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) {
    parts.push({ kind: 'text', text: text.slice(last) });
  }
  return parts;
};

/** One cell of a pipe-table line: its text (`\|` read as `|`) and where it is in the line (trimmed, pipes excluded). */
export interface TableCell {
  text: string;
  start: number;
  end: number;
}

/**
 * A line's cells when it is written as a pipe-table row: split at each `|` not escaped as `\|`, the
 * pipes at either end optional. Undefined for a line with no unescaped pipe.
 */
export const tableCells = (line: string): TableCell[] | undefined => {
  const pipes: number[] = [];
  for (let at = 0; at < line.length; at += 1) {
    if (line[at] === '\\') {
      at += 1;
    } else if (line[at] === '|') {
      pipes.push(at);
    }
  }
  if (pipes.length === 0) {
    return undefined;
  }
  const first = line.length - line.trimStart().length;
  const last = line.trimEnd().length - 1;
  const bounds = [...(pipes[0] === first ? [] : [first - 1]), ...pipes, ...(pipes.at(-1) === last ? [] : [last + 1])];
  const cells: TableCell[] = [];
  for (let index = 0; index + 1 < bounds.length; index += 1) {
    const from = (bounds[index] ?? 0) + 1;
    const to = bounds[index + 1] ?? line.length;
    const raw = line.slice(from, to);
    const start = from + (raw.length - raw.trimStart().length);
    const end = Math.max(start, from + raw.trimEnd().length);
    cells.push({ text: line.slice(start, end).replace(/\\\|/g, '|'), start, end });
  }
  return cells;
};

const DELIMITER_CELL = /^:?-+:?$/;
const LIST_ITEM = /^\s*(?:[-*•]|\d+[.)])\s+/;

/** A column's alignment from its delimiter cell: `:--` left, `:-:` centre, `--:` right, `---` none given. */
const alignmentOf = (cell: string): TableAlignment | undefined => {
  const left = cell.startsWith(':');
  const right = cell.endsWith(':');
  return left && right ? 'centre' : right ? 'right' : left ? 'left' : undefined;
};

/** How a line of a section's text takes part in a pipe table, if it does. */
export type TableLine = { kind: 'header'; cells: TableCell[]; alignments: (TableAlignment | undefined)[] } | { kind: 'delimiter' } | { kind: 'row'; cells: TableCell[] };

/**
 * The lines of a text that make pipe tables (GitHub Flavored Markdown's): a header row, then a
 * delimiter row with one `---` (optionally `:---`, `:---:`, `---:`) per header cell, then rows, one a
 * line, up to a blank line, a line with no `|`, or a list item. A header and delimiter with different
 * numbers of cells are no table: the lines stay text. One entry per line, undefined outside tables.
 */
export const tableLines = (lines: readonly string[]): (TableLine | undefined)[] => {
  const roles: (TableLine | undefined)[] = lines.map(() => undefined);
  const rowCells = (line: string | undefined): TableCell[] | undefined => (line === undefined || line.trim() === '' || LIST_ITEM.test(line) ? undefined : tableCells(line));
  let at = 0;
  while (at < lines.length) {
    const header = rowCells(lines[at]);
    // A delimiter row may look like a list item (`- | -`); it is still a delimiter row.
    const delimiter = header ? tableCells(lines[at + 1] ?? '') : undefined;
    if (!header || header.length === 0 || !delimiter || delimiter.length !== header.length || !delimiter.every((cell) => DELIMITER_CELL.test(cell.text))) {
      at += 1;
      continue;
    }
    roles[at] = { kind: 'header', cells: header, alignments: delimiter.map((cell) => alignmentOf(cell.text)) };
    roles[at + 1] = { kind: 'delimiter' };
    at += 2;
    for (let cells = rowCells(lines[at]); cells !== undefined; cells = rowCells(lines[at])) {
      roles[at] = { kind: 'row', cells };
      at += 1;
    }
  }
  return roles;
};

/**
 * Cells to the header's width, losing no text: a short row gets empty cells; in a long row the cells
 * past the last column are kept in the last one, after a ` | ` as they were typed.
 */
const fitRow = (cells: readonly string[], width: number): string[] =>
  cells.length <= width ? [...cells, ...Array.from({ length: width - cells.length }, () => '')] : [...cells.slice(0, width - 1), cells.slice(width - 1).join(' | ')];

/**
 * A section's text as blocks: paragraphs separated by blank lines; consecutive lines starting with
 * `- ` (or `* `) make a bullet list, with `1. ` a numbered one; pipe tables (see `tableLines`) make
 * tables whose cells take citations as paragraphs do. Lines of a paragraph are joined.
 */
export const blocksOf = (body: string, renumber: (listNumber: number) => number | undefined): Block[] => {
  const blocks: Block[] = [];
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const roles = tableLines(lines);
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  let table: { header: string[]; alignments: (TableAlignment | undefined)[]; rows: string[][] } | undefined;
  const flushParagraph = () => {
    if (paragraph.length > 0) {
      blocks.push({ kind: 'paragraph', content: inlines(paragraph.join(' '), renumber) });
      paragraph = [];
    }
  };
  const flushList = () => {
    if (list) {
      blocks.push({ kind: 'list', ordered: list.ordered, items: list.items.map((item) => inlines(item, renumber)) });
      list = undefined;
    }
  };
  const flushTable = () => {
    if (table) {
      const width = table.header.length;
      blocks.push({
        kind: 'table',
        header: table.header.map((cell) => inlines(cell, renumber)),
        alignments: table.alignments,
        rows: table.rows.map((row) => fitRow(row, width).map((cell) => inlines(cell, renumber))),
      });
      table = undefined;
    }
  };
  lines.forEach((raw, index) => {
    const role = roles[index];
    if (role !== undefined) {
      flushParagraph();
      flushList();
      if (role.kind === 'header') {
        flushTable();
        table = { header: role.cells.map((cell) => cell.text), alignments: role.alignments, rows: [] };
      } else if (role.kind === 'row') {
        table?.rows.push(role.cells.map((cell) => cell.text));
      }
      return;
    }
    flushTable();
    const line = raw.trim();
    if (line === '') {
      flushParagraph();
      flushList();
      return;
    }
    const bullet = /^[-*•]\s+(.*)$/.exec(line);
    const numbered = /^\d+[.)]\s+(.*)$/.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      flushParagraph();
      const ordered = numbered !== null && bullet === null;
      if (list && list.ordered !== ordered) {
        flushList();
      }
      list ??= { ordered, items: [] };
      list.items.push(item[1] ?? '');
    } else {
      flushList();
      paragraph.push(line);
    }
  });
  flushParagraph();
  flushList();
  flushTable();
  return blocks;
};

/** A section's plain text (citations removed), for readability measures. */
export const plainText = (body: string): string =>
  body
    .replace(CITATION, '')
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/gm, '')
    .replace(/[ \t]+([.,;:])/g, '$1')
    .trim();
