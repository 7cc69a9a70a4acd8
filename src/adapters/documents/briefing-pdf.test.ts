import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import type { BriefingDocument } from '../../core/briefings/document.js';
import { briefingDocument, harvardBriefingDocument } from '../../../test/fixtures/briefing-document.js';
import { renderBriefingPdf } from './briefing-pdf.js';

interface StructNode {
  role?: string;
  children?: StructNode[];
}

/** Text of every page (items joined, lines by their text runs), the metadata, and the structure tree's roles. */
const readPdf = async (bytes: Buffer) => {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  const roles: string[] = [];
  const collect = (node: StructNode | null | undefined) => {
    if (node?.role !== undefined) {
      roles.push(node.role);
    }
    node?.children?.forEach(collect);
  };
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
    collect((await page.getStructTree()) as StructNode | null);
  }
  const metadata = await pdf.getMetadata();
  await pdf.destroy();
  return { pages, text: pages.join('\n'), info: metadata.info as Record<string, unknown>, roles };
};

const longBriefing = (): BriefingDocument => {
  const sentence = 'Strength and balance exercise at home, done three times a week for six months, cut the rate of falls among older people living in the community. ';
  const base = briefingDocument();
  return {
    ...base,
    sections: [
      ...base.sections,
      ...Array.from({ length: 6 }, (_, index) => ({
        key: `extra_${index}`,
        heading: `Further detail ${index + 1}`,
        blocks: [{ kind: 'paragraph' as const, content: [{ kind: 'text' as const, text: sentence.repeat(8) }, { kind: 'cite' as const, numbers: [2] }] }],
      })),
    ],
  };
};

let vancouver: ReturnType<typeof readPdf> | undefined;
/** The fixture's PDF, rendered and read once for the tests that look at it. */
const vancouverPdf = () => (vancouver ??= renderBriefingPdf(briefingDocument()).then(readPdf));

describe('renderBriefingPdf', () => {
  it('writes selectable text: title, headings, paragraphs, lists, the table and the references', async () => {
    const { text, info } = await vancouverPdf();
    for (const expected of [
      'Home exercise to prevent falls',
      'Decision briefing for the Adult Social Care commissioning board',
      'Prepared by Asha Fellow and Ben Lead',
      '26 November 2026',
      'Bottom line',
      'Key messages',
      'Home exercise cuts falls by about a quarter',
      'Fund a pilot',
      'Studies of home exercise',
      'Randomised controlled trial',
      'Fewer falls & fractures',
      'References',
      'Doe J. Social prescribing for loneliness.',
    ]) {
      expect(text).toContain(expected);
    }
    // The superscript citation numbers, and the numbered references.
    expect(text).toMatch(/quarter\s*1,2\s*\./);
    expect(text).toMatch(/1\.\s*Smith JA, Jones M, Brown K\./);
    expect(info).toMatchObject({ Title: 'Home exercise to prevent falls', Subject: 'Decision briefing for the Adult Social Care commissioning board', Author: 'Asha Fellow, Ben Lead', Language: 'en-GB' });
  });

  it('is tagged: headings, paragraphs, lists and a table with header cells in the structure tree', async () => {
    const { roles } = await vancouverPdf();
    expect(roles.filter((role) => role === 'H1')).toHaveLength(1);
    expect(roles.filter((role) => role === 'H2')).toHaveLength(4);
    for (const role of ['Document', 'Sect', 'P', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'TR', 'TH', 'TD']) {
      expect(roles).toContain(role);
    }
    expect(roles.filter((role) => role === 'TH')).toHaveLength(3);
  });

  it('cites by author and year in Harvard style', async () => {
    const { text } = await readPdf(await renderBriefingPdf(harvardBriefingDocument()));
    expect(text.replace(/\s+/g, ' ')).toContain('(Smith, Jones and Brown, 2021; Doe, 2019)');
    expect(text.indexOf('Doe, J. (2019)')).toBeLessThan(text.indexOf('Smith, J.A., Jones, M.'));
  });

  it('wraps long text onto further pages and keeps everything', async () => {
    const { pages, text } = await readPdf(await renderBriefingPdf(longBriefing()));
    expect(pages.length).toBeGreaterThan(1);
    expect(text).toContain('Further detail 6');
    expect(pages.at(-1)).toContain('References');
  });

  it('keeps markup-like text as text', async () => {
    const { text, info } = await readPdf(await renderBriefingPdf(briefingDocument({ title: 'Falls <script>alert(1)</script>' })));
    expect(text).toContain('Falls <script>alert(1)</script>');
    expect(info.Title).toBe('Falls <script>alert(1)</script>');
  });
});
