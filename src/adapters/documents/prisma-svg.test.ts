import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { prismaCounts, prismaLabels, type PrismaCounts } from '../../core/reviews/prisma.js';
import type { StageCounts } from '../../core/reviews/screening-state.js';
import { escapeXml, renderPrismaSvg } from './prisma-svg.js';
import { measureText, wrapTokens } from './text-measure.js';

const stage = (counts: Partial<StageCounts>): StageCounts => ({ records: 0, toScreen: 0, conflicts: 0, included: 0, excluded: 0, notRetrieved: 0, decisions: 0, excludedByReason: [], ...counts });

const counts: PrismaCounts = prismaCounts({
  batches: [
    { sourceDatabase: 'MEDLINE via Ovid', parsed: 1200, duplicates: 10, skipped: 3 },
    { sourceDatabase: 'Embase', parsed: 40, duplicates: 30, skipped: 0 },
  ],
  mergedAfterImport: 2,
  stages: {
    title_abstract: stage({ records: 1198, included: 25, excluded: 1173 }),
    full_text: stage({ records: 25, included: 6, excluded: 17, notRetrieved: 2, excludedByReason: [{ reason: 'Wrong population & setting <adults>', count: 17 }] }),
  },
});

interface Parsed {
  root: string;
  attributes: Record<string, string>;
  texts: string[];
  title: string;
  desc: string;
  rects: { x: number; y: number; width: number; height: number }[];
}

/** Parses the SVG as XML (throwing on anything not well-formed) and collects what a reader would see. */
const parse = (svg: string): Parsed => {
  const parser = new SaxesParser({ xmlns: true });
  const parsed: Parsed = { root: '', attributes: {}, texts: [], title: '', desc: '', rects: [] };
  const open: string[] = [];
  let text = '';
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    if (open.length === 0) {
      parsed.root = tag.local;
      parsed.attributes = Object.fromEntries(Object.values(tag.attributes).map((attribute) => [attribute.local, attribute.value]));
    }
    if (tag.local === 'rect') {
      const number = (name: string) => Number(tag.attributes[name]?.value);
      parsed.rects.push({ x: number('x'), y: number('y'), width: number('width'), height: number('height') });
    }
    open.push(tag.local);
    text = '';
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.on('closetag', (tag) => {
    open.pop();
    if (tag.local === 'text') {
      parsed.texts.push(text);
    } else if (tag.local === 'title') {
      parsed.title = text;
    } else if (tag.local === 'desc') {
      parsed.desc = text;
    }
    text = '';
  });
  parser.write(svg).close();
  return parsed;
};

