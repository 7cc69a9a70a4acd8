import type { Parser } from '../../src/adapters/formats/registry.js';
import { inChunks } from '../../src/adapters/formats/lines.js';
import type { ParseEvent, RecordFields } from '../../src/core/evidence/record.js';

/**
 * Runs a parser over `text` fed in chunks of `size` characters (the whole text by default; small
 * sizes split lines, tags and characters across chunk boundaries) and collects its events.
 */
export const parseText = async (parser: Parser, text: string, size = Math.max(text.length, 1)): Promise<ParseEvent[]> => {
  const events: ParseEvent[] = [];
  for await (const event of parser(inChunks(text, size))) {
    events.push(event);
  }
  return events;
};

/** The records among parse events, without the invalid ones. */
export const fieldsOf = (events: readonly ParseEvent[]): RecordFields[] => events.flatMap((event) => (event.kind === 'record' ? [event.fields] : []));
