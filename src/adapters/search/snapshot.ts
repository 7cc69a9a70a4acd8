import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { InMemoryEvidenceIndex, type IndexSettings, type IndexState, type TextLoader } from './evidence-index.js';
import type { FeedPosition } from '../db/index-feed-repo.js';
import type { Postings } from './postings.js';

/**
 * The evidence index's snapshot file: a small JSON header, then its arrays as raw little-endian
 * bytes, each aligned to 8. Saving streams the sections to the file straight from the index's own
 * arrays (no copy of the postings); loading reads the sections into one buffer, in pieces, and
 * makes typed-array views over it. Written to a temporary file and renamed, so a crash never leaves half
 * a snapshot.
 *
 *   "MOBIDX01" | header length (uint32) | header JSON | padding | sections…
 */
const MAGIC = 'MOBIDX01';
/**
 * Bump when the layout, the scoring stored in it or the tokenizer changes: older snapshots are
 * then rebuilt from the database. 2: per-posting impacts (BM25F term-frequency parts). 3: the feed
 * position is (xid, seq), no longer a sequence number alone.
 */
export const SNAPSHOT_VERSION = 3;

const sectionNames = ['ids', 'terms', 'library', 'year', 'design', 'level', 'alive', 'lengths', 'norms', 'offsets', 'docs', 'frequencies', 'impacts'] as const;
type SectionName = (typeof sectionNames)[number];

interface Header {
  version: number;
  /** The change-feed position the index includes everything before. */
  position: FeedPosition;
  settings: IndexSettings;
  libraries: string[];
  totals: number[];
  normAverages: number[];
  liveCount: number;
  deadCount: number;
  sections: Record<SectionName, { offset: number; bytes: number }>;
}

const align = (value: number): number => Math.ceil(value / 8) * 8;

const bytesOf = (array: ArrayBufferView): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** At most this much a read or write call (Node refuses single calls over 2 GiB). */
const IO_LIMIT = 1 << 30;

/** Buffered sequential writes to a file descriptor: small pieces are gathered, large ones written as they are. */
class FileWriter {
  private readonly chunk: Buffer;
  private used = 0;
  position = 0;

  constructor(
    private readonly fd: number,
    bufferBytes: number,
  ) {
    this.chunk = Buffer.allocUnsafe(Math.max(16, bufferBytes));
  }

  write(bytes: Uint8Array): void {
    const isLarge = bytes.length >= this.chunk.length / 2;
    // What is gathered goes first, so that the file keeps the order of the writes.
    if (isLarge || bytes.length > this.chunk.length - this.used) {
      this.flush();
    }
    if (isLarge) {
      this.writeFully(bytes);
    } else {
      this.chunk.set(bytes, this.used);
      this.used += bytes.length;
    }
    this.position += bytes.length;
  }

  /** Zero bytes up to the next multiple of 8. */
  pad(): void {
    const padding = align(this.position) - this.position;
    if (padding > 0) {
      this.write(new Uint8Array(padding));
    }
  }

  flush(): void {
    if (this.used > 0) {
      this.writeFully(this.chunk.subarray(0, this.used));
      this.used = 0;
    }
  }

  private writeFully(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      done += writeSync(this.fd, bytes, done, Math.min(IO_LIMIT, bytes.length - done));
    }
  }
}

