import { describe, expect, it } from 'vitest';
import { prismaCounts, prismaLabels } from '../../core/reviews/prisma.js';
import type { StageCounts } from '../../core/reviews/screening-state.js';
import { cjkText, internationalText, unsupportedText } from '../../../test/fixtures/international-text.js';
import { systemFallbackFiles } from './fonts.js';
import { renderPng } from './prisma-png.js';
import { PRISMA_FONT_FAMILY, escapeXml, renderPrismaSvg } from './prisma-svg.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const svg = (text: string, weight = 'normal') =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><rect width="200" height="50" fill="#ffffff"/><text x="10" y="30" font-family="${escapeXml(PRISMA_FONT_FAMILY)}" font-size="20" font-weight="${weight}">${escapeXml(text)}</text></svg>`;

/** Width and height from the PNG's IHDR chunk. */
const size = (png: Uint8Array) => {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
};

/** An unassigned code point: no font has it, so it is drawn as the missing-glyph box ("tofu"). */
const TOFU = '\u0378';
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/**
 * The characters of `text` drawn as the missing-glyph box: each is rendered alone in the diagram's font
 * and weight, and its picture compared with the picture of a character no font has. resvg draws a
 * missing glyph as the first font's .notdef box, so the two PNGs are then byte for byte the same.
 */
const drawnAsTofu = async (text: string, weight: string): Promise<string[]> => {
  const tofu = await renderPng(svg(TOFU, weight));
  const characters = [...new Set(text.replace(/\s/g, ''))];
  const pictures = await Promise.all(characters.map((character) => renderPng(svg(character, weight))));
  return characters.filter((_, index) => same(pictures[index] ?? new Uint8Array(), tofu));
};

const stage = (counts: Partial<StageCounts>): StageCounts => ({ records: 0, toScreen: 0, conflicts: 0, included: 0, excluded: 0, notRetrieved: 0, decisions: 0, excludedByReason: [], ...counts });

describe('renderPng', () => {
  it('renders at twice the size by default, as a PNG', async () => {
    const png = await renderPng(svg('Records screened (n = 12)'));
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(size(png)).toEqual({ width: 400, height: 100 });
  });

  it('draws text with the bundled font, without system fonts', async () => {
    // A blank picture compresses to almost nothing; drawn glyphs do not.
    const [blank, text] = await Promise.all([renderPng(svg('')), renderPng(svg('Records screened (n = 12)'))]);
    expect(text.length).toBeGreaterThan(blank.length + 1000);
  });

  it('tells a missing glyph by its picture: a script no bundled font has is drawn as boxes', async () => {
    // The check can fail: the box is drawn (it is not blank), and characters without a font match it.
    expect(same(await renderPng(svg(TOFU)), await renderPng(svg('')))).toBe(false);
    expect(await drawnAsTofu(unsupportedText.replace(/\p{M}/gu, ''), 'normal')).toEqual(['न', 'म', 'स', 'त']);
  });

  it.each(['normal', 'bold'])('draws Greek, symbols, accented Latin, Cyrillic, maths symbols and emoji with real glyphs (%s)', async (weight) => {
    for (const [kind, text] of Object.entries(internationalText)) {
      expect(await drawnAsTofu(text, weight), kind).toEqual([]);
    }
  });

  it('draws CJK with the machine\'s CJK font when it has one, and as boxes when it has none', async () => {
    const hasCjkFont = systemFallbackFiles(process.env.MOBILISE_FALLBACK_FONTS).regular.length > 0;
    expect(await drawnAsTofu(cjkText, 'normal')).toEqual(hasCjkFont ? [] : [...cjkText.replace(/\s/g, '')]);
  });

  it('renders a PRISMA diagram whose labels hold such text', async () => {
    const counts = prismaCounts({
      batches: [{ sourceDatabase: 'MEDLINE', parsed: 40, duplicates: 4, skipped: 0 }],
      mergedAfterImport: 0,
      stages: { title_abstract: stage({ records: 36, included: 10, excluded: 26, decisions: 36 }), full_text: stage({ records: 10, included: 4, excluded: 6, decisions: 10 }) },
    });
    const label = `Reports of β-blockers (≥ 5 µg) by Müller, Łukasz, Ярослав ∝ 🙂`;
    const latin = await renderPng(renderPrismaSvg({ counts, labels: prismaLabels({}), subject: 'RV-0001' }));
    const png = await renderPng(renderPrismaSvg({ counts, labels: prismaLabels({ assessed: label, heading: 'Κ statistics — São Paulo' }), subject: 'RV-0001' }));
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(size(png).width).toBe(size(latin).width);
    // The same label with its characters drawn as boxes is a different picture.
    const boxes = await renderPng(renderPrismaSvg({ counts, labels: prismaLabels({ assessed: label.replace(/[^\sA-Za-z()]/gu, TOFU), heading: 'Κ statistics — São Paulo' }), subject: 'RV-0001' }));
    expect(same(png, boxes)).toBe(false);
  });
});
