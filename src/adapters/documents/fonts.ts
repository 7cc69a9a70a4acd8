import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter } from 'node:path';
import { create, type Font } from 'fontkit';

/**
 * The fonts that PNGs and PDFs are drawn with, and the order in which a character missing from one is
 * looked for in the next (docs/decisions/0011-font-fallback-for-png-and-pdf.md):
 *
 * 1. Source Sans 3 (`source-sans`, OFL-1.1): Latin with its extensions, Greek, Cyrillic and the common
 *    symbols (≥ ≤ ± · – — → × ° µ …).
 * 2. DejaVu Sans (`dejavu-fonts-ttf`, Bitstream Vera licence, DejaVu changes public domain): maths and
 *    technical symbols (∝ ∈ ⩾ ℃), Armenian, Georgian, Hebrew, Arabic and many more.
 * 3. Noto Emoji (`@expo-google-fonts/noto-emoji`, OFL-1.1): emoji, drawn in one colour.
 * 4. Files named in MOBILISE_FALLBACK_FONTS (separated like PATH), then the first CJK font found in the
 *    usual places of Linux distributions (Noto Sans CJK, WenQuanYi, Droid Sans Fallback): Chinese,
 *    Japanese and Korean are drawn only where the machine has such a font; otherwise they are boxes.
 *
 * Every font comes from npm packages or from the machine's font files named here: resvg and pdfkit are
 * never asked to look for system fonts themselves, so a picture does not depend on what else is installed.
 */

export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';
export const fontStyles: readonly FontStyle[] = ['regular', 'bold', 'italic', 'boldItalic'];

/** A font file of the chain (a TrueType collection's first font is used). */
export interface FallbackFont {
  path: string;
  font: Font;
  /** The family name inside the file (a TrueType collection's first font), as an SVG names it. */
  family: string;
  /** Noto Emoji: looked at first for a character asked to be shown as an emoji. */
  isEmoji: boolean;
}

