import { describe, expect, it } from 'vitest';
import { renderPng } from './prisma-png.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const svg = (text: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><rect width="200" height="50" fill="#ffffff"/><text x="10" y="30" font-family="'Source Sans 3', Arial, sans-serif" font-size="20">${text}</text></svg>`;

/** Width and height from the PNG's IHDR chunk. */
const size = (png: Uint8Array) => {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
};

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
});
