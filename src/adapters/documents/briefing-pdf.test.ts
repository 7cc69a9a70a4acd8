import { inflateSync } from 'node:zlib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import type { BriefingDocument } from '../../core/briefings/document.js';
import { briefingDocument, harvardBriefingDocument, pipeTableDocument, plainCells } from '../../../test/fixtures/briefing-document.js';
import { cjkText, internationalText, unsupportedText } from '../../../test/fixtures/international-text.js';
import { renderBriefingPdf } from './briefing-pdf.js';
import { systemFallbackFiles } from './fonts.js';

interface StructNode {
  role?: string;
  children?: StructNode[];
}

/** A piece of text on a page: where its baseline is (points from the bottom), and whether it is an artifact. */
interface Placed {
  text: string;
  /** Where it starts from the left edge, and how wide it is, in points. */
  x: number;
  width: number;
  baseline: number;
  height: number;
  isArtifact: boolean;
}

/**
 * Text of every page (items joined, lines by their text runs), split too into what is marked as an
 * artifact and what is tagged content; where each piece of text is; the page height; the metadata;
 * and the structure tree's roles.
 */
const readPdf = async (bytes: Buffer) => {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  const artifacts: string[] = [];
  const tagged: string[] = [];
  const placed: Placed[][] = [];
  const pageHeights: number[] = [];
  const roles: string[] = [];
  /** Each element's role with its children's roles in order: "Table: Caption THead TBody". */
  const childRoles: string[] = [];
  const collect = (node: StructNode | null | undefined) => {
    if (node?.role !== undefined) {
      roles.push(node.role);
      const children = (node.children ?? []).flatMap((child) => (child.role === undefined ? [] : [child.role]));
      childRoles.push(`${node.role}: ${children.join(' ')}`);
    }
    node?.children?.forEach(collect);
  };
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent({ includeMarkedContent: true });
    // The open marked-content sequences ("Artifact", "P", "TD", …), innermost last.
    const open: string[] = [];
    const texts = { all: '', artifact: '', tagged: '' };
    const onPage: Placed[] = [];
    for (const item of content.items) {
      if ('str' in item) {
        const text = item.str + (item.hasEOL ? '\n' : '');
        const isArtifact = open.includes('Artifact');
        texts.all += text;
        texts[isArtifact ? 'artifact' : 'tagged'] += text;
        onPage.push({ text: item.str, x: Number(item.transform[4]), width: item.width, baseline: Number(item.transform[5]), height: item.height, isArtifact });
      } else if (item.type === 'endMarkedContent') {
        open.pop();
      } else {
        // pdf.js gives the tag, though its types do not say so.
        open.push('tag' in item && typeof item.tag === 'string' ? item.tag : '');
      }
    }
    pages.push(texts.all);
    artifacts.push(texts.artifact);
    tagged.push(texts.tagged);
    placed.push(onPage);
    pageHeights.push(page.view[3] ?? 0);
    collect((await page.getStructTree()) as StructNode | null);
  }
  const metadata = await pdf.getMetadata();
  await pdf.destroy();
  return { pages, artifacts, tagged, placed, pageHeights, text: pages.join('\n'), info: metadata.info as Record<string, unknown>, roles, childRoles };
};

/** Text with every run of white space made one space, as a reader would take it. */
const squash = (text: string): string => text.replace(/\s+/g, ' ');

/** How often `part` occurs in `text`. */
const occurrences = (text: string, part: string): number => text.split(part).length - 1;

const longBriefing = (): BriefingDocument => {
  const sentence = 'Strength and balance exercise at home, done three times a week for six months, cut the rate of falls among older people living in the community. ';
  const base = briefingDocument();
  return {
    ...base,
    sections: [
      ...base.sections,
      ...Array.from({ length: 6 }, (_, index) => ({
        key: `extra_${index}`,
        heading: `Further detail ${index + 1}`,
        blocks: [{ kind: 'paragraph' as const, content: [{ kind: 'text' as const, text: sentence.repeat(8) }, { kind: 'cite' as const, numbers: [2] }] }],
      })),
    ],
  };
};

