/**
 * The parts of citation-js (which ships no types) that citations.ts uses: the CSL plugin's
 * configuration, whose `engine` is a citeproc-js engine prepared for a style and locale.
 */
declare module '@citation-js/core' {
  /** A CSL-JSON item, as citeproc-js reads it. */
  export interface CslItem {
    id: string;
    type: string;
    title?: string;
    author?: ({ family: string; given?: string } | { literal: string })[];
    issued?: { 'date-parts': number[][] };
    'container-title'?: string;
    volume?: string;
    issue?: string;
    page?: string;
    DOI?: string;
    PMID?: string;
    PMCID?: string;
    URL?: string;
    ISSN?: string;
    publisher?: string;
  }

  export interface CslCitation {
    citationID: string;
    citationItems: { id: string }[];
    properties: { noteIndex: number };
  }

  /** citeproc-js `CSL.Engine`. */
  export interface CslEngine {
    updateItems(ids: string[], noSort?: boolean): string[];
    /** One `[citationID, noteIndex, text]` per citation, in the order given. */
    rebuildProcessorState(citations: CslCitation[], format: 'text' | 'html', uncited: string[]): [string, number, string][];
    makeBibliography(): [{ entry_ids: string[][] }, string[]] | false;
  }

  export interface Register<T> {
    has(key: string): boolean;
    get(key: string): T | undefined;
    add(key: string, value: T): void;
  }

  export interface CslConfig {
    engine(data: CslItem[], style: string, locale: string, format: 'text' | 'html'): CslEngine;
    locales: Register<string>;
    templates: Register<string>;
  }

  export const plugins: {
    /** Undefined until `@citation-js/plugin-csl` is imported. */
    config: { get(name: '@csl'): CslConfig | undefined };
  };
}

declare module '@citation-js/plugin-csl';
