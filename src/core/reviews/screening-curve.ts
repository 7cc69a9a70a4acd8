import { stoppingGuidance, type StoppingGuidance } from '../screening/stopping.js';
import { counted } from '../shared/text.js';
import { trainingLabels } from './screening-state.js';
import type { Resolution, ScreeningDecision } from './types.js';

/** Title-and-abstract screening as the stopping rules read it. */
export interface ScreeningSequence {
  /** Records in the order they were first screened, each 1 if the team included it in the end, else 0. */
  labels: number[];
  /** How many came before the model ordered any (file or protocol order, or picked by hand). */
  seedDecisions: number;
}

/**
 * The records screened at title and abstract in the order they were first screened, each labelled
 * with what the team decided about it in the end (relevant or not). Records screened before the
 * model ordered any are the seed: the stopping rules discount them, or a hand-placed first
 * inclusion would end screening early.
 */
export const screeningSequence = (decisions: readonly ScreeningDecision[], resolutions: readonly Resolution[]): ScreeningSequence => {
  const final = trainingLabels(decisions, resolutions);
  const seen = new Set<string>();
  const labels: number[] = [];
  let seedDecisions: number | undefined;
  for (const decision of [...decisions].sort((a, b) => a.id - b.id)) {
    if (decision.stage !== 'title_abstract' || seen.has(decision.recordId) || !final.has(decision.recordId)) {
      continue;
    }
    if (seedDecisions === undefined && /^(nb|logistic)-v\d+$/.test(decision.modelVersion ?? '')) {
      seedDecisions = labels.length;
    }
    seen.add(decision.recordId);
    labels.push(final.get(decision.recordId) ? 1 : 0);
  }
  return { labels, seedDecisions: seedDecisions ?? labels.length };
};

/** Stopping guidance at title and abstract, from the screening sequence. */
export const guidanceOf = ({ labels, seedDecisions }: ScreeningSequence, totalRecords: number): StoppingGuidance => stoppingGuidance(labels, totalRecords, { seedDecisions });

/** Stopping guidance at title and abstract, from the review's decisions. */
export const guidanceFor = (decisions: readonly ScreeningDecision[], resolutions: readonly Resolution[], totalRecords: number): StoppingGuidance =>
  guidanceOf(screeningSequence(decisions, resolutions), totalRecords);

/** A point of the gain curve: records screened, inclusions found by then. */
export type CurvePoint = readonly [screened: number, found: number];

/**
 * The gain curve of title-and-abstract screening (inclusions found against records screened, in
 * the order screened), with what the knee method reads off it: what the overview draws beside the
 * stopping guidance. The curve is a staircase, so it is kept as its corners: the start, each
 * inclusion, and the last record screened.
 */
export interface ScreeningCurve {
  screened: number;
  included: number;
  totalRecords: number;
  seedDecisions: number;
  /** Inclusions among the seed decisions. */
  seedIncluded: number;
  points: CurvePoint[];
  /** The point farthest above the straight line the knee method draws (from the end of the seed to the last point). */
  knee: CurvePoint | undefined;
  /** Where that straight line starts. */
  lineFrom: CurvePoint;
  /** Records screened since the last inclusion. */
  sinceLastInclusion: number;
  /** Up to ten evenly spaced points, for the table beside the chart: screened, found, found since the previous row. */
  rows: { screened: number; found: number; foundInStretch: number }[];
  title: string;
  /** The curve in words, for those who cannot see the chart. */
  description: string;
}

export const screeningCurve = (sequence: ScreeningSequence, guidance: StoppingGuidance, totalRecords: number): ScreeningCurve => {
  const { labels, seedDecisions } = sequence;
  const points: CurvePoint[] = [[0, 0]];
  const foundAfter: number[] = [];
  let found = 0;
  let lastInclusionAt: number | undefined;
  labels.forEach((label, index) => {
    if (label === 1) {
      found += 1;
      lastInclusionAt = index + 1;
      points.push([index + 1, found]);
    }
    foundAfter.push(found);
  });
  const screened = labels.length;
  if (screened > 0 && points.at(-1)?.[0] !== screened) {
    points.push([screened, found]);
  }
  const seedIncluded = seedDecisions > 0 ? (foundAfter[seedDecisions - 1] ?? 0) : 0;
  const kneeAt = guidance.knee.kneeAt;
  const knee: CurvePoint | undefined = kneeAt !== undefined && kneeAt > seedDecisions && kneeAt < screened ? [kneeAt, foundAfter[kneeAt - 1] ?? 0] : undefined;
  const rowCount = Math.min(10, screened);
  const rows: ScreeningCurve['rows'] = [];
  let previous = 0;
  for (let row = 1; row <= rowCount; row += 1) {
    const at = Math.round((row * screened) / rowCount);
    const foundThen = foundAfter[at - 1] ?? 0;
    rows.push({ screened: at, found: foundThen, foundInStretch: foundThen - previous });
    previous = foundThen;
  }
  const sentences =
    screened === 0
      ? ['No record has been screened yet.']
      : [
          `${counted(screened, 'record')} of ${totalRecords.toLocaleString('en-GB')} screened at title and abstract, ${counted(found, 'inclusion')} found` +
            (lastInclusionAt === undefined ? '.' : `, the last at record ${lastInclusionAt.toLocaleString('en-GB')} (${counted(screened - lastInclusionAt, 'record')} since).`),
          ...(seedDecisions > 0 && seedDecisions < screened ? [`The first ${counted(seedDecisions, 'decision')} came before the model ordered the records, and the knee method leaves them out.`] : []),
          ...(seedDecisions === screened ? ['All of them came before the model ordered the records (it needs an inclusion and an exclusion first), so the knee method has nothing to read yet.'] : []),
          ...(knee
            ? [
                `The curve bends at record ${knee[0].toLocaleString('en-GB')}, with ${counted(knee[1], 'inclusion')} found by then: the knee method’s knee, the point of the curve farthest above the straight (dashed) line from the end of the seed decisions to the last record screened; inclusions came ${guidance.knee.slopeRatio?.toFixed(1) ?? '?'} times faster before it than after.`,
              ]
            : seedDecisions === screened
              ? []
              : ['The knee method finds no knee in the curve yet.']),
        ];
  return {
    screened,
    included: found,
    totalRecords,
    seedDecisions,
    seedIncluded,
    points,
    knee,
    lineFrom: [Math.min(seedDecisions, screened), seedIncluded],
    sinceLastInclusion: guidance.sinceLastInclusion,
    rows,
    title: 'Inclusions found as titles and abstracts were screened',
    description: sentences.join(' '),
  };
};
