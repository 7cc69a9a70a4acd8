/**
 * A briefing as a document, independent of its format: the exporters (DOCX, PDF, accessible HTML)
 * and the page all render this one shape. Claims cite records by their number in `references`.
 */

/** Inline text: plain runs, emphasis, and citations of references by number (1-based). */
export type Inline = { kind: 'text'; text: string; strong?: boolean; emphasis?: boolean } | { kind: 'cite'; numbers: number[] };

/** How a table column's text is aligned, when the author chose (pipe tables: `:--`, `:-:`, `--:`). */
export type TableAlignment = 'left' | 'centre' | 'right';

export type Block =
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | {
      kind: 'table';
      /** Pipe tables have none; a table with one is named by it. */
      caption?: string | undefined;
      /** Column headers, then rows of cells: inline text, so cells cite and emphasise as paragraphs do. */
      header: Inline[][];
      rows: Inline[][][];
      /** One per column; undefined (or missing) leaves the exporter's default, the start of the line. */
      alignments?: (TableAlignment | undefined)[] | undefined;
    };

export interface DocumentSection {
  /** Stable key of the template's section (`bottom_line`), for styling and readability targets. */
  key: string;
  heading: string;
  blocks: Block[];
}

export type CitationStyle = 'vancouver' | 'harvard';

export interface BriefingDocument {
  title: string;
  /** E.g. "Decision briefing for the Adult Social Care commissioning board". */
  subtitle: string;
  /** Who wrote it and when (ISO date), and the need it answers. */
  authors: string[];
  date: string;
  needReference: string | undefined;
  /** BCP 47; briefings are written in British English. */
  language: 'en-GB';
  sections: DocumentSection[];
  citationStyle: CitationStyle;
  /** Formatted references in citation order; `cite` numbers point into this list. */
  references: string[];
  /** Harvard in-text labels, one per reference ("Smith et al., 2021"); Vancouver shows the numbers. */
  inTextLabels: string[];
  /** A plain-language summary is marked for the public; shown on the document. */
  audienceNote: string | undefined;
}

/** A table's number of columns: its header's, or its longest row's if that is longer (no cell goes undrawn). */
export const columnCountOf = (table: Extract<Block, { kind: 'table' }>): number => Math.max(1, table.header.length, ...table.rows.map((row) => row.length));
