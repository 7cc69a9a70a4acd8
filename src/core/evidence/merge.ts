import type { RecordFields } from './record.js';

type TextField = 'abstract' | 'journal' | 'volume' | 'issue' | 'pages' | 'doi' | 'pmid' | 'pmcid' | 'url' | 'language' | 'sourceDatabase' | 'issn' | 'publisher' | 'referenceType';
const textFields: TextField[] = ['abstract', 'journal', 'volume', 'issue', 'pages', 'doi', 'pmid', 'pmcid', 'url', 'language', 'sourceDatabase', 'issn', 'publisher', 'referenceType'];
const listFields = ['publicationTypes', 'keywords', 'meshTerms'] as const;

const union = (left: readonly string[], right: readonly string[]): string[] => {
  const seen = new Set(left.map((item) => item.toLowerCase()));
  return [...left, ...right.filter((item) => !seen.has(item.toLowerCase()))];
};

/**
 * Merges two records of the same work keeping the richest fields: for each field the longer value
 * (an abstract beats none, a full author list beats a truncated one), lists united without
 * duplicates. `keep` wins ties, so merging is stable.
 */
export const mergeFields = (keep: RecordFields, other: RecordFields): RecordFields => {
  const merged: RecordFields = { ...keep, authors: keep.authors.length >= other.authors.length ? keep.authors : other.authors };
  merged.title = other.title.length > keep.title.length && other.title.toLowerCase().startsWith(keep.title.toLowerCase().replace(/\.$/, '')) ? other.title : keep.title;
  merged.year = keep.year ?? other.year;
  for (const field of textFields) {
    const left = keep[field];
    const right = other[field];
    merged[field] = right !== undefined && (left === undefined || right.length > left.length) ? right : left;
  }
  for (const field of listFields) {
    merged[field] = union(keep[field], other[field]);
  }
  merged.label = keep.label ?? other.label;
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as unknown as RecordFields;
};
