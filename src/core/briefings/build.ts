import type { EvidenceRecord } from '../evidence/types.js';
import type { BriefingDocument, CitationStyle } from './document.js';
import { blocksOf, citedNumbers } from './markup.js';
import { templateDefinitions } from './templates.js';
import type { Briefing, Section } from './types.js';

/** Formats references and in-text labels in a citation style (citation-js in the adapters). */
export interface ReferenceFormatter {
  format(records: readonly EvidenceRecord[], style: CitationStyle): { references: string[]; inTextLabels: string[] };
}

const audienceNotes: Record<Briefing['template'], string | undefined> = {
  decision: undefined,
  practitioner: undefined,
  public: 'A plain-language summary for patients, carers and the public.',
  board: undefined,
};

/**
 * The briefing as a document: sections in the template's order, citations renumbered in order of
 * first appearance, and references for exactly the records cited (every record of the evidence list
 * when none is cited yet).
 */
export const buildDocument = (
  input: { briefing: Briefing; sections: Section[]; records: readonly EvidenceRecord[]; authors: string[]; date: string; needReference: string | undefined; subtitle: string },
  formatter: ReferenceFormatter,
): BriefingDocument => {
  const { briefing, sections, records } = input;
  const byId = new Map(records.map((record) => [record.id as string, record]));
  const listed = briefing.recordIds.map((id) => byId.get(id)).filter((record): record is EvidenceRecord => record !== undefined);
  const order: number[] = [];
  for (const section of sections) {
    for (const number of citedNumbers(section.body)) {
      if (number <= listed.length && !order.includes(number)) {
        order.push(number);
      }
    }
  }
  const referenced = order.length > 0 ? order.map((number) => listed[number - 1] as EvidenceRecord) : listed;
  const renumber = (listNumber: number): number | undefined => {
    const at = order.indexOf(listNumber);
    return at === -1 ? undefined : at + 1;
  };
  const { references, inTextLabels } = formatter.format(referenced, briefing.citationStyle);
  return {
    title: briefing.title,
    subtitle: input.subtitle,
    authors: input.authors,
    date: input.date,
    needReference: input.needReference,
    language: 'en-GB',
    sections: sections.filter((section) => section.body.trim() !== '').map((section) => ({ key: section.key, heading: section.heading, blocks: blocksOf(section.body, renumber) })),
    citationStyle: briefing.citationStyle,
    references,
    inTextLabels,
    audienceNote: audienceNotes[briefing.template],
  };
};

/** Empty sections of a template, in order, for a new briefing. */
export const emptySections = (template: Briefing['template']): Section[] => templateDefinitions[template].sections.map(({ key, heading }) => ({ key, heading, body: '' }));