const require = createRequire(import.meta.url);
const sourceSans = (name: string) => require.resolve(`source-sans/TTF/SourceSans3-${name}.ttf`);
const dejaVu = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/DejaVuSans${name}.ttf`);
const notoEmoji = (weight: string) => require.resolve(`@expo-google-fonts/noto-emoji/${weight}/NotoEmoji_${weight}.ttf`);

/** The bundled files of each style, in order. An oblique face lacks some scripts (Arabic): the upright one follows it. */
const bundledFiles: Record<FontStyle, string[]> = {
  regular: [sourceSans('Regular'), dejaVu(''), notoEmoji('400Regular')],
  bold: [sourceSans('Bold'), dejaVu('-Bold'), notoEmoji('700Bold')],
  italic: [sourceSans('It'), dejaVu('-Oblique'), dejaVu(''), notoEmoji('400Regular')],
  boldItalic: [sourceSans('BoldIt'), dejaVu('-BoldOblique'), dejaVu('-Bold'), notoEmoji('700Bold')],
};

const bundledPaths = new Set(Object.values(bundledFiles).flat());

/** Whether a font file is one of the machine's (a CJK font, or one named in MOBILISE_FALLBACK_FONTS) rather than a bundled one. */
export const isSystemFontFile = (path: string): boolean => !bundledPaths.has(path);

/**
 * Where Linux distributions put CJK fonts: Debian and Ubuntu (fonts-noto-cjk, fonts-wqy-zenhei,
 * fonts-wqy-microhei, fonts-droid-fallback), Fedora, Arch and Alpine. Bold where the family has one.
 */
export const cjkFontCandidates: Record<'regular' | 'bold', readonly string[]> = {
  regular: [
    '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/noto/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
    '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
    '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  ],
  bold: [
    '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
    '/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc',
    '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc',
    '/usr/share/fonts/noto/NotoSansCJK-Bold.ttc',
  ],
};

/**
 * The machine's fallback files: those named in `extra` (a MOBILISE_FALLBACK_FONTS value) that exist,
 * then the first existing CJK candidate (for bold, a bold one, else the regular one).
 */
export const systemFallbackFiles = (
  extra: string | undefined,
  candidates: Record<'regular' | 'bold', readonly string[]> = cjkFontCandidates,
  exists: (path: string) => boolean = existsSync,
): Record<'regular' | 'bold', string[]> => {
  const named = (extra ?? '').split(delimiter).filter((path) => path !== '' && exists(path));
  const regular = candidates.regular.find(exists);
  const bold = candidates.bold.find(exists) ?? regular;
  return { regular: [...named, ...(regular === undefined ? [] : [regular])], bold: [...named, ...(bold === undefined ? [] : [bold])] };
};

const parsed = new Map<string, Font>();

/** A font file parsed by fontkit, once per process (parsing is lazy, so a large CJK file costs little until used). */
const parseFont = (path: string): Font => {
  let font = parsed.get(path);
  if (font === undefined) {
    const file = create(readFileSync(path));
    const first = 'fonts' in file ? file.fonts[0] : file;
    if (first === undefined) {
      throw new Error(`${path} holds no font`);
    }
    font = first;
    parsed.set(path, font);
  }
  return font;
};

let chains: Record<FontStyle, FallbackFont[]> | undefined;

/** Each style's chain, built once per process (the machine's files are looked for then). */
export const fontChain = (style: FontStyle): FallbackFont[] => {
  if (chains === undefined) {
    const system = systemFallbackFiles(process.env.MOBILISE_FALLBACK_FONTS);
    const chainOf = (files: readonly string[]) =>
      [...new Set(files)].map((path) => {
        const font = parseFont(path);
        return { path, font, family: font.familyName, isEmoji: path.includes('NotoEmoji') };
      });
    chains = {
      regular: chainOf([...bundledFiles.regular, ...system.regular]),
      bold: chainOf([...bundledFiles.bold, ...system.bold]),
      italic: chainOf([...bundledFiles.italic, ...system.regular]),
      boldItalic: chainOf([...bundledFiles.boldItalic, ...system.bold]),
    };
  }
  return chains[style];
};

/**
 * Characters that take no glyph of their own: joiners, variation selectors and other default-ignorable
 * characters, and white space and controls. They go with the character before them.
 */
const isAttached = (character: string): boolean => /^[\p{Default_Ignorable_Code_Point}\p{Mn}\p{Me}\p{Cc}\s]$/u.test(character);

const covers = (font: Font, character: string): boolean => font.hasGlyphForCodePoint(character.codePointAt(0) ?? 0);

/** The first font of the chain with a glyph for the character, or undefined when none has one. */
export const fontFor = (chain: readonly FallbackFont[], character: string): FallbackFont | undefined => chain.find((entry) => covers(entry.font, character));

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Emoji presentation: a pictograph shown as an emoji by default, or asked to be by U+FE0F, or a joined sequence. */
const isEmojiCluster = (cluster: string): boolean => /^\p{Emoji_Presentation}|\uFE0F|\p{Extended_Pictographic}\u200D/u.test(cluster);

/**
 * The font for a cluster (a character with its combining marks, or an emoji sequence): the first that
 * has every character of it, else the first that has its first character; an emoji cluster is looked
 * for in the emoji font before the others.
 */
const fontForCluster = (chain: readonly FallbackFont[], cluster: string): FallbackFont | undefined => {
  const characters = [...cluster].filter((character) => !isAttached(character));
  const [first] = characters;
  if (first === undefined) {
    return undefined;
  }
  const ordered = isEmojiCluster(cluster) ? [...chain.filter((entry) => entry.isEmoji), ...chain.filter((entry) => !entry.isEmoji)] : chain;
  return ordered.find((entry) => characters.every((character) => covers(entry.font, character))) ?? fontFor(ordered, first);
};

/** The characters of `text` that no font of the chain can draw, each once, in order. */
export const missingCharacters = (text: string, chain: readonly FallbackFont[]): string[] =>
  [...new Set([...text].filter((character) => !isAttached(character) && fontFor(chain, character) === undefined))];

/**
 * `text` cut into runs, each drawn in one font of the chain: the first font with a glyph for each
 * character (cut between grapheme clusters, so an accent or an emoji sequence stays whole). Spaces and
 * controls stay in the run before them; a character no font has stays in the run it is in, drawn as
 * the font's missing-glyph box. With `unplacedInFirst` (for SVG, where resvg draws a space and a
 * missing glyph from the first font), both go in a run of the chain's first font instead.
 */
export const splitByFont = (text: string, chain: readonly FallbackFont[], { unplacedInFirst = false } = {}): { text: string; index: number }[] => {
  const runs: { text: string; index: number }[] = [];
  for (const { segment: cluster } of graphemes.segment(text)) {
    const last = runs.at(-1);
    const found = fontForCluster(chain, cluster);
    const index = found !== undefined ? chain.indexOf(found) : unplacedInFirst ? 0 : (last?.index ?? 0);
    if (last !== undefined && last.index === index) {
      last.text += cluster;
    } else {
      runs.push({ text: cluster, index });
    }
  }
  return runs;
};

/**
 * The files resvg needs for `text` in these styles: each style's first font, and a fallback only when
 * it draws a character of the text that the fonts before it lack, so a picture in Latin, Greek or
 * Cyrillic loads just the two Source Sans files, as before the chain.
 */
export const fontFilesFor = (text: string, styles: readonly FontStyle[]): string[] => {
  const files = new Set<string>();
  const characters = [...new Set(text)].filter((character) => !isAttached(character));
  for (const style of styles) {
    const chain = fontChain(style);
    const [first] = chain;
    if (first !== undefined) {
      files.add(first.path);
    }
    for (const character of characters) {
      const found = fontFor(chain, character);
      if (found !== undefined) {
        files.add(found.path);
      }
    }
  }
  return [...files];
};
