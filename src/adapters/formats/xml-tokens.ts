/**
 * The small interface between an XML tokenizer (the hand-written scanner, or saxes as the reference)
 * and the record builders of the XML importers. Keeping it this narrow lets the tests run every
 * fixture through both tokenizers and require identical events.
 */

/** A start tag, valid only during the `open` call that receives it (the scanner reuses it). */
export interface XmlTag {
  /** 1-based line of the tag's `<`. */
  readonly line: number;
  /** The attribute's value with entities decoded, or undefined when absent. */
  attribute(name: string): string | undefined;
}

/** Receives the tokens of one document, in order. Throws FormatError to reject the document. */
export interface XmlSink {
  /** False while nobody reads text, so the scanner can skip the indentation between elements. */
  readonly wantsText: boolean;
  /** True when a finished record is waiting: the scanner stops so memory holds one record at a time. */
  readonly hasPending: boolean;
  open(name: string, tag: XmlTag): void;
  /** Character data with entities decoded; one text node may arrive in several calls. */
  text(text: string): void;
  close(name: string): void;
}

/** Feeds one document to a sink, chunk by chunk. Malformed XML throws FormatError with the line. */
export interface XmlTokenizer {
  write(chunk: string): void;
  /** No more input: the next `run` finishes the document and checks that it is complete. */
  end(): void;
  /** Tokenizes buffered input; true when it paused for the sink's pending record, false when it needs input. */
  run(): boolean;
}

export type CreateXmlTokenizer = (sink: XmlSink) => XmlTokenizer;
