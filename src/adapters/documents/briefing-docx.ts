import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  LevelFormat,
  PageNumber,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import { columnCountOf, type Block, type BriefingDocument, type Inline } from '../../core/briefings/document.js';
import { detailsOf, listedReferences, runsOf } from './briefing-parts.js';

/**
 * A briefing as a Word document with the `docx` package (docs/decisions/0008-briefing-exports-docx-pdfkit-citation-js.md):
 * real headings (Heading 1 for the title, Heading 2 for sections), Word lists, tables whose header
 * row repeats on every page, Vancouver citations as superscript numbers, and a References section.
 * The language (en-GB) is set on the document defaults, so Word spell-checks in British English.
 */

const FONT = 'Arial';
const LANGUAGE = { value: 'en-GB' } as const;
const NUMBERED = 'briefing-numbered';
const REFERENCES = 'briefing-references';

const runsFor = (content: readonly Inline[], document: BriefingDocument, isBold = false): ParagraphChild[] =>
  runsOf(content, document).map((run) =>
    run.kind === 'text' ? new TextRun({ text: run.text, bold: isBold || run.isStrong, italics: run.isEmphasis }) : new TextRun({ text: run.text, superScript: run.isSuperscript, bold: isBold }),
  );

const alignments = { left: AlignmentType.LEFT, centre: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;

const tableOf = (block: Extract<Block, { kind: 'table' }>, document: BriefingDocument): (Paragraph | Table)[] => {
  // Every cell is written, even in a row longer than the header (the header gets empty cells).
  const columns = Array.from({ length: columnCountOf(block) }, (_, index) => index);
  const cell = (content: readonly Inline[], index: number, isHeader: boolean) => {
    const alignment = block.alignments?.[index];
    return new TableCell({
      children: [new Paragraph({ children: runsFor(content, document, isHeader), ...(alignment === undefined ? {} : { alignment: alignments[alignment] }) })],
      margins: { top: 60, bottom: 60, left: 100, right: 100 },
    });
  };
  return [
    ...(block.caption === undefined ? [] : [new Paragraph({ style: 'Caption', keepNext: true, children: [new TextRun(block.caption)] })]),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, cantSplit: true, children: columns.map((index) => cell(block.header[index] ?? [], index, true)) }),
        ...block.rows.map((row) => new TableRow({ cantSplit: true, children: columns.map((index) => cell(row[index] ?? [], index, false)) })),
      ],
    }),
    new Paragraph({ children: [] }),
  ];
};

const blockOf = (block: Block, document: BriefingDocument, listCount: { value: number }): (Paragraph | Table)[] => {
  switch (block.kind) {
    case 'paragraph':
      return [new Paragraph({ children: runsFor(block.content, document) })];
    case 'list': {
      listCount.value += 1;
      const instance = listCount.value;
      return block.items.map(
        (item) =>
          new Paragraph({
            children: runsFor(item, document),
            ...(block.ordered ? { numbering: { reference: NUMBERED, level: 0, instance } } : { bullet: { level: 0 } }),
          }),
      );
    }
    case 'table':
      return tableOf(block, document);
  }
};

const referencesOf = (document: BriefingDocument): Paragraph[] => {
  if (document.references.length === 0) {
    return [];
  }
  const isNumbered = document.citationStyle === 'vancouver';
  return [
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('References')] }),
    ...listedReferences(document).map(
      (reference) =>
        new Paragraph({
          children: [new TextRun(reference.text)],
          ...(isNumbered ? { numbering: { reference: REFERENCES, level: 0 } } : { indent: { left: 360, hanging: 360 } }),
          spacing: { after: 80 },
        }),
    ),
  ];
};

/** The briefing as a .docx file. */
export const renderBriefingDocx = async (document: BriefingDocument): Promise<Buffer> => {
  const listCount = { value: 0 };
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(document.title)] }),
    ...(document.subtitle !== '' ? [new Paragraph({ children: [new TextRun({ text: document.subtitle, size: 28 })] })] : []),
    ...detailsOf(document).map((line) => new Paragraph({ children: [new TextRun({ text: line, color: '4C6272' })] })),
    ...(document.audienceNote !== undefined ? [new Paragraph({ children: [new TextRun({ text: document.audienceNote, bold: true })] })] : []),
    ...document.sections.flatMap((section) => [
      new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(section.heading)] }),
      ...section.blocks.flatMap((block) => blockOf(block, document, listCount)),
    ]),
    ...referencesOf(document),
  ];
  const decimal = (reference: string) => ({
    reference,
    levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START, style: { paragraph: { indent: { left: 720, hanging: 360 } } } }],
  });
  const file = new Document({
    title: document.title,
    subject: document.subtitle,
    creator: document.authors.length > 0 ? document.authors.join(', ') : 'Mobilise',
    description: document.audienceNote ?? document.subtitle,
    lastModifiedBy: 'Mobilise',
    styles: {
      default: {
        document: { run: { font: FONT, size: 24, language: LANGUAGE }, paragraph: { spacing: { after: 120, line: 300 } } },
        heading1: { run: { font: FONT, size: 40, bold: true, color: '212B32' }, paragraph: { spacing: { after: 160 } } },
        heading2: { run: { font: FONT, size: 30, bold: true, color: '005EB8' }, paragraph: { spacing: { before: 320, after: 120 }, keepNext: true } },
      },
    },
    numbering: { config: [decimal(NUMBERED), decimal(REFERENCES)] },
    // "Page N of M" at the foot of every page, as in the PDF (Word fills the fields in as it lays out).
    sections: [
      {
        children,
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ size: 18, children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] })] })],
          }),
        },
      },
    ],
  });
  return Packer.toBuffer(file);
};