describe('renderPrismaSvg', () => {
  const labels = prismaLabels({ screened: 'Titles & abstracts screened <by two people>', included: 'Studies "in" the review' });
  const svg = renderPrismaSvg({ counts, labels, subject: 'RV-0001: Falls & <frailty>' });
  const parsed = parse(svg);
  const visible = parsed.texts.join('\n');

  it('is a self-contained SVG with an accessible title and description', () => {
    expect(parsed.root).toBe('svg');
    expect(parsed.attributes).toMatchObject({ role: 'img', 'aria-labelledby': 'prisma-title prisma-desc' });
    expect(parsed.title).toBe('PRISMA 2020 flow diagram: RV-0001: Falls & <frailty>');
    expect(parsed.desc).toContain('Records identified: 1243 (MEDLINE via Ovid: 1203; Embase: 40).');
    expect(parsed.desc).toContain('Duplicate records removed before screening: 42. Records removed for other reasons: 3.');
    expect(svg).not.toMatch(/href|url\(|@import|<image|<style/);
  });

  it('shows every box with its number, and each source and reason for exclusion', () => {
    for (const line of [
      'Records identified (n = 1,243)',
      'MEDLINE via Ovid (n = 1,203)',
      'Embase (n = 40)',
      'Duplicate records removed before screening (n = 42)',
      'Records removed for other reasons (n = 3)',
      'Records excluded (n = 1,173)',
      'Reports sought for retrieval (n = 25)',
      'Reports not retrieved (n = 2)',
      'Reports assessed for eligibility (n = 23)',
      'Reports excluded (n = 17)',
      'Wrong population & setting <adults> (n = 17)',
      'Reports of included studies (n = 6)',
      'Identification',
      'Screening',
      'Included',
    ]) {
      expect(visible.replace(/\n/g, ' ')).toContain(line);
    }
  });

  it('uses the team’s labels, escaped, and never splits a count across lines', () => {
    expect(visible.replace(/\n/g, ' ')).toContain('Titles & abstracts screened <by two people> (n = 1,198)');
    expect(visible).toContain('Studies "in" the review (n = 6)');
    expect(svg).toContain('&lt;by two people&gt;');
    const reworded = parse(renderPrismaSvg({ counts, labels: prismaLabels({ removedOther: 'Records without a title' }), subject: 'x' })).texts.join(' ');
    expect(reworded).toContain('Records without a title (n = 3)');
    expect(reworded).not.toContain('Records removed for other reasons');
    expect(parsed.texts.some((line) => /\(n = [\d,]+\)/.test(line))).toBe(true);
    expect(parsed.texts.filter((line) => line.includes('(n =')).every((line) => /\(n = [\d,]+\)/.test(line))).toBe(true);
  });

  it('wraps a long label inside its box', () => {
    const long = renderPrismaSvg({ counts, labels: prismaLabels({ removed: 'Records removed before screening because they were duplicates of records already found in another database search'.repeat(2) }), subject: 'x' });
    const lines = parse(long).texts.filter((line) => line.startsWith('Records removed') || / (database|duplicates|already)\b/.test(line));
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      expect(measureText(line, 14, true)).toBeLessThanOrEqual(378 - 20);
    }
    // The boxes grow with their text and stay inside the picture.
    const { rects, attributes } = parse(long);
    for (const rect of rects) {
      expect(rect.y + rect.height).toBeLessThanOrEqual(Number(attributes.height));
    }
  });

  it('stays well-formed whatever the labels hold (control characters, lone surrogates)', () => {
    const odd = renderPrismaSvg({ counts, labels: prismaLabels({ heading: 'A\u0001B\uD800C ]]> <!-- & --> \'quoted\'' }), subject: '<svg>' });
    expect(() => parse(odd)).not.toThrow();
    expect(parse(odd).texts).toContain("ABC ]]> <!-- & --> 'quoted'");
  });

  it('says the diagram is provisional while screening is not finished', () => {
    const pending = renderPrismaSvg({ counts: { ...counts, pending: { title_abstract: 12, full_text: 0 } }, labels, subject: 'x' });
    expect(parse(pending).texts.join(' ')).toContain('Screening is not finished: 12 records at title and abstract have no final decision yet.');
    const onePending = parse(renderPrismaSvg({ counts: { ...counts, pending: { title_abstract: 0, full_text: 1 } }, labels, subject: 'x' })).texts.join(' ');
    expect(onePending).toContain('Screening is not finished: 1 record at full text has no final decision yet.');
    expect(onePending).not.toContain('title and abstract have');
  });
});

describe('escapeXml', () => {
  it('escapes markup characters', () => {
    expect(escapeXml('a < b & c > "d" \'e\'')).toBe('a &lt; b &amp; c &gt; &quot;d&quot; &apos;e&apos;');
  });
});

describe('wrapTokens', () => {
  it('fills lines greedily, keeps tokens whole and breaks a word longer than the line', () => {
    expect(wrapTokens(['Records', 'screened', '(n = 12)'], 1000, 14)).toEqual(['Records screened (n = 12)']);
    expect(wrapTokens(['Records', 'screened', '(n = 12)'], 70, 14)).toEqual(['Records', 'screened', '(n = 12)']);
    const broken = wrapTokens(['x'.repeat(40)], 100, 14);
    expect(broken.length).toBeGreaterThan(1);
    expect(broken.join('')).toBe('x'.repeat(40));
  });
});
