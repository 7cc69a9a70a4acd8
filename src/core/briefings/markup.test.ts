import { describe, expect, it } from 'vitest';
import { blocksOf, citationsOutside, citedNumbers, plainText } from './markup.js';

describe('briefing text', () => {
  it('finds cited records in order of first citation, in any of the accepted spellings', () => {
    expect(citedNumbers('Calls helped [@3]. Groups too [@1, @3]; and [@2;4].')).toEqual([3, 1, 2, 4]);
    expect(citedNumbers('No citations, even [@0] or [@x].')).toEqual([]);
  });

  it('turns paragraphs, bullets and numbered lists into blocks, renumbering citations', () => {
    const renumber = (listNumber: number) => ({ 3: 1, 1: 2 })[listNumber];
    expect(blocksOf('First line\ncontinues [@3].\n\n- one [@1]\n- two\n1. first\n2. second\n\nUnknown [@9] dropped.', renumber)).toEqual([
      { kind: 'paragraph', content: [{ kind: 'text', text: 'First line continues ' }, { kind: 'cite', numbers: [1] }, { kind: 'text', text: '.' }] },
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'one ' }, { kind: 'cite', numbers: [2] }], [{ kind: 'text', text: 'two' }]] },
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'first' }], [{ kind: 'text', text: 'second' }]] },
      { kind: 'paragraph', content: [{ kind: 'text', text: 'Unknown ' }, { kind: 'text', text: ' dropped.' }] },
    ]);
  });

  it('gives plain text for readability, without citations or list marks', () => {
    expect(plainText('- Calls helped [@1].\n- Groups too [@2, @3] .')).toBe('Calls helped.\nGroups too.');
  });
});

describe('citationsOutside', () => {
  it('names the cited numbers that are 0 or past the end of the evidence list, once each', () => {
    expect(citationsOutside('Calls helped [@1, @3] and [@99]; see also [@0] and [@99].', 3)).toEqual([99, 0]);
    expect(citationsOutside('All fine [@1; 2] [@3]', 3)).toEqual([]);
    expect(citationsOutside('No list yet [@1]', 0)).toEqual([1]);
  });
});
