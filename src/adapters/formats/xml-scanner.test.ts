import { describe, expect, it } from 'vitest';
import { FormatError } from './format-error.js';
import { createSaxesTokenizer } from './xml-saxes.js';
import { createXmlScanner } from './xml-scanner.js';
import type { CreateXmlTokenizer, XmlSink } from './xml-tokens.js';

/** Tokenizes `text` in chunks of `size`, recording tokens as strings (adjacent text merged), or the error. */
const tokens = (createTokenizer: CreateXmlTokenizer, text: string, size = Math.max(text.length, 1), attributes: string[] = []): string[] => {
  const recorded: string[] = [];
  let pendingText = '';
  // saxes reports whitespace after the root element; no sink reads text there.
  let depth = 0;
  const flush = (): void => {
    if (pendingText !== '') {
      recorded.push(`text ${JSON.stringify(pendingText)}`);
      pendingText = '';
    }
  };
  const sink: XmlSink = {
    wantsText: true,
    hasPending: false,
    open: (name, tag) => {
      depth += 1;
      flush();
      const values = attributes.map((attribute) => `${attribute}=${JSON.stringify(tag.attribute(attribute))}`);
      recorded.push([`open ${name} line ${tag.line}`, ...values].join(' '));
    },
    text: (value) => {
      pendingText += depth > 0 ? value : '';
    },
    close: (name) => {
      depth -= 1;
      flush();
      recorded.push(`close ${name}`);
    },
  };
  const tokenizer = createTokenizer(sink);
  try {
    for (let offset = 0; offset < text.length; offset += size) {
      tokenizer.write(text.slice(offset, offset + size));
      tokenizer.run();
    }
    tokenizer.end();
    tokenizer.run();
  } catch (error) {
    if (!(error instanceof FormatError)) {
      throw error;
    }
    flush();
    recorded.push(`error at line ${error.line}`);
  }
  flush();
  return recorded;
};

describe('XmlScanner', () => {
  const document = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE set PUBLIC "-//X//DTD Y//EN" "y.dtd" [
  <!ELEMENT set (item*)>
  <!ATTLIST item kind CDATA "a>b">
]>
<!-- a comment with <tags> & ampersands -->
<set>
  <item kind='single &amp; quoted' other = "x&#10;y"
        multi="line">A &lt;b&gt; &#x1F600; &#233;</item  >
  <empty/><empty kind="self" />
  <?pi inside the root ?>
  <text><![CDATA[<raw> & text]]> after</text>
</set>
<!-- trailing comment -->
`;

  it('tokenizes comments, PIs, a DOCTYPE with internal subset, CDATA and attributes like saxes', () => {
    const expected = tokens(createSaxesTokenizer, document, document.length, ['kind', 'other', 'multi']);
    expect(expected).toContain('open item line 8 kind="single & quoted" other="x\\ny" multi="line"');
    expect(tokens(createXmlScanner, document, document.length, ['kind', 'other', 'multi'])).toEqual(expected);
  });

  it.each([1, 2, 3, 5, 7, 64])('gives the same tokens in %i-character chunks', (size) => {
    expect(tokens(createXmlScanner, document, size, ['kind'])).toEqual(tokens(createXmlScanner, document, document.length, ['kind']));
  });

  it('turns \\r\\n and lone \\r into \\n, also when \\r ends a chunk', () => {
    const text = '<a>\r\n<b>x\ry\r\nz</b>\r</a>';
    const expected = ['open a line 1', 'text "\\n"', 'open b line 2', 'text "x\\ny\\nz"', 'close b', 'text "\\n"', 'close a'];
    for (const size of [1, 2, 4, text.length]) {
      expect(tokens(createXmlScanner, text, size)).toEqual(expected);
    }
    expect(tokens(createSaxesTokenizer, text)).toEqual(expected);
  });

  it('keeps a character reference to \\r, which EndNote uses for its line breaks', () => {
    expect(tokens(createXmlScanner, '<a>x&#xD;y</a>')).toEqual(['open a line 1', 'text "x\\ry"', 'close a']);
  });

  it.each([
    ['mismatched tags', '<a>\n<b>\n</a>', 3],
    ['an unclosed element', '<a>\n<b></b>\n', 3],
    ['a stray closing tag', '<a/>\n</a>', 2],
    ['a second root', '<a/>\n<b/>', 2],
    ['an undefined entity', '<a>\n&nbsp;</a>', 2],
    ['a bare ampersand', '<a>\nfish & chips</a>', 2],
    ['a character reference to NUL', '<a>&#0;</a>', 1],
    ['an unquoted attribute', '<a\nb=c/>', 2],
    ['an attribute without value', '<a b/>', 1],
    ['"<" in an attribute value', '<a b="<"/>', 1],
    ['a tag cut off at the end', '<a>\n<b', 2],
    ['a name starting with a digit', '<1a/>', 1],
    ['no root at all', '  \n', 2],
  ])('rejects %s with a FormatError at the line saxes reports', (_case, text, line) => {
    expect(tokens(createXmlScanner, text).at(-1)).toBe(`error at line ${line}`);
    expect(tokens(createSaxesTokenizer, text).at(-1)).toBe(`error at line ${line}`);
  });

  // Where the scanner's line differs from saxes', it names where the fault starts; saxes where it noticed.
  it.each([
    ['text before the root', '\nPMC some PMC\n  PMID\n', 2, 4],
    ['an unterminated comment', '<a>\n<!-- never closed\n</a>', 2, 3],
    ['an unterminated CDATA section', '<a><![CDATA[ x\n</a>', 1, 2],
  ])('rejects %s at the line where it starts', (_case, text, line, saxesLine) => {
    expect(tokens(createXmlScanner, text).at(-1)).toBe(`error at line ${line}`);
    expect(tokens(createSaxesTokenizer, text).at(-1)).toBe(`error at line ${saxesLine}`);
  });

  it('stops after the token that leaves a record pending and resumes where it stopped', () => {
    const opened: string[] = [];
    let isPending = false;
    const sink: XmlSink = {
      wantsText: false,
      get hasPending() {
        return isPending;
      },
      open: (name) => {
        opened.push(name);
      },
      text: () => undefined,
      close: (name) => {
        isPending = name === 'record';
      },
    };
    const scanner = createXmlScanner(sink);
    scanner.write('<set><record/><record/><other/></set>');
    expect(scanner.run()).toBe(true);
    expect(opened).toEqual(['set', 'record']);
    isPending = false;
    expect(scanner.run()).toBe(true);
    expect(opened).toEqual(['set', 'record', 'record']);
    isPending = false;
    expect(scanner.run()).toBe(false);
    expect(opened).toEqual(['set', 'record', 'record', 'other']);
  });
});
