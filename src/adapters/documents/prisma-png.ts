import { renderAsync } from '@resvg/resvg-js';
import { fontFilesFor } from './fonts.js';

/**
 * PNG from the diagram's SVG with resvg (docs/decisions/0007-prisma-png-with-resvg-and-source-sans.md).
 * resvg ignores CSS fonts, so it is given Source Sans 3 from the `source-sans` package and never reads
 * system fonts: the picture is the same on every machine, including one without any fonts installed.
 * Characters Source Sans 3 lacks are drawn from the fallback chain of `fonts.ts` (decision 0011): resvg
 * takes a missing character from the next font it was given that has it, so it is given only the
 * fallbacks this SVG's text needs, and a picture in Latin, Greek or Cyrillic loads two files, as before.
 */

/** Renders an SVG as a PNG, `scale` times its size (2 by default: sharp on high-density screens and in print). */
export const renderPng = async (svg: string, scale = 2): Promise<Uint8Array<ArrayBuffer>> => {
  // renderAsync runs on libuv's thread pool, so a large diagram does not hold up other requests.
  const image = await renderAsync(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { loadSystemFonts: false, fontFiles: fontFilesFor(svg, ['regular', 'bold']), defaultFontFamily: 'Source Sans 3', sansSerifFamily: 'Source Sans 3' },
    logLevel: 'off',
  });
  // A copy on a plain ArrayBuffer (Node's Buffer may share a pooled one), as a response body.
  return new Uint8Array(image.asPng());
};
