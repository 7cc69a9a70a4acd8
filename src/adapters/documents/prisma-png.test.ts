import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { prismaCounts, prismaLabels } from '../../core/reviews/prisma.js';
import type { StageCounts } from '../../core/reviews/screening-state.js';
import { cjkText, internationalText, unsupportedText } from '../../../test/fixtures/international-text.js';
import { fontFilesFor, isSystemFontFile, systemFallbackFiles } from './fonts.js';
import { renderPng, withFallbackFamilies } from './prisma-png.js';
import { renderWithFontBuffers } from './resvg-wasm.js';
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

describe('withFallbackFamilies', () => {
  const text = (content: string, weight = 'normal') => `<svg><text x="1" y="2" font-weight="${weight}">${content}</text></svg>`;

  it('leaves text that Source Sans 3 draws alone as it is', () => {
    const svg = text('β-blockers ≥ 5 µg &amp; Łukasz, Ярослав &lt;3');
    expect(withFallbackFamilies(svg)).toBe(svg);
  });

  it('names the fallback family of each run of characters Source Sans 3 lacks, spaces and missing glyphs left in the main font', () => {
    expect(withFallbackFamilies(text('dose ∝ ∈ &amp; 🩺 नx', 'bold'))).toBe(
      text('dose <tspan font-family="DejaVu Sans">∝</tspan> <tspan font-family="DejaVu Sans">∈</tspan> &amp; <tspan font-family="Noto Emoji">🩺</tspan> नx', 'bold'),
    );
    expect(withFallbackFamilies(text('a&#x221D;&#8712;b'))).toBe(text('a<tspan font-family="DejaVu Sans">∝∈</tspan>b'));
  });
});

describe('renderPng with fallback characters in bold', () => {
  it.each(['∝', '⩾', '🩺'])('draws %s in bold text with the bold fallback face, not the regular one', async (character) => {
    expect(same(await renderPng(svg(character, 'bold')), await renderPng(svg(character, 'normal')))).toBe(false);
  });

  it('draws regular text exactly as resvg did by itself', async () => {
    const plain = svg('Reports ∝ dose ⩾ 5 🙂 ✅');
    const files = fontFilesFor(plain, ['regular', 'bold']);
    const before = await renderAsync(plain, {
      fitTo: { mode: 'zoom', value: 2 },
      background: '#ffffff',
      font: { loadSystemFonts: false, fontFiles: files, defaultFontFamily: 'Source Sans 3', sansSerifFamily: 'Source Sans 3' },
      logLevel: 'off',
    });
    expect(same(await renderPng(plain), before.asPng())).toBe(true);
  });
});

describe('renderWithFontBuffers', () => {
  const require = createRequire(import.meta.url);
  const options = { fitTo: { mode: 'zoom' as const, value: 2 }, background: '#ffffff', font: { defaultFontFamily: 'Source Sans 3', sansSerifFamily: 'Source Sans 3' }, logLevel: 'off' as const };

  it('draws the same picture as the native build, byte for byte', async () => {
    const diagram = svg('Records ∝ 🙂 Ярослав', 'bold');
    const files = fontFilesFor(diagram, ['regular', 'bold']);
    const native = await renderAsync(diagram, { ...options, font: { ...options.font, loadSystemFonts: false, fontFiles: files } });
    expect(same(await renderWithFontBuffers(diagram, options, files), native.asPng())).toBe(true);
  });

  it('reads a font file once and keeps it: the file can go and the glyph is still drawn', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'mobilise-font-'));
    const copy = join(directory, 'DejaVuSans-copy.ttf');
    copyFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), copy);
    const files = [require.resolve('source-sans/TTF/SourceSans3-Regular.ttf'), copy];
    try {
      const first = await renderWithFontBuffers(svg('∝'), options, files);
      rmSync(directory, { recursive: true });
      const second = await renderWithFontBuffers(svg('∝'), options, files);
      expect(same(second, first)).toBe(true);
      expect(same(second, await renderWithFontBuffers(svg(TOFU), options, files))).toBe(false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('rejects when a font file cannot be read, and renders again afterwards', async () => {
    await expect(renderWithFontBuffers(svg('a'), options, ['/nonexistent/font.ttf'])).rejects.toThrow(/resvg:/);
    expect(size(await renderWithFontBuffers(svg('a'), options, [require.resolve('source-sans/TTF/SourceSans3-Regular.ttf')]))).toEqual({ width: 400, height: 100 });
  });

  it('is used only for the machine\'s fonts: the bundled ones are not', () => {
    expect(fontFilesFor('Records ∝ 🙂', ['regular', 'bold']).some(isSystemFontFile)).toBe(false);
    expect(isSystemFontFile('/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc')).toBe(true);
  });
});
