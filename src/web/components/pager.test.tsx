import { describe, expect, it } from 'vitest';
import { Pager } from './pager.js';

const html = (total: number, number: number) => String(<Pager total={total} page={{ number, size: 50 }} hrefOf={(page) => `/things?page=${page}`} noun="Pairs" />);

describe('Pager', () => {
  it('shows nothing when one page holds everything', () => {
    expect(html(50, 1)).toBe('');
  });

  it('says which items the page shows and links to the pages either side', () => {
    const middle = html(224, 2);
    expect(middle).toContain('Pairs 51 to 100 of 224.');
    expect(middle).toContain('href="/things?page=1"');
    expect(middle).toContain('href="/things?page=3"');
    expect(middle).toMatch(/Page\s*3\s*of\s*5/);
    const last = html(224, 5);
    expect(last).toContain('Pairs 201 to 224 of 224.');
    expect(last).not.toContain('page=6');
  });

  it('says so past the last page, and links back to the last one', () => {
    const past = html(60, 9);
    expect(past).toContain('There are 60; this page is past the last.');
    expect(past).toContain('href="/things?page=2"');
  });
});
