import { SaxesParser } from 'saxes';
import { FormatError } from './format-error.js';
import type { XmlSink, XmlTokenizer } from './xml-tokens.js';

/**
 * The reference tokenizer: saxes, a conforming XML parser. The importers run on the faster
 * XmlScanner; tests feed every fixture through both and require the same events, so a scanner
 * shortcut that changes what is read shows up as a test failure. Unlike the scanner it cannot
 * pause mid-chunk, so it holds the records of one chunk at a time rather than one record.
 */
export const createSaxesTokenizer = (sink: XmlSink): XmlTokenizer => {
  const parser = new SaxesParser({ position: true });
  let pending: string[] = [];
  let isEnded = false;
  let isClosed = false;
  let tagLine = 1;

  parser.on('error', (error) => {
    // saxes prefixes "line:column: "; FormatError carries the line itself.
    throw new FormatError(error.message.replace(/^\d+:\d+: /, ''), parser.line);
  });
  // The name follows `<` on the same line, so this is the line where the tag starts.
  parser.on('opentagstart', () => {
    tagLine = parser.line;
  });
  parser.on('opentag', (tag) => {
    const attributes = new Map(Object.entries(tag.attributes));
    sink.open(tag.name, { line: tagLine, attribute: (name) => attributes.get(name) });
  });
  parser.on('text', (text) => {
    if (sink.wantsText) {
      sink.text(text);
    }
  });
  parser.on('cdata', (text) => {
    if (sink.wantsText) {
      sink.text(text);
    }
  });
  parser.on('closetag', (tag) => {
    sink.close(tag.name);
  });

  return {
    write: (chunk) => {
      pending.push(chunk);
    },
    end: () => {
      isEnded = true;
    },
    run: () => {
      const chunks = pending;
      pending = [];
      for (const chunk of chunks) {
        parser.write(chunk);
      }
      if (isEnded && !isClosed) {
        isClosed = true;
        parser.close();
      }
      return false;
    },
  };
};
