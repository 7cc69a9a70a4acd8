import type { Block, Inline } from './document.js';

const CITATION = /\[@(\d+(?:\s*[,;]\s*@?\d+)*)\]/g;

/** The record numbers a text cites (`[@1]`, `[@1, @3]` or `[@1,3]`), in order of first appearance. */
export const citedNumbers = (text: string): number[] => {
  const seen: number[] = [];
  for (const match of text.matchAll(CITATION)) {
    for (const part of (match[1] ?? '').split(/[,;]/)) {
      const number = Number(part.replace('@', '').trim());
      if (Number.isInteger(number) && number > 0 && !seen.includes(number)) {
        seen.push(number);
      }
    }
  }
  return seen;
};

/** Numbers cited in a text that name no record of an evidence list of `count` (0, or past its end): they would print as nothing. */
export const citationsOutside = (text: string, count: number): number[] => {
  const outside: number[] = [];
  for (const match of text.matchAll(CITATION)) {
    for (const part of (match[1] ?? '').split(/[,;]/)) {
      const number = Number(part.replace('@', '').trim());
      if ((number < 1 || number > count) && !outside.includes(number)) {
        outside.push(number);
      }
    }
  }
  return outside;
};

/** Text with citations as inline parts; `renumber` maps an evidence-list number to its number in the references. */
export const inlines = (text: string, renumber: (listNumber: number) => number | undefined): Inline[] => {
  const parts: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(CITATION)) {
    if (match.index > last) {
      parts.push({ kind: 'text', text: text.slice(last, match.index) });
    }
    const numbers = (match[1] ?? '')
      .split(/[,;]/)
      .map((part) => renumber(Number(part.replace('@', '').trim())))
      .filter((number): number is number => number !== undefined);
    if (numbers.length > 0) {
      parts.push({ kind: 'cite', numbers });
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) {
    parts.push({ kind: 'text', text: text.slice(last) });
  }
  return parts;
};

/**
 * A section's text as blocks: paragraphs separated by blank lines; consecutive lines starting with
 * `- ` (or `* `) make a bullet list, with `1. ` a numbered one. Lines of a paragraph are joined.
 */
export const blocksOf = (body: string, renumber: (listNumber: number) => number | undefined): Block[] => {
  const blocks: Block[] = [];
  for (const chunk of body.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    let paragraph: string[] = [];
    let list: { ordered: boolean; items: string[] } | undefined;
    const flushParagraph = () => {
      if (paragraph.length > 0) {
        blocks.push({ kind: 'paragraph', content: inlines(paragraph.join(' '), renumber) });
        paragraph = [];
      }
    };
    const flushList = () => {
      if (list) {
        blocks.push({ kind: 'list', ordered: list.ordered, items: list.items.map((item) => inlines(item, renumber)) });
        list = undefined;
      }
    };
    for (const line of lines) {
      const bullet = /^[-*•]\s+(.*)$/.exec(line);
      const numbered = /^\d+[.)]\s+(.*)$/.exec(line);
      const item = bullet ?? numbered;
      if (item) {
        flushParagraph();
        const ordered = numbered !== null && bullet === null;
        if (list && list.ordered !== ordered) {
          flushList();
        }
        list ??= { ordered, items: [] };
        list.items.push(item[1] ?? '');
      } else {
        flushList();
        paragraph.push(line);
      }
    }
    flushParagraph();
    flushList();
  }
  return blocks;
};

/** A section's plain text (citations removed), for readability measures. */
export const plainText = (body: string): string =>
  body
    .replace(CITATION, '')
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/gm, '')
    .replace(/[ \t]+([.,;:])/g, '$1')
    .trim();
