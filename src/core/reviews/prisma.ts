import { z } from 'zod';
import type { StageCounts } from './screening-state.js';
import type { ReviewBatch, Stage } from './types.js';

/**
 * The boxes of the PRISMA 2020 flow diagram for new systematic reviews which included searches of
 * databases and registers only (Page MJ et al. BMJ 2021;372:n71, figure 1), plus its heading. Records
 * the team added from the Mobilise library count as one more source in "Records identified". Of the
 * template's "Records removed before screening", duplicates (`removed`) and records removed for other
 * reasons (`removedOther`: invalid records skipped at import) are counted; no automation tool marks
 * records ineligible before screening here.
 */
export const prismaBoxes = ['heading', 'identified', 'removed', 'removedOther', 'screened', 'excludedScreening', 'sought', 'notRetrieved', 'assessed', 'excludedReports', 'included'] as const;
export type PrismaBox = (typeof prismaBoxes)[number];

/** The template's wording; a review lead may reword any box (the numbers always come from the review). */
export const defaultPrismaLabels: Record<PrismaBox, string> = {
  heading: 'Identification of studies via databases, registers and other sources',
  identified: 'Records identified',
  removed: 'Duplicate records removed before screening',
  removedOther: 'Records removed for other reasons',
  screened: 'Records screened',
  excludedScreening: 'Records excluded',
  sought: 'Reports sought for retrieval',
  notRetrieved: 'Reports not retrieved',
  assessed: 'Reports assessed for eligibility',
  excludedReports: 'Reports excluded',
  included: 'Studies included in review',
};

/** The phases down the left of the diagram, as in the template. */
export const prismaPhases = { identification: 'Identification', screening: 'Screening', included: 'Included' } as const;

export const MAX_PRISMA_LABEL = 200;

/** A source name when the import gave none. */
export const UNNAMED_SOURCE = 'Source not named';

export interface PrismaCounts {
  /** Records identified (every record of every import, before de-duplication, invalid ones skipped included), by source name. */
  identified: { total: number; bySource: { source: string; count: number }[] };
  /** Duplicates found on import plus duplicates merged later on the review's duplicates page. */
  duplicatesRemoved: number;
  /** Records removed before screening for other reasons: invalid records skipped at import (no title, say). */
  removedForOtherReasons: number;
  screened: number;
  excludedAtScreening: number;
  sought: number;
  notRetrieved: number;
  assessed: number;
  excludedReports: { total: number; byReason: { reason: string; count: number }[] };
  included: number;
  /** Records without a final decision yet (still to screen, or in conflict), by stage: the diagram is provisional while any remain. */
  pending: Record<Stage, number>;
}

/** What the counts are made from: `reviews.getPrisma` reads just this (the review overview has it too). */
export interface PrismaSource {
  batches: readonly Pick<ReviewBatch & { parsed: number }, 'sourceDatabase' | 'parsed' | 'duplicates' | 'skipped'>[];
  mergedAfterImport: number;
  stages: Record<Stage, StageCounts>;
}

/** The PRISMA 2020 counts of a review, from its import batches and screening state. */
export const prismaCounts = ({ batches, mergedAfterImport, stages }: PrismaSource): PrismaCounts => {
  // A record skipped as invalid was still found by the search: identified, then removed before screening.
  const found = (batch: PrismaSource['batches'][number]) => batch.parsed + batch.skipped;
  const bySource = new Map<string, number>();
  for (const batch of batches) {
    const source = batch.sourceDatabase?.trim() || UNNAMED_SOURCE;
    bySource.set(source, (bySource.get(source) ?? 0) + found(batch));
  }
  const titleAbstract = stages.title_abstract;
  const fullText = stages.full_text;
  return {
    identified: { total: batches.reduce((sum, batch) => sum + found(batch), 0), bySource: [...bySource].map(([source, count]) => ({ source, count })) },
    duplicatesRemoved: batches.reduce((sum, batch) => sum + batch.duplicates, 0) + mergedAfterImport,
    removedForOtherReasons: batches.reduce((sum, batch) => sum + batch.skipped, 0),
    screened: titleAbstract.records,
    excludedAtScreening: titleAbstract.excluded,
    sought: fullText.records,
    notRetrieved: fullText.notRetrieved,
    assessed: fullText.records - fullText.notRetrieved,
    excludedReports: { total: fullText.excluded, byReason: fullText.excludedByReason.map(({ reason, count }) => ({ reason, count })) },
    included: fullText.included,
    pending: { title_abstract: titleAbstract.toScreen + titleAbstract.conflicts, full_text: fullText.toScreen + fullText.conflicts },
  };
};

/** Every box's label: the team's wording where it has one, the template's elsewhere. */
export const prismaLabels = (custom: Readonly<Record<string, string>>): Record<PrismaBox, string> => {
  const labels = { ...defaultPrismaLabels };
  for (const box of prismaBoxes) {
    const label = custom[box]?.trim();
    if (label) {
      labels[box] = label;
    }
  }
  return labels;
};

const label = () => z.string().trim().max(MAX_PRISMA_LABEL, `Keep the label to ${MAX_PRISMA_LABEL} characters or fewer`).default('');

/** The labels form: one text per box; an empty one (or the template's wording) restores the default. */
export const prismaLabelsInputSchema = z.object({
  heading: label(),
  identified: label(),
  removed: label(),
  removedOther: label(),
  screened: label(),
  excludedScreening: label(),
  sought: label(),
  notRetrieved: label(),
  assessed: label(),
  excludedReports: label(),
  included: label(),
} satisfies Record<PrismaBox, unknown>);
export type PrismaLabelsInput = z.infer<typeof prismaLabelsInputSchema>;

/** The labels to store: only those that differ from the template. */
export const customPrismaLabels = (input: Partial<Record<PrismaBox, string>>): Record<string, string> => {
  const labels: Record<string, string> = {};
  for (const box of prismaBoxes) {
    const text = input[box]?.trim() ?? '';
    if (text !== '' && text !== defaultPrismaLabels[box]) {
      labels[box] = text;
    }
  }
  return labels;
};
