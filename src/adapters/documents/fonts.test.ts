import { delimiter } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cjkText, internationalText, unsupportedText } from '../../../test/fixtures/international-text.js';
import { fontChain, fontFilesFor, fontFor, fontStyles, missingCharacters, splitByFont, systemFallbackFiles } from './fonts.js';

const file = (path: string) => path.split('/').at(-1) ?? path;
/** Whether this machine has a CJK font where the chain looks for one. */
const hasCjkFont = systemFallbackFiles(process.env.MOBILISE_FALLBACK_FONTS).regular.length > 0;

describe('the font chain', () => {
  it.each(fontStyles)('has a real glyph for every character of medical and international text in %s', (style) => {
    expect(missingCharacters(Object.values(internationalText).join(' '), fontChain(style))).toEqual([]);
  });

  it('draws Greek, symbols, accented Latin and Cyrillic in Source Sans 3 itself, maths symbols in DejaVu Sans, emoji in Noto Emoji', () => {
    for (const style of fontStyles) {
      const chain = fontChain(style);
      const fileOf = (character: string) => file(fontFor(chain, character)?.path ?? 'none');
      for (const text of [internationalText.greek, internationalText.symbols, internationalText.names, internationalText.cyrillic]) {
        for (const character of text.replace(/\s/g, '')) {
          expect(fileOf(character), `${character} in ${style}`).toMatch(/^SourceSans3-/);
        }
      }
      expect(fileOf('∝')).toMatch(/^DejaVuSans/);
      expect(fileOf('🩺')).toMatch(/^NotoEmoji_/);
    }
  });

  it('has no glyph for a script with no font in the chain, nor for CJK unless the machine has a CJK font', () => {
    expect(missingCharacters(unsupportedText, fontChain('regular'))).toEqual(['न', 'म', 'स', 'त']);
    expect(missingCharacters(cjkText, fontChain('bold'))).toEqual(hasCjkFont ? [] : [...cjkText.replace(/\s/g, '')]);
  });

  it('cuts text into runs by the first font that has each character, spaces and joiners kept with the run before', () => {
    const chain = fontChain('regular');
    expect(splitByFont('κ ∝ 5 µg 👩‍⚕️ ok', chain).map((run) => [run.text, file(chain[run.index]?.path ?? '')])).toEqual([
      ['κ ', 'SourceSans3-Regular.ttf'],
      ['∝ ', 'DejaVuSans.ttf'],
      ['5 µg ', 'SourceSans3-Regular.ttf'],
      ['👩‍⚕️ ', 'NotoEmoji_400Regular.ttf'],
      ['ok', 'SourceSans3-Regular.ttf'],
    ]);
    // A character no font has stays in the run it is in (drawn as that font's box).
    expect(splitByFont('aनb', chain)).toEqual([{ text: 'aनb', index: 0 }]);
    // For SVG, spaces and such characters go in the first font, as resvg draws them.
    expect(splitByFont('∝ ∈न', chain, { unplacedInFirst: true }).map((run) => [run.text, run.index])).toEqual([
      ['∝', 1],
      [' ', 0],
      ['∈', 1],
      ['न', 0],
    ]);
  });

  it('knows each font\'s family name, as an SVG names it', () => {
    expect(fontChain('bold').slice(0, 3).map((entry) => entry.family)).toEqual(['Source Sans 3', 'DejaVu Sans', 'Noto Emoji']);
  });

  it('gives resvg only the fallback files the text needs', () => {
    expect(fontFilesFor('Records screened: β-blockers ≥ 5 µg, Łukasz, Ярослав', ['regular', 'bold']).map(file)).toEqual(['SourceSans3-Regular.ttf', 'SourceSans3-Bold.ttf']);
    expect(fontFilesFor('Records ∝ 🙂', ['regular', 'bold']).map(file)).toEqual([
      'SourceSans3-Regular.ttf',
      'DejaVuSans.ttf',
      'NotoEmoji_400Regular.ttf',
      'SourceSans3-Bold.ttf',
      'DejaVuSans-Bold.ttf',
      'NotoEmoji_700Bold.ttf',
    ]);
  });
});

describe('systemFallbackFiles', () => {
  const candidates = { regular: ['/fonts/a-regular.ttc', '/fonts/b-regular.ttf'], bold: ['/fonts/a-bold.ttc'] };

  it('takes the named files that exist, then the first CJK candidate found, bold where there is one', () => {
    const present = new Set(['/mine/one.ttf', '/fonts/b-regular.ttf']);
    const exists = (path: string) => present.has(path);
    expect(systemFallbackFiles(['/mine/one.ttf', '/mine/gone.ttf'].join(delimiter), candidates, exists)).toEqual({
      regular: ['/mine/one.ttf', '/fonts/b-regular.ttf'],
      bold: ['/mine/one.ttf', '/fonts/b-regular.ttf'],
    });
    present.add('/fonts/a-regular.ttc').add('/fonts/a-bold.ttc');
    expect(systemFallbackFiles(undefined, candidates, exists)).toEqual({ regular: ['/fonts/a-regular.ttc'], bold: ['/fonts/a-bold.ttc'] });
  });

  it('is empty on a machine with no such font', () => {
    expect(systemFallbackFiles('', candidates, () => false)).toEqual({ regular: [], bold: [] });
  });
});
