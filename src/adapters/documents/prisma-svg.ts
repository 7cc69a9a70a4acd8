import { prismaPhases, type PrismaBox, type PrismaCounts } from '../../core/reviews/prisma.js';
import { stageLabels } from '../../core/reviews/types.js';
import { counted } from '../../core/shared/text.js';
import { measureText, words, wrapTokens } from './text-measure.js';

/**
 * The PRISMA 2020 flow diagram (Page MJ et al. BMJ 2021;372:n71, figure 1) as a self-contained SVG:
 * no external fonts, images or styles (pages have a strict Content Security Policy, and the PNG is
 * rendered from the same text). Phases run down the left; the main boxes down the middle, each with an
 * arrow to the next and to the side box of records that left at that step.
 */

export interface PrismaDiagram {
  counts: PrismaCounts;
  labels: Record<PrismaBox, string>;
  /** What the diagram is of, for its accessible title (e.g. "RV-0001: Home exercise and falls"). */
  subject: string;
}

/** The first family is the font bundled for PNGs; browsers fall back to the NHS.UK stack. */
export const PRISMA_FONT_FAMILY = "'Source Sans 3', Frutiger, Arial, Helvetica, sans-serif";

const WIDTH = 880;
const MARGIN = 16;
const PHASE_X = MARGIN;
const PHASE_WIDTH = 30;
const MAIN_X = 62;
const MAIN_WIDTH = 380;
const SIDE_X = 486;
const SIDE_WIDTH = WIDTH - MARGIN - SIDE_X;
const FONT_SIZE = 14;
const LINE = 18;
const PADDING = 10;
const ROW_GAP = 36;
const INK = '#212b32';

/** Characters XML 1.0 does not allow (control characters, lone surrogates) are dropped; markup characters escaped. */
export const escapeXml = (text: string): string =>
  text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[character] ?? character);

const numberFormat = new Intl.NumberFormat('en-GB');
const count = (value: number) => `(n = ${numberFormat.format(value)})`;

interface Line {
  text: string;
  isBold: boolean;
}

interface Box {
  label: string;
  value: number;
  /** A breakdown of the box's number (by source, by reason), in plain type. */
  details?: { text: string; value: number }[] | undefined;
  /** Further counts of their own in the same box, in bold like its first (the template's "Records removed before screening"). */
  others?: { label: string; value: number }[] | undefined;
}

const boxLines = (box: Box, width: number): Line[] => {
  const inner = width - 2 * PADDING;
  const lines = wrapTokens([...words(box.label), count(box.value)], inner, FONT_SIZE, true).map((text) => ({ text, isBold: true }));
  for (const detail of box.details ?? []) {
    lines.push(...wrapTokens([...words(detail.text), count(detail.value)], inner, FONT_SIZE).map((text) => ({ text, isBold: false })));
  }
  for (const other of box.others ?? []) {
    lines.push(...wrapTokens([...words(other.label), count(other.value)], inner, FONT_SIZE, true).map((text) => ({ text, isBold: true })));
  }
  return lines;
};

const heightOf = (lines: readonly Line[]) => 2 * PADDING + lines.length * LINE;

const textLines = (lines: readonly Line[], x: number, top: number): string =>
  lines
    .map(
      (line, index) =>
        `<text x="${x}" y="${top + PADDING + (index + 1) * LINE - 5}"${line.isBold ? ' font-weight="bold"' : ''}>${escapeXml(line.text)}</text>`,
    )
    .join('');

const rect = (x: number, y: number, width: number, height: number, fill = '#ffffff') =>
  `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="${fill}" stroke="${INK}" stroke-width="1.5"/>`;

/** A line with a filled arrowhead at its end (drawn, not a marker, so every renderer shows it). */
const arrow = (x1: number, y1: number, x2: number, y2: number) => {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const size = 8;
  const point = (offset: number) => `${(x2 - size * Math.cos(angle + offset)).toFixed(1)},${(y2 - size * Math.sin(angle + offset)).toFixed(1)}`;
  const shaftEnd = { x: x2 - (size - 1) * Math.cos(angle), y: y2 - (size - 1) * Math.sin(angle) };
  return `<line x1="${x1}" y1="${y1}" x2="${shaftEnd.x.toFixed(1)}" y2="${shaftEnd.y.toFixed(1)}" stroke="${INK}" stroke-width="1.5"/><polygon points="${x2},${y2} ${point(0.45)} ${point(-0.45)}" fill="${INK}"/>`;
};

type Phase = keyof typeof prismaPhases;

const rowsOf = ({ counts, labels }: PrismaDiagram): { phase: Phase; main: Box; side?: Box }[] => [
  {
    phase: 'identification',
    main: { label: labels.identified, value: counts.identified.total, details: counts.identified.bySource.map(({ source, count: value }) => ({ text: source, value })) },
    side: { label: labels.removed, value: counts.duplicatesRemoved, others: [{ label: labels.removedOther, value: counts.removedForOtherReasons }] },
  },
  { phase: 'screening', main: { label: labels.screened, value: counts.screened }, side: { label: labels.excludedScreening, value: counts.excludedAtScreening } },
  { phase: 'screening', main: { label: labels.sought, value: counts.sought }, side: { label: labels.notRetrieved, value: counts.notRetrieved } },
  {
    phase: 'screening',
    main: { label: labels.assessed, value: counts.assessed },
    side: { label: labels.excludedReports, value: counts.excludedReports.total, details: counts.excludedReports.byReason.map(({ reason, count: value }) => ({ text: reason, value })) },
  },
  { phase: 'included', main: { label: labels.included, value: counts.included, details: [{ text: 'Reports of included studies', value: counts.included }] } },
];

