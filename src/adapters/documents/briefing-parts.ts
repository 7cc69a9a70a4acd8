import type { BriefingDocument, Inline } from '../../core/briefings/document.js';
import { citationNumbers, inTextCitation } from './citations.js';

/** What the three briefing exporters (DOCX, PDF, HTML) share: dates, the byline, citations and the reference list. */

/** `2026-11-26` as "26 November 2026"; anything else as given. */
export const displayDate = (isoDate: string): string => {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? new Date(`${isoDate}T00:00:00Z`) : undefined;
  return date === undefined || Number.isNaN(date.getTime()) ? isoDate : new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
};

/** "A", "A and B", "A, B and C". */
export const joinNames = (names: readonly string[]): string => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`);

/** The lines under the title: who wrote it, when, and the need it answers. */
export const detailsOf = (document: BriefingDocument): string[] => [
  ...(document.authors.length > 0 ? [`Prepared by ${joinNames(document.authors)}`] : []),
  displayDate(document.date),
  ...(document.needReference !== undefined ? [`In answer to need ${document.needReference}`] : []),
];

export interface ListedReference {
  /** The number citations use (position in `document.references`). */
  number: number;
  text: string;
}

/** References as listed: in citation order for Vancouver, alphabetically for Harvard. */
export const listedReferences = (document: BriefingDocument): ListedReference[] => {
  const listed = document.references.map((text, index) => ({ number: index + 1, text }));
  return document.citationStyle === 'harvard' ? listed.sort((left, right) => left.text.localeCompare(right.text, 'en-GB')) : listed;
};

export type Run = { kind: 'text'; text: string; isStrong: boolean; isEmphasis: boolean } | { kind: 'cite'; numbers: number[]; text: string; isSuperscript: boolean };

/**
 * Inline content as runs to draw: Vancouver citations become superscript numbers set against the
 * word before them ("falls¹,²"), Harvard ones "(Smith et al., 2021)" in the line.
 */
export const runsOf = (content: readonly Inline[], document: BriefingDocument): Run[] => {
  const runs: Run[] = [];
  for (const inline of content) {
    if (inline.kind === 'text') {
      runs.push({ kind: 'text', text: inline.text, isStrong: inline.strong === true, isEmphasis: inline.emphasis === true });
      continue;
    }
    if (inline.numbers.length === 0) {
      continue;
    }
    const isSuperscript = document.citationStyle === 'vancouver';
    const previous = runs.at(-1);
    if (isSuperscript && previous?.kind === 'text') {
      previous.text = previous.text.replace(/\s+$/, '');
    }
    runs.push({
      kind: 'cite',
      numbers: inline.numbers,
      text: isSuperscript ? citationNumbers(inline.numbers).replace(/, /g, ',') : inTextCitation(inline.numbers, document.citationStyle, document.inTextLabels),
      isSuperscript,
    });
  }
  return runs;
};