/** `bufferBytes`: how much is gathered before a write (4 MiB); pieces of half that or more are written directly. */
export const saveSnapshot = (index: InMemoryEvidenceIndex, path: string, position: FeedPosition, { bufferBytes = 1 << 22 }: { bufferBytes?: number } = {}): void => {
  const parts = index.snapshotParts();
  const encoder = new TextEncoder();
  const ids = encoder.encode(parts.ids.join('\n'));
  const terms = encoder.encode(parts.terms.join('\n'));
  const offsets = new Uint32Array(parts.lists.length + 1);
  let postings = 0;
  parts.lists.forEach((list, position) => {
    offsets[position] = postings;
    postings += list.length;
  });
  offsets[parts.lists.length] = postings;
  if (postings > 0xffffffff) {
    throw new Error(`saveSnapshot: ${postings} postings do not fit 32-bit offsets`);
  }
  const sizes: Record<SectionName, number> = {
    ids: ids.length,
    terms: terms.length,
    library: parts.library.byteLength,
    year: parts.year.byteLength,
    design: parts.design.byteLength,
    level: parts.level.byteLength,
    alive: parts.alive.byteLength,
    lengths: parts.lengths.byteLength,
    norms: parts.norms.byteLength,
    offsets: offsets.byteLength,
    docs: postings * 4,
    frequencies: postings * 3,
    impacts: postings * 4,
  };
  const sections = {} as Header['sections'];
  let offset = 0;
  for (const name of sectionNames) {
    sections[name] = { offset, bytes: sizes[name] };
    offset = align(offset + sizes[name]);
  }
  const header: Header = {
    version: SNAPSHOT_VERSION,
    position: { xid: position.xid, seq: position.seq },
    settings: index.settings,
    libraries: parts.libraries,
    totals: parts.totals,
    normAverages: parts.normAverages,
    liveCount: parts.liveCount,
    deadCount: parts.deadCount,
    sections,
  };
  const headerBytes = encoder.encode(JSON.stringify(header));
  const lead = Buffer.alloc(MAGIC.length + 4);
  lead.write(MAGIC, 0, 'latin1');
  lead.writeUInt32LE(headerBytes.length, MAGIC.length);

  /** Each list's part of one postings section, one after the other. */
  const postingsSection = (of: (list: Postings) => ArrayBufferView) => (writer: FileWriter) => {
    for (const list of parts.lists) {
      writer.write(bytesOf(of(list)));
    }
  };
  const writers: Record<SectionName, (writer: FileWriter) => void> = {
    ids: (writer) => writer.write(ids),
    terms: (writer) => writer.write(terms),
    library: (writer) => writer.write(bytesOf(parts.library)),
    year: (writer) => writer.write(bytesOf(parts.year)),
    design: (writer) => writer.write(bytesOf(parts.design)),
    level: (writer) => writer.write(bytesOf(parts.level)),
    alive: (writer) => writer.write(bytesOf(parts.alive)),
    lengths: (writer) => writer.write(bytesOf(parts.lengths)),
    norms: (writer) => writer.write(bytesOf(parts.norms)),
    offsets: (writer) => writer.write(bytesOf(offsets)),
    docs: postingsSection((list) => list.docs.subarray(0, list.length)),
    frequencies: postingsSection((list) => list.frequencies.subarray(0, list.length * 3)),
    impacts: postingsSection((list) => list.impacts.subarray(0, list.length)),
  };

  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  let isWritten = false;
  try {
    const writer = new FileWriter(fd, bufferBytes);
    writer.write(lead);
    writer.write(headerBytes);
    writer.pad();
    const start = writer.position;
    for (const name of sectionNames) {
      if (writer.position !== start + sections[name].offset) {
        throw new Error(`saveSnapshot: section ${name} at ${writer.position - start}, expected ${sections[name].offset}`);
      }
      writers[name](writer);
      if (writer.position !== start + sections[name].offset + sections[name].bytes) {
        throw new Error(`saveSnapshot: section ${name} wrote ${writer.position - start - sections[name].offset} bytes, expected ${sections[name].bytes}`);
      }
      writer.pad();
    }
    writer.flush();
    isWritten = true;
  } finally {
    closeSync(fd);
    if (!isWritten) {
      rmSync(temporary, { force: true });
    }
  }
  renameSync(temporary, path);
};

/** Reads `length` bytes at `position` into a fresh (8-aligned) buffer; undefined when the file is shorter. */
const readAt = (fd: number, position: number, length: number): Uint8Array | undefined => {
  const bytes = new Uint8Array(new ArrayBuffer(length));
  let done = 0;
  while (done < length) {
    const read = readSync(fd, bytes, done, Math.min(IO_LIMIT, length - done), position + done);
    if (read === 0) {
      return undefined;
    }
    done += read;
  }
  return bytes;
};

/** Byte width of each section's elements; the text sections are UTF-8. */
const widths: Record<SectionName, number> = { ids: 1, terms: 1, library: 2, year: 2, design: 1, level: 1, alive: 1, lengths: 4, norms: 4, offsets: 4, docs: 4, frequencies: 1, impacts: 4 };

