import { describe, expect, it } from 'vitest';
import { diffWords } from './diff.js';

describe('word differences between versions', () => {
  it('marks the words removed and added, keeping the rest', () => {
    expect(diffWords('Befriending reduced loneliness a little.', 'Befriending reduced loneliness a lot [@1].')).toEqual([
      { kind: 'same', text: 'Befriending reduced loneliness a ' },
      { kind: 'removed', text: 'little.' },
      { kind: 'added', text: 'lot [@1].' },
    ]);
  });

  it('handles empty texts on either side', () => {
    expect(diffWords('', 'New text')).toEqual([{ kind: 'added', text: 'New text' }]);
    expect(diffWords('Old text', '')).toEqual([{ kind: 'removed', text: 'Old text' }]);
    expect(diffWords('Same', 'Same')).toEqual([{ kind: 'same', text: 'Same' }]);
  });
});
