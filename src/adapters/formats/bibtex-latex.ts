/**
 * LaTeX in BibTeX field values, decoded to plain Unicode text. BibTeX files from reference
 * managers carry accents as macros (`{\"o}`, `\'{e}`, `\c{c}`), escaped specials (`\&`), TeX
 * ligatures (`--`, ``` `` ```) and case-protecting braces; none of that belongs in a record.
 */

/** Accent macros and the Unicode combining mark each stands for; NFC then composes `o` + U+0308 into `ö`. */
const accents: Readonly<Record<string, string>> = {
  '"': '\u0308',
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  u: '\u0306',
  v: '\u030C',
  H: '\u030B',
  c: '\u0327',
  k: '\u0328',
  r: '\u030A',
  d: '\u0323',
  b: '\u0331',
};

// Maps, not object lookups: a command named \constructor must not find Object.prototype.constructor.
const wordTable = (table: Record<string, string>): ReadonlyMap<string, string> => new Map(Object.entries(table));

/** Text-mode control words. TeX swallows the spaces after a control word, so `Stra\ss e` is "Straße". */
const textWords: ReadonlyMap<string, string> = wordTable({
  aa: 'å', AA: 'Å', o: 'ø', O: 'Ø', ss: 'ß', SS: 'SS', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', l: 'ł', L: 'Ł',
  i: 'ı', j: 'ȷ', dh: 'ð', DH: 'Ð', dj: 'đ', DJ: 'Đ', th: 'þ', TH: 'Þ', ng: 'ŋ', NG: 'Ŋ',
  textendash: '–', textemdash: '—', textquoteleft: '‘', textquoteright: '’', textquotedblleft: '“',
  textquotedblright: '”', ldots: '…', dots: '…', textellipsis: '…', textregistered: '®', textcopyright: '©',
  copyright: '©', texttrademark: '™', pounds: '£', textsterling: '£', euro: '€', texteuro: '€', S: '§', P: '¶',
  textdegree: '°', textasciicircum: '^', textbar: '|', textless: '<', textgreater: '>', textunderscore: '_', textbullet: '•',
  textperiodcentered: '·', textmu: 'µ', textperthousand: '‰', guillemotleft: '«', guillemotright: '»',
  par: '\n\n',
});

/** Math-mode symbols common in titles and abstracts. Math spacing is automatic, so following spaces stay. */
const mathWords: ReadonlyMap<string, string> = wordTable({
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ',
  phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ',
  Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω', pm: '±', mp: '∓', times: '×', div: '÷', cdot: '·',
  leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈', sim: '∼', infty: '∞', to: '→',
  rightarrow: '→', leftarrow: '←', circ: '∘', degree: '°', partial: '∂', sum: '∑', int: '∫', sqrt: '√', in: '∈',
  quad: ' ', qquad: ' ',
});

/** Control symbols (`\` + one non-letter); the listed ones vanish or become a space, others give the character. */
const controlSymbols: Readonly<Record<string, string>> = {
  ' ': ' ', ',': ' ', ';': ' ', ':': ' ', '!': '', '-': '', '/': '', '@': '',
  // \( \) \[ \] delimit math mode, whose markers are dropped.
  '(': '', ')': '', '[': '', ']': '',
};

// Private-use placeholders keep escaped characters apart from LaTeX syntax until the end.
const openBrace = '\uE000';
const closeBrace = '\uE001';
const dollar = '\uE002';
const backslash = '\uE003';
const tilde = '\uE004';
const placeholders: Readonly<Record<string, string>> = { [openBrace]: '{', [closeBrace]: '}', [dollar]: '$', [backslash]: '\\', [tilde]: '~' };
const escapeWords: ReadonlyMap<string, string> = wordTable({
  textbraceleft: openBrace,
  textbraceright: closeBrace,
  textdollar: dollar,
  textbackslash: backslash,
  textasciitilde: tilde,
});

const accentBase = (base: string): string => (base === '\\i' ? 'i' : base === '\\j' ? 'j' : base);

const symbolAccents = /\\([`'^"~=.])\s*(?:\{\s*(\\[ij](?![A-Za-z])|[A-Za-z])\s*\}|(\\[ij](?![A-Za-z])|[A-Za-z]))/g;
// Letter-named accents need a brace or a space before their argument, or `\u` would eat `\url`.
const letterAccents = /\\([uvHckrdb])(?:\s*\{\s*(\\[ij](?![A-Za-z])|[A-Za-z])\s*\}|\s+(\\[ij](?![A-Za-z])|[A-Za-z]))/g;

/** Decodes LaTeX markup in a text field (title, abstract, name part) to Unicode; whitespace is left for the caller to clean. */
export const decodeLatex = (raw: string): string => {
  if (!/[\\{}$~`'-]/.test(raw)) {
    return raw.normalize('NFC');
  }
  return raw
    .replace(/\\\\/g, ' ')
    .replace(/\\\{/g, openBrace)
    .replace(/\\\}/g, closeBrace)
    .replace(/\\\$/g, dollar)
    .replace(/\\([&%_#])/g, '$1')
    .replace(/\^\{?\\circ\}?/g, '°')
    // Environment names (\begin{pmatrix}) are markup, not text.
    .replace(/\\(?:begin|end)\s*\{[^{}]*\}/g, ' ')
    .replace(symbolAccents, (_match, accent: string, braced?: string, bare?: string) => accentBase(braced ?? bare ?? '') + (accents[accent] ?? ''))
    .replace(letterAccents, (_match, accent: string, braced?: string, bare?: string) => accentBase(braced ?? bare ?? '') + (accents[accent] ?? ''))
    .replace(/\\([A-Za-z]+)(\s*)/g, (_match, word: string, space: string) => {
      const text = textWords.get(word) ?? escapeWords.get(word);
      if (text !== undefined) {
        return text;
      }
      const math = mathWords.get(word);
      // Unknown commands (\emph, \textit, \mathrm, \url …) are dropped and their arguments kept.
      return math !== undefined ? math + space : '';
    })
    .replace(/\\(.)/g, (_match, symbol: string) => controlSymbols[symbol] ?? (symbol in accents ? '' : symbol))
    .replace(/\$/g, '')
    .replace(/---/g, '—')
    .replace(/--/g, '–')
    .replace(/``/g, '“')
    .replace(/''/g, '”')
    .replace(/~/g, ' ')
    .replace(/[{}]/g, '')
    .replace(/[\uE000-\uE004]/g, (placeholder) => placeholders[placeholder] ?? '')
    .normalize('NFC');
};

/**
 * Decodes only what can appear in identifiers and links (DOI, URL, ISSN, PMID): braces and escaped
 * specials. Dashes and tildes are kept, because `--` and `~` are literal in URLs.
 */
export const decodeVerbatim = (raw: string): string => raw.replace(/\\([&%_#$~])/g, '$1').replace(/[{}]/g, '');