/**
 * Loads a snapshot; undefined when the file is missing, foreign, from another version, or
 * inconsistent (truncated, say): the caller then builds the index from the database.
 */
export const loadSnapshot = (path: string, loadTexts?: TextLoader): { index: InMemoryEvidenceIndex; position: FeedPosition } | undefined => {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    // No snapshot yet: the caller builds the index from the database.
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const lead = readAt(fd, 0, MAGIC.length + 4);
    if (!lead || Buffer.from(lead.buffer).toString('latin1', 0, MAGIC.length) !== MAGIC) {
      return undefined;
    }
    const headerLength = Buffer.from(lead.buffer).readUInt32LE(MAGIC.length);
    const headerBytes = headerLength <= size ? readAt(fd, MAGIC.length + 4, headerLength) : undefined;
    if (!headerBytes) {
      return undefined;
    }
    let header: Header;
    try {
      header = JSON.parse(new TextDecoder().decode(headerBytes)) as Header;
    } catch {
      return undefined;
    }
    if (header.version !== SNAPSHOT_VERSION) {
      return undefined;
    }
    const start = align(MAGIC.length + 4 + headerLength);
    // One buffer for all sections (one large allocation rather than a dozen), read in pieces.
    const isValid = sectionNames.every((name) => {
      const section = header.sections[name];
      return section && section.offset % 8 === 0 && section.bytes % widths[name] === 0 && start + section.offset + section.bytes <= size;
    });
    const body = isValid ? readAt(fd, start, size - start) : undefined;
    if (!body) {
      return undefined;
    }
    const bytes = {} as Record<SectionName, Uint8Array>;
    for (const name of sectionNames) {
      const section = header.sections[name];
      bytes[name] = body.subarray(section.offset, section.offset + section.bytes);
    }
    const decoder = new TextDecoder();
    const text = (name: SectionName): string[] => {
      const decoded = decoder.decode(bytes[name]);
      return decoded.length === 0 ? [] : decoded.split('\n');
    };
    const view = <T>(name: SectionName, make: (buffer: ArrayBuffer, offset: number, length: number) => T): T => make(body.buffer as ArrayBuffer, bytes[name].byteOffset, bytes[name].length / widths[name]);
    const state: IndexState = {
      ids: text('ids'),
      terms: text('terms'),
      libraries: header.libraries,
      library: view('library', (data, offset, length) => new Uint16Array(data, offset, length)),
      year: view('year', (data, offset, length) => new Uint16Array(data, offset, length)),
      design: view('design', (data, offset, length) => new Uint8Array(data, offset, length)),
      level: view('level', (data, offset, length) => new Uint8Array(data, offset, length)),
      alive: view('alive', (data, offset, length) => new Uint8Array(data, offset, length)),
      lengths: view('lengths', (data, offset, length) => new Float32Array(data, offset, length)),
      norms: view('norms', (data, offset, length) => new Float32Array(data, offset, length)),
      offsets: view('offsets', (data, offset, length) => new Uint32Array(data, offset, length)),
      docs: view('docs', (data, offset, length) => new Uint32Array(data, offset, length)),
      frequencies: view('frequencies', (data, offset, length) => new Uint8Array(data, offset, length)),
      impacts: view('impacts', (data, offset, length) => new Float32Array(data, offset, length)),
      totals: header.totals,
      normAverages: header.normAverages,
      liveCount: header.liveCount,
      deadCount: header.deadCount,
    };
    const count = state.ids.length;
    const postings = state.docs.length;
    const isConsistent =
      [state.library, state.year, state.design, state.level, state.alive].every((array) => array.length === count) &&
      state.lengths.length === count * 3 &&
      state.norms.length === count * 3 &&
      state.offsets.length === state.terms.length + 1 &&
      state.offsets[state.terms.length] === postings &&
      state.frequencies.length === postings * 3 &&
      state.impacts.length === postings;
    if (!isConsistent) {
      return undefined;
    }
    return { index: InMemoryEvidenceIndex.fromState(state, loadTexts, header.settings), position: header.position };
  } finally {
    closeSync(fd);
  }
};
