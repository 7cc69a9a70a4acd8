import { FormatError } from '../../src/adapters/formats/format-error.js';
import { fromString, inChunks } from '../../src/adapters/formats/lines.js';
import type { Parser, Writer } from '../../src/adapters/formats/registry.js';
import type { ParseEvent, RecordFields } from '../../src/core/evidence/record.js';

/** Every event a parser yields, in order. */
export const collectEvents = async (source: AsyncIterable<ParseEvent>): Promise<ParseEvent[]> => {
  const events: ParseEvent[] = [];
  for await (const event of source) {
    events.push(event);
  }
  return events;
};

/**
 * Runs a parser over `text` fed in chunks of `size` characters (the whole text by default; small
 * sizes split lines, tags and characters across chunk boundaries) and collects its events.
 */
export const parseText = (parser: Parser, text: string, size = Math.max(text.length, 1)): Promise<ParseEvent[]> => collectEvents(parser(inChunks(text, size)));

/** The events up to the end of the file or the `FormatError` that ended it, and that error. */
export interface ParseOutcome {
  events: ParseEvent[];
  error?: FormatError;
}

/** Collects events like `collectEvents`, but a `FormatError` ends the outcome instead of the test. */
export const collectOutcome = async (source: AsyncIterable<ParseEvent>): Promise<ParseOutcome> => {
  const events: ParseEvent[] = [];
  try {
    for await (const event of source) {
      events.push(event);
    }
  } catch (error) {
    if (!(error instanceof FormatError)) {
      throw error;
    }
    return { events, error };
  }
  return { events };
};

/** What a parser reads back of what a writer wrote: the round trip every exporter is tested with. */
export const readBack = (parser: Parser, write: Writer, records: readonly RecordFields[]): Promise<ParseEvent[]> => collectEvents(parser(fromString([...write(records)].join(''))));

/** The records among parse events (or an outcome's events), without the invalid ones. */
export const fieldsOf = (events: readonly ParseEvent[] | ParseOutcome): RecordFields[] =>
  ('events' in events ? events.events : events).flatMap((event) => (event.kind === 'record' ? [event.fields] : []));