/** The page margin of briefing-pdf.ts, in points: the page number sits in the bottom one. */
const MARGIN = 56;
const EVIDENCE_HEADER = ['Evidence source', 'Study design', 'Main finding'];
/** The row taller than a whole page, and the words of its last cell, in order. */
const TALL_ROW = 20;
const tallWords = Array.from({ length: 480 }, (_, index) => `t${String(index + 1).padStart(3, '0')}`);
/** Any row's text: its cells start "Source E07", "Design E07", "Finding E07"; the tall row has the t-words. */
const ROW_TEXT = /\b(?:Source|Design|Finding) E\d\d\b|\bt\d{3}\b/;

/** 40 rows, each cell's text unique (by the row's id); some wrap onto two or three lines. */
const evidenceRows = (): string[][] =>
  Array.from({ length: 40 }, (_, index) => {
    const id = `E${String(index + 1).padStart(2, '0')}`;
    if (index === TALL_ROW) {
      return [`Source ${id} (a long report)`, `Design ${id} mixed methods`, tallWords.join(' ')];
    }
    return [
      `Source ${id} ${index % 3 === 0 ? 'Smith JA, Jones M, Brown K and colleagues' : 'Doe J'}`,
      `Design ${id} ${index % 2 === 0 ? 'randomised controlled trial' : 'systematic review of cohort studies'}`,
      `Finding ${id} ${'fewer falls among older people '.repeat(1 + (index % 4)).trim()}.`,
    ];
  });

/** The long briefing with an evidence table that starts part-way down a page and runs over several. */
const evidenceBriefing = (): BriefingDocument => {
  const base = longBriefing();
  return {
    ...base,
    sections: [
      ...base.sections,
      {
        key: 'evidence',
        heading: 'Evidence',
        blocks: [{ kind: 'table' as const, caption: 'Evidence table', header: plainCells(...EVIDENCE_HEADER), rows: evidenceRows().map((row) => plainCells(...row)) }],
      },
    ],
  };
};

let vancouver: ReturnType<typeof readPdf> | undefined;
/** The fixture's PDF, rendered and read once for the tests that look at it. */
const vancouverPdf = () => (vancouver ??= renderBriefingPdf(briefingDocument()).then(readPdf));

describe('renderBriefingPdf', () => {
  it('writes selectable text: title, headings, paragraphs, lists, the table and the references', async () => {
    const { text, info } = await vancouverPdf();
    for (const expected of [
      'Home exercise to prevent falls',
      'Decision briefing for the Adult Social Care commissioning board',
      'Prepared by Asha Fellow and Ben Lead',
      '26 November 2026',
      'Bottom line',
      'Key messages',
      'Home exercise cuts falls by about a quarter',
      'Fund a pilot',
      'Studies of home exercise',
      'Randomised controlled trial',
      'Fewer falls & fractures',
      'References',
      'Doe J. Social prescribing for loneliness.',
    ]) {
      expect(text).toContain(expected);
    }
    // The superscript citation numbers, and the numbered references.
    expect(text).toMatch(/quarter\s*1,2\s*\./);
    expect(text).toMatch(/1\.\s*Smith JA, Jones M, Brown K\./);
    expect(info).toMatchObject({ Title: 'Home exercise to prevent falls', Subject: 'Decision briefing for the Adult Social Care commissioning board', Author: 'Asha Fellow, Ben Lead', Language: 'en-GB' });
  });

  it('is tagged: headings, paragraphs, lists and a table with header cells in the structure tree', async () => {
    const { roles } = await vancouverPdf();
    expect(roles.filter((role) => role === 'H1')).toHaveLength(1);
    expect(roles.filter((role) => role === 'H2')).toHaveLength(4);
    for (const role of ['Document', 'Sect', 'P', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'THead', 'TBody', 'TR', 'TH', 'TD']) {
      expect(roles).toContain(role);
    }
    expect(roles.filter((role) => role === 'TH')).toHaveLength(3);
  });

  it('names the table by a Caption inside it, first, and draws the caption text in it', async () => {
    const { childRoles, tagged } = await vancouverPdf();
    expect(childRoles.filter((entry) => entry.startsWith('Table:'))).toEqual(['Table: Caption THead TBody']);
    expect(tagged.join('\n')).toContain('Studies of home exercise');
  });

  it('cites by author and year in Harvard style', async () => {
    const { text } = await readPdf(await renderBriefingPdf(harvardBriefingDocument()));
    expect(text.replace(/\s+/g, ' ')).toContain('(Smith, Jones and Brown, 2021; Doe, 2019)');
    expect(text.indexOf('Doe, J. (2019)')).toBeLessThan(text.indexOf('Smith, J.A., Jones, M.'));
  });

  it('wraps long text onto further pages and keeps everything', async () => {
    const { pages, text } = await readPdf(await renderBriefingPdf(longBriefing()));
    expect(pages.length).toBeGreaterThan(1);
    expect(text).toContain('Further detail 6');
    expect(pages.at(-1)).toContain('References');
  });

  it('keeps markup-like text as text', async () => {
    const { text, info } = await readPdf(await renderBriefingPdf(briefingDocument({ title: 'Falls <script>alert(1)</script>' })));
    expect(text).toContain('Falls <script>alert(1)</script>');
    expect(info.Title).toBe('Falls <script>alert(1)</script>');
  });
});

