import type { Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import { columnCountOf, type Block, type BriefingDocument, type Inline, type TableAlignment } from '../../core/briefings/document.js';
import { detailsOf, listedReferences, runsOf, type Run } from './briefing-parts.js';
import { fontChain, fontStyles, splitByFont, type FontStyle } from './fonts.js';

/**
 * A briefing as a tagged PDF with pdfkit (docs/decisions/0008-briefing-exports-docx-pdfkit-citation-js.md):
 * a structure tree (headings, paragraphs, lists, tables with header cells), the document language
 * and title for screen readers, selectable text in Source Sans 3 from the `source-sans` package
 * (embedded, so no system font is read; the same font as the PRISMA PNGs, decision 0007), with the
 * fallback chain of `fonts.ts` for characters it lacks (decision 0011), text wrapped and paged by pdfkit. Tables are laid out here, so that the header row repeats on each page a
 * table continues on and no row loses text at a page break; every page is numbered "Page N of M".
 */

// What pdfkit 0.20 accepts but @types/pdfkit 0.17 does not declare yet.
declare global {
  namespace PDFKit.Mixins {
    interface PDFFont {
      /** pdfkit 0.20 takes a font fontkit has already parsed. */
      registerFont(name: string, src: Font): this;
    }
    interface StructureElementOptions {
      /** pdfkit 0.20 writes it as the Table attribute `Scope` (for `TH`). */
      scope?: 'Row' | 'Column' | 'Both';
    }
  }
}

type FontName = FontStyle;

/** The name a font of a style's fallback chain is registered under: the style itself for the first. */
const registeredName = (style: FontStyle, index: number): string => (index === 0 ? style : `${style}+${index}`);

/**
 * Text in one style as runs that each name the registered font to draw it in: the style's own font,
 * or the first fallback with the glyphs it lacks (fonts.ts; decision 0011). pdfkit has no fallback of
 * its own: it would draw a missing character as an empty box.
 */
const segmentsOf = (text: string, style: FontStyle): { text: string; font: string }[] =>
  splitByFont(text, fontChain(style)).map((run) => ({ text: run.text, font: registeredName(style, run.index) }));

/** Draws text in one style as one wrapped paragraph (fallback fonts and all), the first run at (x, y). */
const writeText = (pdf: Pdf, text: string, style: { font: FontStyle; size: number }, at: { x: number; y: number }, options: PDFKit.Mixins.TextOptions): void => {
  const { size } = style;
  const segments = segmentsOf(text, style.font);
  segments.forEach((segment, index) => {
    pdf.font(segment.font).fontSize(size);
    const segmentOptions = { ...options, continued: index < segments.length - 1 || options.continued === true };
    if (index === 0) {
      pdf.text(segment.text, at.x, at.y, segmentOptions);
    } else {
      pdf.text(segment.text, segmentOptions);
    }
  });
};

const SIZE = { title: 22, subtitle: 14, heading: 15, body: 11, small: 10, superscript: 7, footer: 9 } as const;
// NHS.UK colours: text, secondary text, blue, border, grey-5 for table headers.
const COLOUR = { text: '#212b32', secondary: '#4c6272', heading: '#005eb8', border: '#aeb7bd', headerFill: '#f0f4f5' } as const;
const MARGIN = 56;
const LINE_GAP = 2;
const LIST_INDENT = 18;
const CELL_PADDING = 4;
const CELL_BORDER = 0.5;
/** A row too tall for a whole page is split, but not to leave fewer lines than this at the foot of a page. */
const MIN_SPLIT_LINES = 2;

type Pdf = PDFKit.PDFDocument;
type Parent = PDFKit.PDFStructureElement;

const fontOf = (run: Extract<Run, { kind: 'text' }>): FontName => (run.isStrong ? (run.isEmphasis ? 'boldItalic' : 'bold') : run.isEmphasis ? 'italic' : 'regular');

const contentWidth = (pdf: Pdf): number => pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;

/** Starts a new page unless `height` more points fit on this one (keeps headings with what follows). */
const ensureSpace = (pdf: Pdf, height: number): void => {
  if (pdf.y + height > pdf.page.height - pdf.page.margins.bottom) {
    pdf.addPage();
  }
};

/** Draws runs as one wrapped paragraph; the first run at (x, y) when given. */
const drawRuns = (pdf: Pdf, runs: readonly Run[], box: { x: number; y: number; width: number }): void => {
  // Each run in its font and size (pdfkit places text by the top of the line, so smaller digits sit
  // high: a superscript), cut where a character needs a fallback font.
  const drawn = runs.flatMap((run) =>
    segmentsOf(run.text, run.kind === 'text' ? fontOf(run) : 'regular').map((segment) => ({
      ...segment,
      size: run.kind === 'cite' && run.isSuperscript ? SIZE.superscript : SIZE.body,
    })),
  );
  drawn.forEach((segment, index) => {
    pdf.font(segment.font).fontSize(segment.size);
    const options = { width: box.width, lineGap: LINE_GAP, continued: index < drawn.length - 1 };
    if (index === 0) {
      pdf.text(segment.text, box.x, box.y, options);
    } else {
      pdf.text(segment.text, options);
    }
  });
  pdf.fontSize(SIZE.body);
};

const paragraph = (pdf: Pdf, parent: Parent, content: readonly Inline[], document: BriefingDocument): void => {
  ensureSpace(pdf, 2 * pdf.currentLineHeight(true));
  const left = pdf.page.margins.left;
  parent.add(pdf.struct('P', {}, () => drawRuns(pdf, runsOf(content, document), { x: left, y: pdf.y, width: contentWidth(pdf) })));
  pdf.moveDown(0.5);
};

const list = (pdf: Pdf, parent: Parent, items: readonly { label: string | undefined; runs: Run[] }[], indent: number): void => {
  const element = pdf.struct('L');
  parent.add(element);
  const left = pdf.page.margins.left;
  for (const item of items) {
    pdf.font('regular').fontSize(SIZE.body);
    ensureSpace(pdf, 2 * pdf.currentLineHeight(true));
    const y = pdf.y;
    const entry = pdf.struct('LI');
    element.add(entry);
    const { label } = item;
    if (label !== undefined) {
      entry.add(pdf.struct('Lbl', {}, () => pdf.font('regular').fontSize(SIZE.body).text(label, left, y, { width: indent, lineBreak: false })));
    }
    entry.add(pdf.struct('LBody', {}, () => drawRuns(pdf, item.runs, { x: left + indent, y, width: contentWidth(pdf) - indent })));
    entry.end();
    pdf.x = left;
    pdf.moveDown(0.3);
  }
  element.end();
  pdf.moveDown(0.3);
};

type TableBlock = Extract<Block, { kind: 'table' }>;

/** A stretch of a cell's line drawn in one font at one size (a superscript citation is smaller). */
interface Piece {
  text: string;
  font: FontName;
  size: number;
}

/** A cell's text as the lines it is drawn in, and where in its column the lines sit. */
interface CellLines {
  lines: Piece[][];
  alignment: TableAlignment | undefined;
}

/** Where a table's columns start, how wide they are, and how far apart its lines of text are. */
interface TableGrid {
  columns: number[];
  columnWidth: number;
  lineHeight: number;
}

const widthOf = (pdf: Pdf, piece: Piece): number =>
  segmentsOf(piece.text, piece.font).reduce((sum, segment) => sum + pdf.font(segment.font).fontSize(piece.size).widthOfString(segment.text), 0);

/** A cell's runs as pieces at SIZE.small: header cells in bold, Vancouver citations as superscripts. */
const piecesOf = (runs: readonly Run[], isHeader: boolean): Piece[] =>
  runs.map((run) =>
    run.kind === 'text'
      ? { text: run.text, font: fontOf({ ...run, isStrong: isHeader || run.isStrong }), size: SIZE.small }
      : { text: run.text, font: isHeader ? 'bold' : 'regular', size: run.isSuperscript ? SIZE.superscript : SIZE.small },
  );

/** Adds `piece` to a line, joining it to the last piece when it has the same font and size. */
const append = (line: Piece[], piece: Piece): void => {
  const last = line.at(-1);
  if (last !== undefined && last.font === piece.font && last.size === piece.size) {
    last.text += piece.text;
  } else {
    line.push({ ...piece });
  }
};

/**
 * A cell's text as lines at most `width` wide, each a row of pieces: broken between words, and
 * inside a word only when the word alone is wider than the column (a URL or a DOI); a word may change
 * font part-way ("falls" and its superscript "1,2" are one word). Line breaks in the text are kept.
 * We wrap cells ourselves (pdfkit's wrapper would cut a cell's text off at the foot of the page) so
 * that a row too tall for a page can be split between two lines of text. A line that ends where the
 * words wrap keeps its space, so that text read aloud or copied from the PDF does not run two words
 * together (pdfkit's accessibility guide asks for the spaces at line ends).
 */
const wrapCell = (pdf: Pdf, pieces: readonly Piece[], width: number): Piece[][] => {
  // The text as words (each a row of pieces) and the line breaks between them.
  const words: (Piece[] | 'break')[] = [];
  let word: Piece[] | undefined;
  for (const piece of pieces) {
    for (const part of piece.text.split(/(\s+)/)) {
      if (part === '') {
        continue;
      }
      if (/^\s+$/.test(part)) {
        word = undefined;
        for (let breaks = (part.match(/\r\n|\r|\n/g) ?? []).length; breaks > 0; breaks -= 1) {
          words.push('break');
        }
        continue;
      }
      if (word === undefined) {
        word = [];
        words.push(word);
      }
      append(word, { ...piece, text: part });
    }
  }
  // Line breaks before the first word or after the last make no lines.
  while (words[0] === 'break') {
    words.shift();
  }
  while (words.at(-1) === 'break') {
    words.pop();
  }
  const lineWidth = (line: readonly Piece[]): number => line.reduce((sum, piece) => sum + widthOf(pdf, piece), 0);
  const lines: Piece[][] = [];
  let line: Piece[] = [];
  /** Ends the line; one ended where the words wrap or the text breaks keeps a space at its end. */
  const endLine = (isWrap: boolean) => {
    const last = line.at(-1);
    if (isWrap && last !== undefined) {
      last.text += ' ';
    }
    lines.push(line);
    line = [];
  };
  for (const entry of words) {
    if (entry === 'break') {
      endLine(true);
      continue;
    }
    const wordWidth = lineWidth(entry);
    if (line.length > 0) {
      const space = { ...(line.at(-1) as Piece), text: ' ' };
      if (lineWidth(line) + widthOf(pdf, space) + wordWidth <= width) {
        append(line, space);
        entry.forEach((piece) => append(line, piece));
        continue;
      }
      endLine(true);
    }
    if (wordWidth <= width) {
      entry.forEach((piece) => append(line, piece));
      continue;
    }
    // A word wider than the column: broken between characters.
    let used = 0;
    for (const piece of entry) {
      for (const character of piece.text) {
        const characterWidth = widthOf(pdf, { ...piece, text: character });
        if (line.length > 0 && used + characterWidth > width) {
          endLine(false);
          used = 0;
        }
        append(line, { ...piece, text: character });
        used += characterWidth;
      }
    }
  }
  endLine(false);
  return lines;
};

const lineCountOf = (row: readonly CellLines[]): number => Math.max(1, ...row.map((cell) => cell.lines.length));

const rowHeight = (grid: TableGrid, lineCount: number): number => Math.max(1, lineCount) * grid.lineHeight + 2 * CELL_PADDING;

/** Draws what `draw` draws as an artifact: content that is not part of the logical structure. */
const asArtifact = (pdf: Pdf, options: PDFKit.Mixins.MarkingOptions, draw: () => void): void => {
  pdf.markContent('Artifact', options);
  draw();
  pdf.endMarkedContent();
};

/** The fills and borders of one row, or of the part of a row on this page. */
const drawCellFrames = (pdf: Pdf, grid: TableGrid, top: number, height: number, fill: string | undefined): void => {
  pdf.save().lineWidth(CELL_BORDER).strokeColor(COLOUR.border);
  for (const x of grid.columns) {
    if (fill !== undefined) {
      pdf.rect(x, top, grid.columnWidth, height).fill(fill);
    }
    pdf.rect(x, top, grid.columnWidth, height).stroke();
  }
  pdf.restore();
};

/** Lines `from` up to `to` of a cell, the first at the top of the cell's box at (x, top), placed as the column is aligned. */
const drawCellLines = (pdf: Pdf, grid: TableGrid, cell: CellLines, box: { x: number; top: number }, from: number, to: number): void => {
  pdf.fillColor(COLOUR.text);
  cell.lines.slice(from, to).forEach((line, index) => {
    if (!line.some((piece) => piece.text.trim() !== '')) {
      return;
    }
    // The space a wrapped line keeps at its end takes no room in placing it.
    const width = line.reduce((sum, piece, at) => sum + widthOf(pdf, at === line.length - 1 ? { ...piece, text: piece.text.trimEnd() } : piece), 0);
    const room = grid.columnWidth - 2 * CELL_PADDING - width;
    let x = box.x + CELL_PADDING + (cell.alignment === 'right' ? room : cell.alignment === 'centre' ? room / 2 : 0);
    const y = box.top + CELL_PADDING + index * grid.lineHeight;
    for (const piece of line) {
      for (const segment of segmentsOf(piece.text, piece.font)) {
        pdf.font(segment.font).fontSize(piece.size).text(segment.text, x, y, { lineBreak: false });
        x += pdf.widthOfString(segment.text);
      }
    }
  });
};

const hasText = (cell: CellLines, from: number, to: number): boolean => cell.lines.slice(from, to).some((line) => line.some((piece) => piece.text.trim() !== ''));

/**
 * A table laid out by us rather than by pdfkit's `table()`, which neither repeats the header row on a
 * new page nor splits a row too tall for a page (it clips the row's text). Here a row goes whole onto
 * the next page when it does not fit at the foot of this one; only a row taller than a whole page is
 * split, between lines of text, so every word is drawn once. Each continuation page starts with the
 * header row again.
 *
 * Tagging: Table > (Caption, when the table has one) THead > TR > TH (Scope Column) and TBody > TR > TD,
 * each logical cell tagged once.
 * A row split over pages is still one TR, whose TDs hold one marked-content sequence per page, so a
 * screen reader reads it as one row. The header row drawn again at the top of a continuation page is a
 * visual copy of the THead, so it is a Pagination artifact (ISO 32000-1 §14.8.2.2: "running heads" and
 * other ancillary page features), like the page numbers, and not a further TH row: pdfkit's
 * accessibility guide has everything outside the logical structure marked as an artifact, and extra
 * TH rows in the middle of the TBody would be read out as repeated rows and spoil the table's row count
 * (Typst marks repeated table headers as artifacts for the same reason). Cell fills and borders are
 * Layout artifacts.
 */
const table = (pdf: Pdf, parent: Parent, block: TableBlock, document: BriefingDocument): void => {
  const left = pdf.page.margins.left;
  const width = contentWidth(pdf);
  // Every cell is drawn, even in a row longer than the header (the header gets empty cells).
  const columnCount = columnCountOf(block);
  const columnWidth = width / columnCount;
  const grid: TableGrid = {
    columns: Array.from({ length: columnCount }, (_, index) => left + index * columnWidth),
    columnWidth,
    lineHeight: Math.max(pdf.font('regular').fontSize(SIZE.small).currentLineHeight(true), pdf.font('bold').fontSize(SIZE.small).currentLineHeight(true)),
  };
  const textWidth = columnWidth - 2 * CELL_PADDING;
  const cellsOf = (cells: readonly (readonly Inline[])[], isHeader: boolean): CellLines[] =>
    grid.columns.map((_, index) => ({ alignment: block.alignments?.[index], lines: wrapCell(pdf, piecesOf(runsOf(cells[index] ?? [], document), isHeader), textWidth) }));
  const header = cellsOf(block.header, true);
  const rows = block.rows.map((row) => cellsOf(row, false));
  const columnX = (index: number): number => grid.columns[index] ?? left;

  const pageHeight = pdf.page.height - pdf.page.margins.top - pdf.page.margins.bottom;
  const headerHeight = rowHeight(grid, lineCountOf(header));
  // A header taking more than a quarter of the page is not repeated: it would crowd out the rows.
  const repeatsHeader = headerHeight <= pageHeight / 4;
  const freshPageLines = Math.floor((pageHeight - (repeatsHeader ? headerHeight : 0) - 2 * CELL_PADDING) / grid.lineHeight);
  const minSplitLines = Math.max(1, Math.min(MIN_SPLIT_LINES, freshPageLines));

  // The caption (when there is one) stays with the header row and the first row (or its first lines, if it must split).
  const { caption } = block;
  pdf.font('bold').fontSize(SIZE.small);
  const captionHeight = caption === undefined ? 0 : pdf.heightOfString(caption, { width }) + pdf.currentLineHeight(true);
  const firstRow = rows[0];
  const firstRowLines = firstRow === undefined ? 0 : lineCountOf(firstRow) > freshPageLines ? minSplitLines : lineCountOf(firstRow);
  ensureSpace(pdf, captionHeight + headerHeight + (firstRow === undefined ? 0 : rowHeight(grid, firstRowLines)));
  const element = pdf.struct('Table');
  parent.add(element);
  if (caption !== undefined) {
    // The caption is the table's first child (a Caption element), so assistive technology names the table by it.
    element.add(pdf.struct('Caption', {}, () => writeText(pdf.fillColor(COLOUR.secondary), caption, { font: 'bold', size: SIZE.small }, { x: left, y: pdf.y }, { width })));
    pdf.fillColor(COLOUR.text).font('regular').fontSize(SIZE.small).moveDown(0.3);
  }
  let y = pdf.y;
  let isHeaderDrawn = false;

  const nextPage = (): void => {
    pdf.addPage();
    y = pdf.page.margins.top;
    if (isHeaderDrawn && repeatsHeader) {
      const top = y;
      asArtifact(pdf, { type: 'Pagination', bbox: [left, top, left + width, top + headerHeight] }, () => {
        drawCellFrames(pdf, grid, top, headerHeight, COLOUR.headerFill);
        header.forEach((cell, index) => drawCellLines(pdf, grid, cell, { x: columnX(index), top }, 0, cell.lines.length));
      });
      y += headerHeight;
    }
  };

  /** Puts a row whole on this page or the next; a row taller than a page is split between lines. */
  const place = (row: readonly CellLines[], draw: (from: number, to: number, top: number, height: number) => void): void => {
    const lineCount = lineCountOf(row);
    let from = 0;
    for (;;) {
      // A little slack so that rounding never pushes a row that exactly fits onto the next page.
      const fitting = Math.floor((pdf.page.height - pdf.page.margins.bottom - y - 2 * CELL_PADDING) / grid.lineHeight + 1e-6);
      const remaining = lineCount - from;
      if (remaining <= fitting) {
        const height = rowHeight(grid, remaining);
        draw(from, lineCount, y, height);
        y += height;
        return;
      }
      if (remaining > freshPageLines && fitting >= minSplitLines) {
        draw(from, from + fitting, y, rowHeight(grid, fitting));
        from += fitting;
      }
      nextPage();
    }
  };

  const head = pdf.struct('THead');
  element.add(head);
  const headerRow = pdf.struct('TR');
  head.add(headerRow);
  const headerCells = header.map(() => {
    const cell = pdf.struct('TH', { scope: 'Column' });
    headerRow.add(cell);
    return cell;
  });
  place(header, (from, to, top, height) => {
    asArtifact(pdf, { type: 'Layout' }, () => drawCellFrames(pdf, grid, top, height, COLOUR.headerFill));
    header.forEach((cell, index) => {
      if (hasText(cell, from, to)) {
        headerCells[index]?.add(() => drawCellLines(pdf, grid, cell, { x: columnX(index), top }, from, to));
      }
    });
  });
  head.end();
  isHeaderDrawn = true;

  if (rows.length > 0) {
    const body = pdf.struct('TBody');
    element.add(body);
    for (const row of rows) {
      const rowElement = pdf.struct('TR');
      body.add(rowElement);
      const cells = row.map(() => {
        const cell = pdf.struct('TD');
        rowElement.add(cell);
        return cell;
      });
      place(row, (from, to, top, height) => {
        asArtifact(pdf, { type: 'Layout' }, () => drawCellFrames(pdf, grid, top, height, undefined));
        row.forEach((cell, index) => {
          if (hasText(cell, from, to)) {
            cells[index]?.add(() => drawCellLines(pdf, grid, cell, { x: columnX(index), top }, from, to));
          }
        });
      });
      rowElement.end();
    }
    body.end();
  }
  element.end();
  pdf.x = left;
  pdf.y = y;
  pdf.font('regular').fontSize(SIZE.body).moveDown(0.8);
};

/**
 * "Page N of M" centred in the bottom margin of every page, below the last line of body text (pdfkit
 * keeps text above the bottom margin), in the body font. Drawn once every page is laid out (the pages
 * are buffered), and a Pagination artifact attached to the bottom of the page, so screen readers,
 * which announce pages themselves, skip it. The words are English because briefings are written in
 * en-GB (the document's `/Lang`); the numbers are formatted for that language.
 */
const numberPages = (pdf: Pdf, language: string): void => {
  const { start, count } = pdf.bufferedPageRange();
  const format = new Intl.NumberFormat(language);
  for (let index = 0; index < count; index += 1) {
    pdf.switchToPage(start + index);
    const { page } = pdf;
    const label = `Page ${format.format(index + 1)} of ${format.format(count)}`;
    pdf.font('regular').fontSize(SIZE.footer);
    const labelWidth = pdf.widthOfString(label);
    const labelHeight = pdf.currentLineHeight(true);
    const x = page.margins.left + (contentWidth(pdf) - labelWidth) / 2;
    const y = page.height - page.margins.bottom / 2 - labelHeight / 2;
    asArtifact(pdf, { type: 'Pagination', attached: ['Bottom'], bbox: [x, y, x + labelWidth, y + labelHeight] }, () => {
      // lineBreak: false draws the line where it is told, in the margin, without starting a new page.
      pdf.fillColor(COLOUR.secondary).text(label, x, y, { lineBreak: false });
    });
  }
  pdf.fillColor(COLOUR.text);
};

const heading = (pdf: Pdf, parent: Parent, type: 'H1' | 'H2', text: string): void => {
  const left = pdf.page.margins.left;
  const size = type === 'H1' ? SIZE.title : SIZE.heading;
  // A heading keeps at least two lines of what follows on its page.
  ensureSpace(pdf, size * 1.6 + 3 * SIZE.body * 1.4);
  if (type === 'H2') {
    pdf.moveDown(0.6);
  }
  parent.add(pdf.struct(type, {}, () => writeText(pdf.fillColor(type === 'H1' ? COLOUR.text : COLOUR.heading), text, { font: 'bold', size }, { x: left, y: pdf.y }, { width: contentWidth(pdf) })));
  pdf.fillColor(COLOUR.text).fontSize(SIZE.body).moveDown(0.4);
};

const plainParagraph = (pdf: Pdf, parent: Parent, text: string, style: { font: FontName; size: number; colour: string }): void => {
  const left = pdf.page.margins.left;
  parent.add(pdf.struct('P', {}, () => writeText(pdf.fillColor(style.colour), text, style, { x: left, y: pdf.y }, { width: contentWidth(pdf), lineGap: LINE_GAP })));
  pdf.fillColor(COLOUR.text).moveDown(0.3);
};

const block = (pdf: Pdf, parent: Parent, content: Block, document: BriefingDocument): void => {
  switch (content.kind) {
    case 'paragraph':
      paragraph(pdf, parent, content.content, document);
      return;
    case 'list':
      list(
        pdf,
        parent,
        content.items.map((item, index) => ({ label: content.ordered ? `${index + 1}.` : '•', runs: runsOf(item, document) })),
        LIST_INDENT,
      );
      return;
    case 'table':
      table(pdf, parent, content, document);
      return;
  }
};

const write = (pdf: Pdf, document: BriefingDocument): void => {
  const root = pdf.struct('Document');
  pdf.addStructure(root);
  heading(pdf, root, 'H1', document.title);
  if (document.subtitle !== '') {
    plainParagraph(pdf, root, document.subtitle, { font: 'regular', size: SIZE.subtitle, colour: COLOUR.text });
  }
  for (const line of detailsOf(document)) {
    plainParagraph(pdf, root, line, { font: 'regular', size: SIZE.small, colour: COLOUR.secondary });
  }
  if (document.audienceNote !== undefined) {
    plainParagraph(pdf, root, document.audienceNote, { font: 'bold', size: SIZE.body, colour: COLOUR.text });
  }
  for (const section of document.sections) {
    const element = pdf.struct('Sect');
    root.add(element);
    heading(pdf, element, 'H2', section.heading);
    for (const content of section.blocks) {
      block(pdf, element, content, document);
    }
    element.end();
  }
  if (document.references.length > 0) {
    const element = pdf.struct('Sect');
    root.add(element);
    heading(pdf, element, 'H2', 'References');
    const isNumbered = document.citationStyle === 'vancouver';
    const text = (value: string): Run[] => [{ kind: 'text', text: value, isStrong: false, isEmphasis: false }];
    list(
      pdf,
      element,
      listedReferences(document).map((reference) => ({ label: isNumbered ? `${reference.number}.` : undefined, runs: text(reference.text) })),
      isNumbered ? 24 : 0,
    );
    element.end();
  }
  root.end();
};

/** The briefing as a PDF file. */
export const renderBriefingPdf = (document: BriefingDocument): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const pdf = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
      pdfVersion: '1.7',
      tagged: true,
      // Kept until the end, so that each page can be numbered "Page N of M" once M is known.
      bufferPages: true,
      lang: document.language,
      displayTitle: true,
      info: {
        Title: document.title,
        Subject: document.subtitle,
        Author: document.authors.join(', '),
        Creator: 'Mobilise',
        ...(document.needReference !== undefined ? { Keywords: document.needReference } : {}),
      },
    });
    for (const style of fontStyles) {
      fontChain(style).forEach((entry, index) => pdf.registerFont(registeredName(style, index), entry.font));
    }
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    try {
      // Before any text: pdfkit's default Helvetica (not embedded) is loaded but never used, so never written.
      pdf.font('regular').fontSize(SIZE.body).fillColor(COLOUR.text);
      write(pdf, document);
      numberPages(pdf, document.language);
      pdf.end();
    } catch (error) {
      // A half-written document is of no use: report the cause to the caller.
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
