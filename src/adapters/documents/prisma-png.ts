import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';

/**
 * PNG from the diagram's SVG with resvg (docs/decisions/0007-prisma-png-with-resvg-and-source-sans.md).
 * resvg ignores CSS fonts, so it is given Source Sans 3 from the `source-sans` package and never reads
 * system fonts: the picture is the same on every machine, including one without any fonts installed.
 */
const require = createRequire(import.meta.url);
const fontFiles = ['source-sans/TTF/SourceSans3-Regular.ttf', 'source-sans/TTF/SourceSans3-Bold.ttf'].map((file) => require.resolve(file));

/** Renders an SVG as a PNG, `scale` times its size (2 by default: sharp on high-density screens and in print). */
export const renderPng = async (svg: string, scale = 2): Promise<Uint8Array<ArrayBuffer>> => {
  // renderAsync runs on libuv's thread pool, so a large diagram does not hold up other requests.
  const image = await renderAsync(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'Source Sans 3', sansSerifFamily: 'Source Sans 3' },
    logLevel: 'off',
  });
  // A copy on a plain ArrayBuffer (Node's Buffer may share a pooled one), as a response body.
  return new Uint8Array(image.asPng());
};