describe('renderBriefingPdf with a pipe table', () => {
  it('draws it as a tagged table without a caption, its cells citing, its columns aligned as typed', async () => {
    const { text, tagged, placed, roles, childRoles } = await readPdf(await renderBriefingPdf(pipeTableDocument()));
    // The fixture's captioned table, then the pipe table, named by nothing but its header cells.
    expect(childRoles.filter((entry) => entry.startsWith('Table:'))).toEqual(['Table: Caption THead TBody', 'Table: THead TBody']);
    expect(roles.filter((role) => role === 'TH')).toHaveLength(6);
    const tableText = squash(tagged.join('\n').slice(tagged.join('\n').indexOf('Studies in a table')));
    for (const cell of ['Study', 'Design', 'Effect on falls', 'RCT', 'Doe 2019', 'Review & meta-analysis', 'Lee 2022', 'Cohort', 'None']) {
      expect(tableText).toContain(cell);
    }
    // Vancouver citations in cells are superscript numbers set against the word before them.
    expect(squash(text)).toMatch(/Smith 2021 ?1 /);
    expect(squash(text)).toMatch(/23% fewer ?1,2/);

    const items = placed.flat().filter((item) => !item.isArtifact);
    // The last of each: the pipe table comes after the fixture's table, which has a "Study" and a "Design" too.
    const find = (value: string) => {
      const found = items.findLast((item) => item.text.trim() === value);
      expect(found, value).toBeDefined();
      return found ?? { x: 0, width: 0, text: '', baseline: 0, height: 0, isArtifact: false };
    };
    const right = (item: Placed) => item.x + item.width;
    const centre = (item: Placed) => item.x + item.width / 2;
    // Left: the cells start together. Centre: their middles line up. Right: their ends do (a superscript ends its cell).
    expect(find('Doe 2019').x).toBeCloseTo(find('Study').x, 0);
    expect(centre(find('RCT'))).toBeCloseTo(centre(find('Design')), 0);
    expect(centre(find('Cohort'))).toBeCloseTo(centre(find('Design')), 0);
    expect(right(find('None'))).toBeCloseTo(right(find('Effect on falls')), 0);
    expect(right(find('1,2'))).toBeCloseTo(right(find('None')), 0);
    expect(find('None').x).toBeGreaterThan(find('RCT').x);
  });
});

