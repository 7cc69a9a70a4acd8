import { describe, expect, it } from 'vitest';
import { mergeSections } from './conflict.js';

const sections = (bodies: Record<string, string>) => Object.entries(bodies).map(([key, body]) => ({ key, heading: key, body }));

describe('merging a refused save with the version someone else saved', () => {
  const base = sections({ a: 'Opened text.', b: 'Opened text.', c: 'Opened text.', d: 'Opened text.', e: 'Line one\nline two' });
  const theirs = sections({ a: 'Opened text.', b: 'Their text.', c: 'Their text.', d: 'Opened text.', e: 'Line one\nline two' });
  const typed = new Map([
    ['a', 'Your text.'],
    ['b', 'Opened text.'],
    ['c', 'Your text.'],
    ['d', 'Opened text.'],
    // Posted by a browser: CRLF line breaks, the same text.
    ['e', 'Line one\r\nline two'],
  ]);
  const merged = mergeSections(base, theirs, typed);

  it.each([
    ['a', 'yours', 'Your text.'],
    ['b', 'theirs', 'Their text.'],
    ['c', 'both', 'Your text.'],
    ['d', 'unchanged', 'Opened text.'],
    ['e', 'unchanged', 'Line one\r\nline two'],
  ])('section %s is %s, and the editor holds %j', (key, kind, text) => {
    const section = merged.find((entry) => entry.key === key);
    expect(section?.kind).toBe(kind);
    expect(section?.merged).toBe(text);
  });

  it('says what the other person changed since the version the user opened, and their whole text', () => {
    const section = merged.find((entry) => entry.key === 'c');
    expect(section?.theirs).toBe('Their text.');
    expect(section?.changes).toEqual([
      { kind: 'removed', text: 'Opened' },
      { kind: 'added', text: 'Their' },
      { kind: 'same', text: ' text.' },
    ]);
    expect(merged.find((entry) => entry.key === 'a')?.changes).toEqual([]);
  });

  it('counts the same change made on both sides as theirs, and a section not posted as untouched', () => {
    const [same] = mergeSections(sections({ a: 'Old.' }), sections({ a: 'New.' }), new Map([['a', 'New.']]));
    expect(same?.kind).toBe('theirs');
    const [missing] = mergeSections(sections({ a: 'Old.' }), sections({ a: 'New.' }), new Map());
    expect(missing).toMatchObject({ kind: 'theirs', merged: 'New.' });
  });
});
