/**
 * Text width without a font engine, for wrapping text in SVG boxes. The widths are Helvetica's (Arial
 * has the same metrics), in thousandths of an em: browsers showing the diagram fall back to Arial, and
 * the bundled Source Sans 3 used for PNGs is narrower, so text measured here fits in both.
 */
const asciiWidths: Record<string, number> = {
  ' ': 278, '!': 278, '"': 355, '#': 556, $: 556, '%': 889, '&': 667, "'": 191, '(': 333, ')': 333, '*': 389, '+': 584, ',': 278, '-': 333, '.': 278, '/': 278,
  ':': 278, ';': 278, '<': 584, '=': 584, '>': 584, '?': 556, '@': 1015, '[': 278, '\\': 278, ']': 278, '^': 469, _: 556, '`': 333, '{': 334, '|': 260, '}': 334, '~': 584,
  A: 667, B: 667, C: 722, D: 722, E: 667, F: 611, G: 778, H: 722, I: 278, J: 500, K: 667, L: 556, M: 833, N: 722, O: 778, P: 667, Q: 778, R: 722, S: 667, T: 611,
  U: 722, V: 667, W: 944, X: 667, Y: 667, Z: 611,
  a: 556, b: 556, c: 500, d: 556, e: 556, f: 278, g: 556, h: 556, i: 222, j: 222, k: 500, l: 222, m: 833, n: 556, o: 556, p: 556, q: 556, r: 333, s: 500, t: 278,
  u: 556, v: 500, w: 722, x: 500, y: 500, z: 500,
};

const widthOf = (character: string): number => {
  if (/\d/.test(character)) {
    return 556;
  }
  const known = asciiWidths[character];
  if (known !== undefined) {
    return known;
  }
  const code = character.codePointAt(0) ?? 0;
  // CJK and other full-width scripts take a whole em; other letters (accented Latin, Greek, …) about an upper-case letter.
  return code >= 0x2e80 ? 1000 : 667;
};

/** The width of a line of text in pixels at a font size; bold is about a tenth wider. */
export const measureText = (text: string, fontSize: number, isBold = false): number => {
  let thousandths = 0;
  for (const character of text) {
    thousandths += widthOf(character);
  }
  return (thousandths / 1000) * fontSize * (isBold ? 1.1 : 1);
};

/**
 * Greedy line-wrapping of words to a width. A word wider than the line is broken between characters.
 * Tokens are kept whole (pass "(n = 12)" as one token so that a count never splits).
 */
export const wrapTokens = (tokens: readonly string[], maxWidth: number, fontSize: number, isBold = false): string[] => {
  const lines: string[] = [];
  let line = '';
  const fits = (text: string) => measureText(text, fontSize, isBold) <= maxWidth;
  for (const token of tokens.filter((candidate) => candidate !== '')) {
    const joined = line === '' ? token : `${line} ${token}`;
    if (fits(joined)) {
      line = joined;
      continue;
    }
    if (line !== '') {
      lines.push(line);
      line = '';
    }
    if (fits(token)) {
      line = token;
      continue;
    }
    for (const character of token) {
      if (line !== '' && !fits(line + character)) {
        lines.push(line);
        line = '';
      }
      line += character;
    }
  }
  if (line !== '') {
    lines.push(line);
  }
  return lines;
};

/** Words of a text, split on any white space. */
export const words = (text: string): string[] => text.split(/\s+/).filter((word) => word !== '');
