import { describe, expect, it } from 'vitest';
import { decodeLatex, decodeVerbatim } from './bibtex-latex.js';

describe('decodeLatex', () => {
  it.each([
    ['{\\"o}', 'ö'],
    ['\\"{o}', 'ö'],
    ['\\"o', 'ö'],
    ["{\\'e}", 'é'],
    ["\\'{e}", 'é'],
    ['\\`a', 'à'],
    ['\\^o', 'ô'],
    ['\\~n', 'ñ'],
    ['\\c{c}', 'ç'],
    ['{\\c{C}}etinkaya', 'Çetinkaya'],
    ['Fran\\c cois', 'François'],
    ['\\v{s}', 'š'],
    ['\\u{g}', 'ğ'],
    ['\\={a}', 'ā'],
    ['\\.{z}', 'ż'],
    ['\\H{o}', 'ő'],
    ['\\k{a}', 'ą'],
    ['\\r{a}', 'å'],
    ['\\"{\\i}', 'ï'],
    ["\\'\\i", 'í'],
    ['Aks{\\i}n', 'Aksın'],
    ['{\\aa}', 'å'],
    ['{\\AA}ngstr{\\"o}m', 'Ångström'],
    ['{\\o}', 'ø'],
    ['Stra\\ss e', 'Straße'],
    ['{\\ss}', 'ß'],
    ['{\\ae}', 'æ'],
    ['{\\OE}uvre', 'Œuvre'],
    ['{\\l}{\\\'o}d{\\\'z}', 'łódź'],
    ['Fish \\& Chips', 'Fish & Chips'],
    ['50\\%', '50%'],
    ['snake\\_case', 'snake_case'],
    ['\\#1 and \\$5', '#1 and $5'],
    ['1990--2000', '1990–2000'],
    ['yes---no', 'yes—no'],
    ["``quoted''", '“quoted”'],
    ['$\\beta$-cyclodextrin', 'β-cyclodextrin'],
    ['$p \\leq 0.05$', 'p ≤ 0.05'],
    ['37$^\\circ$C', '37°C'],
    ['\\(x\\)', 'x'],
    ['{Pd-N}-heterocyclic {Mizoroki-Heck}', 'Pd-N-heterocyclic Mizoroki-Heck'],
    ['\\emph{in vivo} and \\textit{in vitro}', 'in vivo and in vitro'],
    ['A \\texttt{set} entry', 'A set entry'],
    ['non~breaking', 'non breaking'],
    ['\\textbackslash{}n and \\textbraceleft{}x\\textbraceright{}', '\\n and {x}'],
    ['\\textasciitilde{} and \\textasciicircum{}', '~ and ^'],
    ['-{}- and `{}` and \'{}\'', "-- and `` and ''"],
    ['{\\constructor}x', 'x'],
    ['plain text', 'plain text'],
  ])('decodes %s as %s', (raw, expected) => {
    expect(decodeLatex(raw)).toBe(expected);
  });
});

describe('decodeVerbatim', () => {
  it('keeps dashes and tildes in links and removes only braces and escapes', () => {
    expect(decodeVerbatim('http://example.org/~user/a--b\\_c?x=1\\&y={2}')).toBe('http://example.org/~user/a--b_c?x=1&y=2');
  });
});