describe('renderBriefingPdf with a table over several pages', () => {
  let evidence: ReturnType<typeof readPdf> | undefined;
  const evidencePdf = () => (evidence ??= renderBriefingPdf(evidenceBriefing()).then(readPdf));

  it('numbers every page "Page N of M" in the bottom margin, below the body text, as an artifact', async () => {
    const { pages, artifacts, tagged, placed } = await evidencePdf();
    expect(pages.length).toBeGreaterThanOrEqual(4);
    pages.forEach((_, index) => {
      const label = `Page ${index + 1} of ${pages.length}`;
      expect(occurrences(artifacts[index] ?? '', label)).toBe(1);
      expect(tagged[index]).not.toMatch(/Page \d+ of \d+/);
      const text = (placed[index] ?? []).filter((item) => item.text.trim() !== '');
      // Baselines are measured up from the bottom edge: the label is wholly inside the bottom margin…
      const inMargin = text.filter((item) => item.baseline < MARGIN);
      expect(inMargin.map((item) => item.text).join('').replace(/\s/g, '')).toBe(label.replace(/\s/g, ''));
      for (const item of inMargin) {
        expect(item.isArtifact).toBe(true);
        expect(item.baseline + item.height).toBeLessThanOrEqual(MARGIN);
      }
      // …and nothing else is.
      expect(text.filter((item) => item.baseline >= MARGIN).some((item) => /Page \d/.test(item.text))).toBe(false);
    });
  });

  it('repeats the header row at the top of every page the table continues on, as an artifact after the first', async () => {
    const { pages, artifacts, tagged } = await evidencePdf();
    const tablePages = pages.flatMap((text, index) => (ROW_TEXT.test(text) ? [index] : []));
    const first = tablePages[0] ?? -1;
    // The table starts part-way through the document and runs over at least three pages, without gaps.
    expect(first).toBeGreaterThan(0);
    expect(tablePages.length).toBeGreaterThanOrEqual(3);
    expect(tablePages).toEqual(tablePages.map((_, index) => first + index));
    pages.forEach((text, index) => {
      for (const cell of EVIDENCE_HEADER) {
        expect(occurrences(squash(text), cell), `"${cell}" on page ${index + 1}`).toBe(tablePages.includes(index) ? 1 : 0);
        // Tagged (TH) where the table starts; a pagination artifact on the pages it continues on.
        expect(occurrences(squash(tagged[index] ?? ''), cell)).toBe(index === first ? 1 : 0);
        expect(occurrences(squash(artifacts[index] ?? ''), cell)).toBe(tablePages.includes(index) && index !== first ? 1 : 0);
      }
    });
    // The header text comes before any row's text on each continuation page.
    for (const index of tablePages.slice(1)) {
      const text = squash(pages[index] ?? '');
      expect(text.indexOf(EVIDENCE_HEADER[0] ?? '')).toBeLessThan(text.search(ROW_TEXT));
    }
  });

  it('draws every row once, each on one page unless it is taller than a page', async () => {
    const { pages, text } = await evidencePdf();
    const all = squash(text);
    evidenceRows().forEach((row, index) => {
      if (index === TALL_ROW) {
        return;
      }
      for (const cell of row) {
        expect(occurrences(all, cell), cell).toBe(1);
      }
      const onPages = pages.filter((page) => row.some((cell) => squash(page).includes(cell)));
      expect(onPages).toHaveLength(1);
      expect(row.every((cell) => squash(onPages[0] ?? '').includes(cell))).toBe(true);
    });
  });

  it('splits a row taller than a page between lines, losing and repeating no text', async () => {
    const { pages, text } = await evidencePdf();
    expect(text.match(/\bt\d{3}\b/g)).toEqual(tallWords);
    expect(pages.filter((page) => /\bt\d{3}\b/.test(page)).length).toBeGreaterThanOrEqual(2);
    const tall = evidenceRows()[TALL_ROW] ?? [];
    expect(occurrences(squash(text), tall[0] ?? '-')).toBe(1);
    expect(occurrences(squash(text), tall[1] ?? '-')).toBe(1);
  });

  it('tags each table once: one THead row of TH cells; the repeated headers are not in the structure tree', async () => {
    const { roles } = await evidencePdf();
    // The fixture's table and the evidence table, three header cells each.
    expect(roles.filter((role) => role === 'TH')).toHaveLength(6);
    expect(roles).toContain('THead');
    expect(roles).toContain('TBody');
  });
});

