/** Small helpers every importer uses so that records look the same whatever their source. */

/** Whitespace that `cleanText` must fold: a run, or any whitespace other than a plain space. */
const foldableWhitespace = /\s\s|[^\S ]/;

/** Trims and folds runs of whitespace; undefined for empty text. */
export const cleanText = (text: string | undefined): string | undefined => {
  // Most values (names, terms) have nothing to fold; testing first avoids rebuilding them, which
  // makes this about three times faster on them (it is called for nearly every imported field).
  const cleaned = text !== undefined && foldableWhitespace.test(text) ? text.replace(/\s+/g, ' ').trim() : text?.trim();
  return cleaned ? cleaned : undefined;
};

/** A DOI bare and lower-case: strips `doi:`, `https://doi.org/` and trailing punctuation. */
export const normaliseDoi = (text: string | undefined): string | undefined => {
  const match = text?.trim().match(/10\.\d{4,9}\/\S+/i);
  return match ? match[0].replace(/[.,;]+$/, '').toLowerCase() : undefined;
};

/** Digits only, no leading zeros beyond what PubMed writes. */
export const normalisePmid = (text: string | undefined): string | undefined => {
  const match = text?.match(/\d{1,9}/);
  return match ? String(Number(match[0])) : undefined;
};

export const normalisePmcid = (text: string | undefined): string | undefined => {
  const match = text?.match(/PMC\s*(\d+)/i) ?? text?.match(/^\s*(\d+)\s*$/);
  return match ? `PMC${match[1]}` : undefined;
};

/** The first plausible four-digit year (1500–2100) in the text. */
export const parseYear = (text: string | undefined): number | undefined => {
  const match = text?.match(/(?<!\d)(1[5-9]\d\d|20\d\d|2100)(?!\d)/);
  return match ? Number(match[1]) : undefined;
};

/** Adds items to a list, skipping empties and duplicates (case-sensitive), in order. */
export const pushUnique = (list: string[], ...items: (string | undefined)[]): void => {
  for (const item of items) {
    const cleaned = cleanText(item);
    if (cleaned && !list.includes(cleaned)) {
      list.push(cleaned);
    }
  }
};

/**
 * An ISSN as `NNNN-NNNX` from text such as `03064530 (ISSN)` or `1536-5964 0025-7974` (the first one);
 * undefined when there is none. The digits may not continue on either side, so an ISBN such as
 * `978-1-4822-5326-9` is not mistaken for one.
 */
export const normaliseIssn = (text: string | undefined): string | undefined => {
  const match = text?.match(/(?<![\dXx])(?<![\dXx]-)(\d{4})-?(\d{3}[\dXx])(?![\dXx]|-\d)/);
  return match ? `${match[1]}-${match[2]?.toUpperCase()}` : undefined;
};

/**
 * A DOI only when the text is unmistakably one: a doi.org link, a `doi:` prefix, a PubMed `[doi]`
 * suffix, or nothing but a DOI. Used for fields that usually hold something else (URLs, notes), where
 * `normaliseDoi` would pick up a DOI merely mentioned in a citation or a link-resolver query.
 */
export const explicitDoi = (text: string | undefined): string | undefined => {
  // PubMed writes `10.1000/xyz [doi]` in AID/LID; the suffix is not part of the DOI.
  const trimmed = text?.trim().replace(/\s*\[doi\]$/i, '');
  if (!trimmed) {
    return undefined;
  }
  const link = trimmed.match(/^(?:https?:)?\/\/(?:dx\.)?doi\.org\/(10\.\d{4,9}\/\S+)$/i);
  if (link?.[1]) {
    return normaliseDoi(decodePercent(link[1]));
  }
  const explicit = trimmed.match(/^doi:\s*(10\.\d{4,9}\/\S+)$/i) ?? trimmed.match(/^(10\.\d{4,9}\/\S+)$/);
  return explicit?.[1] ? normaliseDoi(explicit[1]) : undefined;
};

const decodePercent = (text: string): string => {
  if (!text.includes('%')) {
    return text;
  }
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray `%` that is not an escape (malformed URI): the text is still the best DOI we have.
    return text;
  }
};

/** The PMID named by a PubMed or Europe PMC article link, if the URL is one. */
export const pmidFromUrl = (url: string | undefined): string | undefined => {
  const match = url?.match(/(?:pubmed\.ncbi\.nlm\.nih\.gov\/|ncbi\.nlm\.nih\.gov\/pubmed\/|europepmc\.org\/(?:abstract|article)\/MED\/)(\d{1,9})(?!\d)/i);
  return match ? normalisePmid(match[1]) : undefined;
};

/** The PMCID named by a PubMed Central or Europe PMC article link, if the URL is one. */
export const pmcidFromUrl = (url: string | undefined): string | undefined => {
  const match = url?.match(/(?:ncbi\.nlm\.nih\.gov\/pmc\/articles\/|europepmc\.org\/(?:articles|article\/PMC)\/|pmc\.ncbi\.nlm\.nih\.gov\/articles\/)(PMC\d+)/i);
  return match ? normalisePmcid(match[1]) : undefined;
};

/**
 * Splits a keyword list. Sources disagree on the separator, so `;` wins when the text has one
 * (MeSH-style terms keep their commas: "Models, Theoretical; Humans"), otherwise `,`. A separator
 * inside parentheses or brackets does not split, because Embase writes "cyst (diagnosis, surgery)".
 */
export const splitKeywords = (text: string | undefined): string[] => {
  const list: string[] = [];
  if (!text) {
    return list;
  }
  const separator = text.includes(';') ? ';' : ',';
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '(' || char === '[') {
      depth += 1;
    } else if ((char === ')' || char === ']') && depth > 0) {
      depth -= 1;
    } else if (char === separator && depth === 0) {
      pushUnique(list, text.slice(start, index));
      start = index + 1;
    }
  }
  pushUnique(list, text.slice(start));
  return list;
};

/**
 * Like `cleanText`, but keeps paragraph breaks as a single `\n`. `breaks` says what separates
 * paragraphs in the source: any line break by default; BibTeX passes a blank line, since a single
 * newline there is only wrapping.
 */
export const cleanParagraphs = (text: string | undefined, breaks: RegExp = /\s*\n\s*/): string | undefined => {
  const paragraphs: string[] = [];
  for (const paragraph of text?.split(breaks) ?? []) {
    const cleaned = cleanText(paragraph);
    if (cleaned) {
      paragraphs.push(cleaned);
    }
  }
  return paragraphs.length > 0 ? paragraphs.join('\n') : undefined;
};

/**
 * A screening label as screening tools write it: 1/0 (also pandas' 1.0/0.0), yes/no, true/false,
 * included/excluded. ASReview writes -1 or leaves the cell empty for unlabelled records; those and
 * anything unrecognised are undefined.
 */
export const parseLabel = (text: string | undefined): boolean | undefined => {
  switch (text?.trim().toLowerCase()) {
    case '1':
    case '1.0':
    case 'y':
    case 'yes':
    case 'true':
    case 'include':
    case 'included':
      return true;
    case '0':
    case '0.0':
    case 'n':
    case 'no':
    case 'false':
    case 'exclude':
    case 'excluded':
      return false;
    default:
      return undefined;
  }
};

/** Copies the defined values of `fields` onto `record`, so that absent fields stay absent rather than `undefined`. */
export const assignDefined = <T extends object>(record: T, fields: Partial<T>): T => {
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) {
      Object.assign(record, { [name]: value });
    }
  }
  return record;
};