/** Sentences saying what the diagram shows, for `<desc>` (and so for screen readers). */
export const prismaDescription = (diagram: PrismaDiagram): string => {
  const sentences = rowsOf(diagram).flatMap(({ main, side }) =>
    [main, ...(side ? [side] : [])].flatMap((box) => [
      `${box.label}: ${box.value}${box.details && box.details.length > 0 ? ` (${box.details.map((detail) => `${detail.text}: ${detail.value}`).join('; ')})` : ''}.`,
      ...(box.others ?? []).map((other) => `${other.label}: ${other.value}.`),
    ]),
  );
  return [...sentences, ...pendingNotes(diagram.counts)].join(' ');
};

const pendingNotes = (counts: PrismaCounts): string[] =>
  (['title_abstract', 'full_text'] as const).flatMap((stage) =>
    counts.pending[stage] > 0
      ? [`Screening is not finished: ${counted(counts.pending[stage], 'record')} at ${stageLabels[stage].toLowerCase()} ${counts.pending[stage] === 1 ? 'has' : 'have'} no final decision yet.`]
      : [],
  );

/** Renders the diagram. The text is escaped; the SVG is well-formed XML whatever the labels hold. */
export const renderPrismaSvg = (diagram: PrismaDiagram): string => {
  const parts: string[] = [];
  let y = MARGIN;

  const headingWidth = SIDE_X + SIDE_WIDTH - MAIN_X;
  const heading = wrapTokens(words(diagram.labels.heading), headingWidth - 2 * PADDING, FONT_SIZE + 2, true);
  const headingHeight = 2 * PADDING + heading.length * (LINE + 2);
  parts.push(rect(MAIN_X, y, headingWidth, headingHeight, '#e8edee'));
  heading.forEach((line, index) => {
    parts.push(`<text x="${MAIN_X + headingWidth / 2}" y="${y + PADDING + (index + 1) * (LINE + 2) - 5}" text-anchor="middle" font-weight="bold" font-size="${FONT_SIZE + 2}">${escapeXml(line)}</text>`);
  });
  y += headingHeight + ROW_GAP / 2;

  const rows = rowsOf(diagram).map((row) => {
    const main = boxLines(row.main, MAIN_WIDTH);
    const side = row.side ? boxLines(row.side, SIDE_WIDTH) : undefined;
    return { ...row, mainLines: main, sideLines: side, height: Math.max(heightOf(main), side ? heightOf(side) : 0) };
  });
  // A phase's bar must be tall enough for its (rotated) name.
  for (const phase of Object.keys(prismaPhases) as Phase[]) {
    const inPhase = rows.filter((row) => row.phase === phase);
    const span = inPhase.reduce((sum, row) => sum + row.height, 0) + (inPhase.length - 1) * ROW_GAP;
    const needed = measureText(prismaPhases[phase], FONT_SIZE, true) + 2 * PADDING;
    const last = inPhase.at(-1);
    if (last && span < needed) {
      last.height += needed - span;
    }
  }

  const phaseSpans = new Map<Phase, { top: number; bottom: number }>();
  rows.forEach((row, index) => {
    const top = y;
    parts.push(rect(MAIN_X, top, MAIN_WIDTH, row.height), textLines(row.mainLines, MAIN_X + PADDING, top));
    if (row.sideLines) {
      parts.push(rect(SIDE_X, top, SIDE_WIDTH, row.height), textLines(row.sideLines, SIDE_X + PADDING, top));
      parts.push(arrow(MAIN_X + MAIN_WIDTH, top + row.height / 2, SIDE_X, top + row.height / 2));
    }
    if (index < rows.length - 1) {
      parts.push(arrow(MAIN_X + MAIN_WIDTH / 2, top + row.height, MAIN_X + MAIN_WIDTH / 2, top + row.height + ROW_GAP));
    }
    const span = phaseSpans.get(row.phase);
    phaseSpans.set(row.phase, { top: span?.top ?? top, bottom: top + row.height });
    y = top + row.height + ROW_GAP;
  });

  for (const [phase, span] of phaseSpans) {
    const centreX = PHASE_X + PHASE_WIDTH / 2;
    const centreY = (span.top + span.bottom) / 2;
    parts.push(
      `<rect x="${PHASE_X}" y="${span.top}" width="${PHASE_WIDTH}" height="${span.bottom - span.top}" rx="4" fill="#005eb8"/>`,
      `<text x="${centreX}" y="${centreY + 5}" transform="rotate(-90 ${centreX} ${centreY})" text-anchor="middle" font-weight="bold" fill="#ffffff">${escapeXml(prismaPhases[phase])}</text>`,
    );
  }

  y -= ROW_GAP / 2;
  const notes = [
    ...pendingNotes(diagram.counts),
    'Template: Page MJ, McKenzie JE, Bossuyt PM, et al. The PRISMA 2020 statement: an updated guideline for reporting systematic reviews. BMJ 2021;372:n71.',
  ];
  const noteLines = notes.flatMap((note) => wrapTokens(words(note), WIDTH - 2 * MARGIN, FONT_SIZE - 2));
  noteLines.forEach((line, index) => {
    parts.push(`<text x="${MARGIN}" y="${y + (index + 1) * (LINE - 2)}" font-size="${FONT_SIZE - 2}">${escapeXml(line)}</text>`);
  });
  const height = Math.ceil(y + noteLines.length * (LINE - 2) + MARGIN);

  const title = `PRISMA 2020 flow diagram: ${diagram.subject}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="prisma-title prisma-desc"`,
    ` font-family="${escapeXml(PRISMA_FONT_FAMILY)}" font-size="${FONT_SIZE}" fill="${INK}">`,
    `<title id="prisma-title">${escapeXml(title)}</title>`,
    `<desc id="prisma-desc">${escapeXml(prismaDescription(diagram))}</desc>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('');
};