/**
 * How many glyphs the pages draw as .notdef, the missing-glyph box. pdfkit writes text in embedded
 * fonts as two-byte glyph ids of the font's subset, in which the .notdef glyph is always 0: so a
 * character no font of the document has shows up as <…0000…> in a content stream's TJ operator.
 */
const notdefGlyphs = (bytes: Buffer): number => {
  const raw = bytes.toString('latin1');
  let count = 0;
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1] ?? '', 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const line of content.split('\n').filter((entry) => /\]\s*TJ$/.test(entry))) {
      for (const hex of line.matchAll(/<([0-9a-f]+)>/g)) {
        count += (hex[1]?.match(/.{4}/g) ?? []).filter((glyph) => glyph === '0000').length;
      }
    }
  }
  return count;
};

describe('renderBriefingPdf with text beyond Latin', () => {
  const sample = Object.values(internationalText);
  /** The sample in a title, a subtitle, a heading, paragraphs in each style, a list, a caption and table cells. */
  const international = (extra = ''): BriefingDocument => {
    const base = briefingDocument({ title: `β-blockers for Müller ${extra}`.trim(), subtitle: `${internationalText.cyrillic} ${internationalText.emoji}` });
    return {
      ...base,
      sections: [
        ...base.sections,
        {
          key: 'international',
          heading: `Κ statistics ${internationalText.maths}`,
          blocks: [
            { kind: 'paragraph' as const, content: sample.map((text) => ({ kind: 'text' as const, text: `${text} ${extra} ` })) },
            { kind: 'paragraph' as const, content: [{ kind: 'text' as const, text: sample.join(' '), strong: true }] },
            { kind: 'paragraph' as const, content: [{ kind: 'text' as const, text: sample.join(' '), emphasis: true }] },
            { kind: 'paragraph' as const, content: [{ kind: 'text' as const, text: sample.join(' '), strong: true, emphasis: true }] },
            { kind: 'list' as const, ordered: false, items: sample.map((text) => [{ kind: 'text' as const, text }]) },
            { kind: 'table' as const, caption: `Doses ≥ 5 µg ${internationalText.maths}`, header: plainCells('Author', 'Dose'), rows: sample.map((text) => plainCells(text, `${extra} ± 2 ℃ 🙂`)) },
          ],
        },
      ],
    };
  };

  it('draws every character with a real glyph, in every place and style, and keeps it as text', async () => {
    const bytes = await renderBriefingPdf(international());
    expect(notdefGlyphs(bytes)).toBe(0);
    // Compared as NFKC: a PDF maps each glyph back to one character, and Source Sans 3 draws the micro
    // sign µ and the Greek μ with one glyph, so copied text gives μ for both (NFKC makes µ μ too).
    const { text } = await readPdf(bytes);
    const read = squash(text).normalize('NFKC');
    for (const expected of [...sample, `Κ statistics ${internationalText.maths}`]) {
      expect(read).toContain(expected.normalize('NFKC'));
    }
  });

  it('finds the boxes a character without a font is drawn as (the check can fail)', async () => {
    expect(notdefGlyphs(await renderBriefingPdf(international(unsupportedText)))).toBeGreaterThan(0);
  });

  it("draws CJK with the machine's CJK font when it has one, and as boxes when it has none", async () => {
    const hasCjkFont = systemFallbackFiles(process.env.MOBILISE_FALLBACK_FONTS).regular.length > 0;
    const bytes = await renderBriefingPdf(international(cjkText));
    expect(notdefGlyphs(bytes) === 0).toBe(hasCjkFont);
    if (hasCjkFont) {
      expect(squash((await readPdf(bytes)).text)).toContain(cjkText);
    }
  });
});
