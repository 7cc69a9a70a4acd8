import { renderAsync } from '@resvg/resvg-js';
import { decodeReferences } from '../formats/xml-references.js';
import { fontChain, fontFilesFor, isSystemFontFile, splitByFont, type FontStyle } from './fonts.js';
import { escapeXml } from './prisma-svg.js';
import { renderWithFontBuffers, type WasmRenderOptions } from './resvg-wasm.js';

/**
 * PNG from the diagram's SVG with resvg (docs/decisions/0007-prisma-png-with-resvg-and-source-sans.md).
 * resvg ignores CSS fonts, so it is given Source Sans 3 from the `source-sans` package and never reads
 * system fonts: the picture is the same on every machine, including one without any fonts installed.
 * Characters Source Sans 3 lacks are drawn from the fallback chain of `fonts.ts` (decision 0011): resvg
 * is given only the fallbacks this SVG's text needs, so a picture in Latin, Greek or Cyrillic loads two
 * files, as before, and each run of fallback characters is named by its font's family, so that bold
 * text takes the bold fallback (left to itself, resvg takes the first font given that has the glyph,
 * whatever its weight). A picture that needs one of the machine's fonts (a large CJK file) is drawn by
 * resvg's WebAssembly build, which keeps the fonts loaded (`resvg-wasm.ts`).
 */

const TEXT = /<text\b([^>]*)>([^<]*)<\/text>/g;

/** The text of a `<text>` element: the SVG is our own (`prisma-svg.ts` escapes every label), so a bad reference is a bug. */
const textOf = (content: string): string =>
  decodeReferences(content, (message) => {
    throw new Error(`The diagram's SVG has a bad reference: ${message}`);
  });

/** The style a `<text>` element is drawn in, from its own attributes (the diagram sets weight only there). */
const styleOf = (attributes: string): FontStyle => (/\bfont-weight="(?:bold|bolder|[6-9]00)"/.test(attributes) ? 'bold' : 'regular');

/**
 * The SVG with each run of characters that Source Sans 3 lacks, in a `<text>` element holding only text,
 * put in a `<tspan>` naming its fallback font's family: resvg then takes that family in the text's
 * weight (DejaVu Sans Bold in bold text). Spaces and characters no font has stay in the main font, as
 * resvg draws them without the tspans; text already drawn by Source Sans 3 alone is left as it is.
 */
export const withFallbackFamilies = (svg: string): string =>
  svg.replace(TEXT, (whole, attributes: string, content: string) => {
    const chain = fontChain(styleOf(attributes));
    const runs = splitByFont(textOf(content), chain, { unplacedInFirst: true });
    if (runs.every((run) => run.index === 0)) {
      return whole;
    }
    const inner = runs
      .map(({ text, index }) => (index === 0 ? escapeXml(text) : `<tspan font-family="${escapeXml(chain[index]?.family ?? '')}">${escapeXml(text)}</tspan>`))
      .join('');
    return `<text${attributes}>${inner}</text>`;
  });

/** Renders an SVG as a PNG, `scale` times its size (2 by default: sharp on high-density screens and in print). */
export const renderPng = async (svg: string, scale = 2): Promise<Uint8Array<ArrayBuffer>> => {
  const files = fontFilesFor(svg, ['regular', 'bold']);
  const options: WasmRenderOptions = {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { defaultFontFamily: 'Source Sans 3', sansSerifFamily: 'Source Sans 3' },
    logLevel: 'off',
  };
  const marked = withFallbackFamilies(svg);
  if (files.some(isSystemFontFile)) {
    return renderWithFontBuffers(marked, options, files);
  }
  // renderAsync runs on libuv's thread pool, so a large diagram does not hold up other requests.
  const image = await renderAsync(marked, { ...options, font: { ...options.font, loadSystemFonts: false, fontFiles: files } });
  // A copy on a plain ArrayBuffer (Node's Buffer may share a pooled one), as a response body.
  return new Uint8Array(image.asPng());
};
