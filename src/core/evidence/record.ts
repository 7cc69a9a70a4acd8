/**
 * The bibliographic fields of an evidence record, as every importer produces them and every
 * exporter consumes them. Importers fill what the source has; everything but `title` is optional.
 * Conventions (all importers follow them, so de-duplication and export can rely on them):
 * - `authors`: "Family, Given" (or "Family, G." / a group name as given), in order.
 * - `year`: the four-digit publication year as a number.
 * - `doi`: bare and lower-case (`10.1000/xyz`), no `https://doi.org/` prefix; `pmid`: digits only;
 *   `pmcid`: `PMC` followed by digits.
 * - `pages`: `start-end` as given (`296-302`, `e0815`).
 * - lists have no empty or duplicate entries; text is trimmed, whitespace runs folded (abstracts
 *   may keep paragraph breaks as `\n`).
 */
export interface RecordFields {
  title: string;
  abstract?: string;
  authors: string[];
  year?: number;
  /** Journal, book or conference: where the work appeared. */
  journal?: string;
  volume?: string;
  issue?: string;
  pages?: string;
  doi?: string;
  pmid?: string;
  pmcid?: string;
  url?: string;
  /** As given by the source: ISO 639 code (`eng`, `en`) or a language name. */
  language?: string;
  publicationTypes: string[];
  keywords: string[];
  meshTerms: string[];
  /** The bibliographic database the record came from when the file says (Embase, MEDLINE, Scopus, …). */
  sourceDatabase?: string;
  issn?: string;
  publisher?: string;
  /** The source's own reference type (RIS `TY`, BibTeX entry type, EndNote ref-type), kept for export. */
  referenceType?: string;
  /** A screening label carried by the file (ASReview's `label_included`/`included`, RIS notes): true included, false excluded. */
  label?: boolean;
}

/** An empty record with the list fields present, for importers to fill. */
export const emptyRecord = (): RecordFields => ({ title: '', authors: [], publicationTypes: [], keywords: [], meshTerms: [] });

/** The bibliographic import formats, detected from content. */
export const importFormats = ['ris', 'medline', 'wos', 'pubmed-xml', 'endnote-xml', 'endnote-tagged', 'bibtex', 'csv', 'csl-json'] as const;
export type ImportFormat = (typeof importFormats)[number];

export const exportFormats = ['ris', 'csv', 'csl-json', 'bibtex'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** What a parser yields, in file order: a record, or a record that cannot be imported and why. */
export type ParseEvent =
  | { kind: 'record'; line: number; fields: RecordFields }
  | { kind: 'invalid'; line: number; message: string };
