/** Small helpers every importer uses so that records look the same whatever their source. */

/** Trims and folds runs of whitespace; undefined for empty text. */
export const cleanText = (text: string | undefined): string | undefined => {
  const cleaned = text?.replace(/\s+/g, ' ').trim();
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
