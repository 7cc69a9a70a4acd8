import { describe, expect, it } from 'vitest';
import { makeSnippet } from './snippet.js';
import { terms } from './tokenize.js';

const render = (parts: ReturnType<typeof makeSnippet>) => parts.map((part) => (part.isMatch ? `[${part.text}]` : part.text)).join('');

describe('makeSnippet', () => {
  it('marks the words that match the query in any spelling, keeping the text as written', () => {
    expect(render(makeSnippet('Paediatric anaemia was common in children.', new Set(terms('pediatric anemia'))))).toBe('[Paediatric] [anaemia] was common in children.');
  });

  it('centres a long text on where the matches cluster, cutting at word boundaries', () => {
    const text = `${'Background words here. '.repeat(30)}Befriending reduced loneliness in older people. ${'Other words follow. '.repeat(30)}`;
    const snippet = render(makeSnippet(text, new Set(terms('befriending loneliness')), 120));
    expect(snippet.startsWith('… ')).toBe(true);
    expect(snippet.endsWith(' …')).toBe(true);
    expect(snippet).toContain('[Befriending] reduced [loneliness]');
    expect(snippet.length).toBeLessThan(130);
  });
});
