import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, guardFormula, toCsv, toSpreadsheetCsv, unguardFormula } from './csv-safe.js';

const readBack = (csv: string): string[][] => parse(csv, { bom: true });

describe('guardFormula', () => {
  it.each([
    ['=', '=HYPERLINK("http://evil","click")'],
    ['+', "+cmd|' /C calc'!A0"],
    ['-', '-2+3'],
    ['@', '@SUM(A1:A9)'],
    ['a tab', '\t=1+1'],
    ['a carriage return', '\r=1+1'],
    ['a tab before text', '\tplain'],
    ['a carriage return before text', '\rplain'],
    ['a full-width =', '\uFF1D1+1'],
    ['a full-width +', '\uFF0B1'],
    ['a full-width -', '\uFF0D1'],
    ['a full-width @', '\uFF20SUM(A1)'],
  ])('puts a quote before a string starting with %s', (_name, text) => {
    expect(guardFormula(text)).toBe(`'${text}`);
  });

  it.each([' =1+1', '   -2', '\n@SUM(A1)', ' \t+1', '\u00A0=1'])('puts a quote before a trigger after leading whitespace (%j)', (text) => {
    expect(guardFormula(text)).toBe(`'${text}`);
  });

  const harmless = ['', 'Falls in care homes', '  leading spaces', '\nline break first', 'a=b', 'x - y', 'e-mail@example.org', '2+2', '10.1136/bmj-2013'];
  it.each([...harmless, '2026-01-01T00:00:00.000Z', '"=quoted"', '#REF!', '%', '|'])('leaves %j alone', (text) => {
    expect(guardFormula(text)).toBe(text);
  });

  it('leaves a string already starting with a quote alone unless a trigger follows, then adds one more', () => {
    expect(guardFormula("'quoted")).toBe("'quoted");
    expect(guardFormula("'=1+1")).toBe("''=1+1");
    expect(guardFormula("''-1")).toBe("'''-1");
  });
});

describe('unguardFormula', () => {
  it.each(['=HYPERLINK("x")', '+1', '-2+3', '@A1', '\tx', '\r=1', ' =1', "'=1", "''-1", "'plain", 'plain', '', "'", "''", "'-", '\uFF1D1'])(
    'reads back exactly what guardFormula wrote (%j)',
    (text) => {
      expect(unguardFormula(guardFormula(text))).toBe(text);
    },
  );

  it('takes a quote off only when what follows it would have been guarded', () => {
    expect(unguardFormula("'=1+1")).toBe('=1+1');
    expect(unguardFormula("' -2")).toBe(' -2');
    expect(unguardFormula("'O'Neill")).toBe("'O'Neill");
    expect(unguardFormula("'quoted'")).toBe("'quoted'");
    expect(unguardFormula("'")).toBe("'");
  });
});

describe('csvCell', () => {
  it('writes numbers as numbers, negative ones included, and null or undefined as empty', () => {
    expect(csvCell(-2)).toBe(-2);
    expect(csvCell(-0.45)).toBe(-0.45);
    expect(csvCell(0)).toBe(0);
    expect(csvCell(2014)).toBe(2014);
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('-0.45')).toBe("'-0.45");
  });
});

describe('toCsv', () => {
  it('guards text cells, leaves numbers, and quotes as RFC 4180 does', () => {
    const csv = toCsv([
      ['title', 'effect', 'count'],
      ['=HYPERLINK("http://evil","click")', -0.45, 3],
      ['-2+3', '', -1],
      ['Falls, "serious" ones', '\r\n=1', 0],
    ]);
    expect(csv).toBe(
      'title,effect,count\n' + `"'=HYPERLINK(""http://evil"",""click"")",-0.45,3\n` + "'-2+3,,-1\n" + `"Falls, ""serious"" ones","'\r\n=1",0\n`,
    );
    expect(readBack(csv)).toEqual([
      ['title', 'effect', 'count'],
      [`'=HYPERLINK("http://evil","click")`, '-0.45', '3'],
      ["'-2+3", '', '-1'],
      ['Falls, "serious" ones', "'\r\n=1", '0'],
    ]);
  });

  it('puts a byte-order mark first for spreadsheets', () => {
    expect(toSpreadsheetCsv([['@who', 1]])).toBe("\uFEFF'@who,1\n");
  });
});
