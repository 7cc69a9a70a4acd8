import { describe, expect, it } from 'vitest';
import { readLines } from './lines.js';

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  yield* parts;
}
const collect = async (...parts: string[]) => {
  const lines: [number, string][] = [];
  for await (const { line, text } of readLines(chunks(...parts))) {
    lines.push([line, text]);
  }
  return lines;
};

describe('readLines', () => {
  it('numbers lines across chunk boundaries, with \\n, \\r\\n split between chunks, and a lone \\r', async () => {
    expect(await collect('\uFEFFTY  - JO', 'UR\r', '\nTI  - A\rER  -', '  \n\nlast')).toEqual([
      [1, 'TY  - JOUR'],
      [2, 'TI  - A'],
      [3, 'ER  -  '],
      [4, ''],
      [5, 'last'],
    ]);
  });

  it('yields nothing for an empty stream and keeps a final line without a newline', async () => {
    expect(await collect()).toEqual([]);
    expect(await collect('', 'only')).toEqual([[1, 'only']]);
  });
});
