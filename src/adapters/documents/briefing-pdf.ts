import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import type { Block, BriefingDocument, Inline } from '../../core/briefings/document.js';
import { detailsOf, listedReferences, runsOf, type Run } from './briefing-parts.js';

/**
 * A briefing as a tagged PDF with pdfkit (docs/decisions/0008-briefing-exports-docx-pdfkit-citation-js.md):
 * a structure tree (headings, paragraphs, lists, tables with header cells), the document language
 * and title for screen readers, selectable text in Source Sans 3 from the `source-sans` package
 * (embedded, so no system font is read; the same font as the PRISMA PNGs, decision 0007), text
 * wrapped and paged by pdfkit.
 */

// What pdfkit 0.20 accepts but @types/pdfkit 0.17 does not declare yet.
declare global {
  namespace PDFKit.Mixins {
    interface PDFFont {
      /** pdfkit 0.20 takes a font fontkit has already parsed. */
      registerFont(name: string, src: Font): this;
    }
    interface TableOptions {
      /** The structure element the table's Table element goes into (tagged PDF). */
      structParent?: PDFStructureElement;
    }
    interface CellOptions {
      scope?: 'column' | 'row' | 'both';
    }
  }
}

const require = createRequire(import.meta.url);
const fontFiles = {
  regular: require.resolve('source-sans/TTF/SourceSans3-Regular.ttf'),
  bold: require.resolve('source-sans/TTF/SourceSans3-Bold.ttf'),
  italic: require.resolve('source-sans/TTF/SourceSans3-It.ttf'),
  boldItalic: require.resolve('source-sans/TTF/SourceSans3-BoldIt.ttf'),
};
type FontName = keyof typeof fontFiles;

let parsedFonts: Record<FontName, Font> | undefined;

/**
 * The fonts, parsed once per process: parsing four TTFs took about 150 ms of each export, a
 * parsed font 40 ms (pdfkit still subsets it per document).
 */
const fonts = (): Record<FontName, Font> => {
  parsedFonts ??= {
    regular: parseFont(fontFiles.regular),
    bold: parseFont(fontFiles.bold),
    italic: parseFont(fontFiles.italic),
    boldItalic: parseFont(fontFiles.boldItalic),
  };
  return parsedFonts;
};

function parseFont(path: string): Font {
  const font = create(readFileSync(path));
  if ('fonts' in font) {
    throw new Error(`${path} is a font collection, not a font`);
  }
  return font;
}

const SIZE = { title: 22, subtitle: 14, heading: 15, body: 11, small: 10, superscript: 7 } as const;
// NHS.UK colours: text, secondary text, blue, border, grey-5 for table headers.
const COLOUR = { text: '#212b32', secondary: '#4c6272', heading: '#005eb8', border: '#aeb7bd', headerFill: '#f0f4f5' } as const;
const MARGIN = 56;
const LINE_GAP = 2;
const LIST_INDENT = 18;

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
  const drawn = runs.filter((run) => run.text !== '');
  drawn.forEach((run, index) => {
    if (run.kind === 'text') {
      pdf.font(fontOf(run)).fontSize(SIZE.body);
    } else {
      // pdfkit places text by the top of the line, so smaller digits sit high: a superscript.
      pdf.font('regular').fontSize(run.isSuperscript ? SIZE.superscript : SIZE.body);
    }
    const options = { width: box.width, lineGap: LINE_GAP, continued: index < drawn.length - 1 };
    if (index === 0) {
      pdf.text(run.text, box.x, box.y, options);
    } else {
      pdf.text(run.text, options);
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

const table = (pdf: Pdf, parent: Parent, block: Extract<Block, { kind: 'table' }>): void => {
  const left = pdf.page.margins.left;
  ensureSpace(pdf, 5 * pdf.currentLineHeight(true));
  parent.add(pdf.struct('P', {}, () => pdf.font('bold').fontSize(SIZE.small).fillColor(COLOUR.secondary).text(block.caption, left, pdf.y, { width: contentWidth(pdf) })));
  pdf.fillColor(COLOUR.text).font('regular').fontSize(SIZE.small).moveDown(0.3);
  pdf.table({
    structParent: parent,
    position: { x: left, y: pdf.y },
    defaultStyle: { border: 0.5, borderColor: COLOUR.border, padding: 4 },
    data: [
      block.header.map((text) => ({ text, type: 'TH' as const, scope: 'column' as const, font: { src: 'bold' }, backgroundColor: COLOUR.headerFill })),
      ...block.rows.map((row) => block.header.map((_, index) => row[index] ?? '')),
    ],
  });
  pdf.x = left;
  pdf.fontSize(SIZE.body).moveDown(0.8);
};

const heading = (pdf: Pdf, parent: Parent, type: 'H1' | 'H2', text: string): void => {
  const left = pdf.page.margins.left;
  const size = type === 'H1' ? SIZE.title : SIZE.heading;
  // A heading keeps at least two lines of what follows on its page.
  ensureSpace(pdf, size * 1.6 + 3 * SIZE.body * 1.4);
  if (type === 'H2') {
    pdf.moveDown(0.6);
  }
  parent.add(pdf.struct(type, {}, () => pdf.font('bold').fontSize(size).fillColor(type === 'H1' ? COLOUR.text : COLOUR.heading).text(text, left, pdf.y, { width: contentWidth(pdf) })));
  pdf.fillColor(COLOUR.text).fontSize(SIZE.body).moveDown(0.4);
};

const plainParagraph = (pdf: Pdf, parent: Parent, text: string, style: { font: FontName; size: number; colour: string }): void => {
  const left = pdf.page.margins.left;
  parent.add(pdf.struct('P', {}, () => pdf.font(style.font).fontSize(style.size).fillColor(style.colour).text(text, left, pdf.y, { width: contentWidth(pdf), lineGap: LINE_GAP })));
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
      table(pdf, parent, content);
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
    for (const [name, font] of Object.entries(fonts())) {
      pdf.registerFont(name, font);
    }
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    try {
      // Before any text: pdfkit's default Helvetica (not embedded) is loaded but never used, so never written.
      pdf.font('regular').fontSize(SIZE.body).fillColor(COLOUR.text);
      write(pdf, document);
      pdf.end();
    } catch (error) {
      // A half-written document is of no use: report the cause to the caller.
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
