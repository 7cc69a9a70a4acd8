import type { ParseEvent } from '../../core/evidence/record.js';
import { FormatError } from './format-error.js';
import { createXmlScanner } from './xml-scanner.js';
import type { CreateXmlTokenizer, XmlSink, XmlTag } from './xml-tokens.js';

/**
 * Reads records out of an XML stream by declaring, per element path, what to do: the importers
 * describe only the elements they use as a tree of rules, and everything else (affiliations,
 * reference lists, history dates) is skipped without being looked at. One record's draft is
 * in memory at a time.
 */

/** What to do with an element, reached from its parent rule by name. */
export interface ElementRule<Draft> {
  readonly children?: ReadonlyMap<string, ElementRule<Draft>>;
  /** The element starts a record: `start` creates its draft, `finish` turns it into an event. */
  readonly isRecord?: boolean;
  readonly enter?: (draft: Draft, tag: XmlTag) => void;
  readonly leave?: (draft: Draft) => void;
  /** Receives the element's text, inline markup (`<i>`, MathML) reduced to its text, untrimmed. */
  readonly text?: (draft: Draft, text: string) => void;
  /**
   * Only text inside child elements counts, when there is any. EndNote wraps values in `<style>`
   * runs; the whitespace between runs is pretty-printing, not content.
   */
  readonly prefersNestedText?: boolean;
}

export interface XmlRecordFormat<Draft> {
  /** Names the format in errors: "not PubMed XML: …". */
  readonly name: string;
  /** The document's possible root elements. */
  readonly roots: ReadonlyMap<string, ElementRule<Draft>>;
  /** A hint for a root element that is not one of them, when the format knows what the file is. */
  readonly explainRoot?: (name: string) => string | undefined;
  start(line: number): Draft;
  finish(draft: Draft): ParseEvent;
}

/** Builds an element rule's children map from an object literal, which reads better in the rule trees. */
export const children = <Draft>(rules: Record<string, ElementRule<Draft>>): ReadonlyMap<string, ElementRule<Draft>> =>
  new Map(Object.entries(rules));

class RecordSink<Draft> implements XmlSink {
  private readonly rules: ElementRule<Draft>[] = [];
  private draft: Draft | undefined;
  private readonly events: ParseEvent[] = [];
  /** Depth inside an element no rule mentions: its whole subtree is ignored. */
  private skipDepth = 0;
  /** Depth inside an element whose text is being collected. */
  private captureDepth = 0;
  private captureRule: ElementRule<Draft> | undefined;
  private captured = '';
  private nested = '';
  /** Depth inside MathML within the collected text, and the text of its current token. */
  private mathDepth = 0;
  private mathText = '';

  constructor(private readonly format: XmlRecordFormat<Draft>) {}

  get wantsText(): boolean {
    return this.captureDepth > 0;
  }

  get hasPending(): boolean {
    return this.events.length > 0;
  }

  open(name: string, tag: XmlTag): void {
    if (this.skipDepth > 0) {
      this.skipDepth += 1;
      return;
    }
    if (this.captureDepth > 0) {
      this.captureDepth += 1;
      if (this.mathDepth > 0 || name === 'math' || name.endsWith(':math')) {
        this.flushMath();
        this.mathDepth += 1;
      }
      return;
    }
    const parent = this.rules.at(-1);
    const rule = parent === undefined ? this.format.roots.get(name) : parent.children?.get(name);
    if (rule === undefined) {
      if (parent === undefined) {
        const hint = this.format.explainRoot?.(name);
        throw new FormatError(`not ${this.format.name}: the root element is <${name}>${hint === undefined ? '' : ` (${hint})`}`, tag.line);
      }
      this.skipDepth = 1;
      return;
    }
    if (rule.isRecord === true) {
      this.draft = this.format.start(tag.line);
    }
    if (this.draft !== undefined) {
      rule.enter?.(this.draft, tag);
    }
    if (rule.text !== undefined) {
      this.captureDepth = 1;
      this.captureRule = rule;
      return;
    }
    this.rules.push(rule);
  }

  text(text: string): void {
    if (this.mathDepth > 0) {
      this.mathText += text;
      return;
    }
    this.captured += text;
    if (this.captureDepth > 1) {
      this.nested += text;
    }
  }

  close(): void {
    if (this.skipDepth > 0) {
      this.skipDepth -= 1;
      return;
    }
    if (this.captureDepth > 0) {
      if (this.mathDepth > 0) {
        this.flushMath();
        this.mathDepth -= 1;
      }
      this.captureDepth -= 1;
      if (this.captureDepth === 0) {
        this.endCapture();
      }
      return;
    }
    const rule = this.rules.pop();
    if (rule === undefined || this.draft === undefined) {
      return;
    }
    rule.leave?.(this.draft);
    if (rule.isRecord === true) {
      this.events.push(this.format.finish(this.draft));
      this.draft = undefined;
    }
  }

  *drain(): Generator<ParseEvent> {
    while (this.events.length > 0) {
      const event = this.events.shift();
      if (event !== undefined) {
        yield event;
      }
    }
  }

  /**
   * MathML ignores whitespace around its tokens (MathML 3 §2.1.7), and pretty-printed PubMed
   * abstracts have plenty: `<mml:mi>V</mml:mi>`, `<mml:mn>2</mml:mn>` on separate lines should read
   * "V2", not "V 2". Each token's text is trimmed at its element boundary, which chunking cannot move.
   */
  private flushMath(): void {
    const token = this.mathText.trim();
    this.mathText = '';
    this.captured += token;
    this.nested += token;
  }

  private endCapture(): void {
    const rule = this.captureRule;
    const text = rule?.prefersNestedText === true && this.nested.trim() !== '' ? this.nested : this.captured;
    this.captured = '';
    this.nested = '';
    this.captureRule = undefined;
    if (rule?.text !== undefined && this.draft !== undefined) {
      rule.text(this.draft, text);
    }
  }
}

/**
 * Streams records from XML text chunks. `createTokenizer` is the scanner in production; tests pass
 * the saxes tokenizer to check both agree. Malformed XML throws FormatError, after the records
 * before the fault have been yielded (callers import a file only once it has been read through).
 */
export async function* parseXmlRecords<Draft>(
  chunks: AsyncIterable<string>,
  format: XmlRecordFormat<Draft>,
  createTokenizer: CreateXmlTokenizer = createXmlScanner,
): AsyncGenerator<ParseEvent> {
  const sink = new RecordSink(format);
  const tokenizer = createTokenizer(sink);
  let isFirst = true;
  for await (const chunk of chunks) {
    if (isFirst) {
      // A byte-order mark is an encoding artefact, not text before the root element.
      const text = chunk.replace(/^\uFEFF/, '');
      isFirst = text.length === 0;
      tokenizer.write(text);
    } else {
      tokenizer.write(chunk);
    }
    while (tokenizer.run()) {
      yield* sink.drain();
    }
    yield* sink.drain();
  }
  tokenizer.end();
  while (tokenizer.run()) {
    yield* sink.drain();
  }
  yield* sink.drain();
}
