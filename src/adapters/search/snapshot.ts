import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InMemoryEvidenceIndex, type IndexSettings, type IndexState, type TextLoader } from './evidence-index.js';

/**
 * The evidence index's snapshot file: a small JSON header, then its arrays as raw little-endian
 * bytes, each aligned to 8 so that loading makes typed-array views over the file's buffer instead
 * of copying. Written to a temporary file and renamed, so a crash never leaves half a snapshot.
 *
 *   "MOBIDX01" | header length (uint32) | header JSON | padding | sections…
 */
const MAGIC = 'MOBIDX01';
/** Bump when the layout or the tokenizer changes: older snapshots are then rebuilt from the database. */
export const SNAPSHOT_VERSION = 1;

type SectionName = 'ids' | 'terms' | 'library' | 'year' | 'design' | 'level' | 'alive' | 'lengths' | 'norms' | 'offsets' | 'docs' | 'frequencies';

interface Header {
  version: number;
  /** The last change-feed sequence number the index includes. */
  lastSeq: number;
  settings: IndexSettings;
  libraries: string[];
  totals: number[];
  normAverages: number[];
  liveCount: number;
  deadCount: number;
  sections: Record<SectionName, { offset: number; bytes: number }>;
}

const align = (value: number): number => Math.ceil(value / 8) * 8;

export const saveSnapshot = (index: InMemoryEvidenceIndex, path: string, lastSeq: number): void => {
  const state = index.exportState();
  const encoder = new TextEncoder();
  const parts: Record<SectionName, Uint8Array> = {
    ids: encoder.encode(state.ids.join('\n')),
    terms: encoder.encode(state.terms.join('\n')),
    library: bytesOf(state.library),
    year: bytesOf(state.year),
    design: bytesOf(state.design),
    level: bytesOf(state.level),
    alive: bytesOf(state.alive),
    lengths: bytesOf(state.lengths),
    norms: bytesOf(state.norms),
    offsets: bytesOf(state.offsets),
    docs: bytesOf(state.docs),
    frequencies: bytesOf(state.frequencies),
  };
  const sections = {} as Header['sections'];
  let offset = 0;
  for (const [name, bytes] of Object.entries(parts) as [SectionName, Uint8Array][]) {
    sections[name] = { offset, bytes: bytes.length };
    offset = align(offset + bytes.length);
  }
  const header: Header = {
    version: SNAPSHOT_VERSION,
    lastSeq,
    settings: index.settings,
    libraries: state.libraries,
    totals: state.totals,
    normAverages: state.normAverages,
    liveCount: state.liveCount,
    deadCount: state.deadCount,
    sections,
  };
  const headerBytes = encoder.encode(JSON.stringify(header));
  const start = align(MAGIC.length + 4 + headerBytes.length);
  const file = Buffer.alloc(start + offset);
  file.write(MAGIC, 0, 'latin1');
  file.writeUInt32LE(headerBytes.length, MAGIC.length);
  file.set(headerBytes, MAGIC.length + 4);
  for (const [name, bytes] of Object.entries(parts) as [SectionName, Uint8Array][]) {
    file.set(bytes, start + sections[name].offset);
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, file);
  renameSync(temporary, path);
};

/** Loads a snapshot; undefined when the file is missing, foreign, or from another version. */
export const loadSnapshot = (path: string, loadTexts?: TextLoader): { index: InMemoryEvidenceIndex; lastSeq: number } | undefined => {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    // No snapshot yet: the caller builds the index from the database.
    return undefined;
  }
  if (file.length < MAGIC.length + 4 || file.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    return undefined;
  }
  const headerLength = file.readUInt32LE(MAGIC.length);
  const header = JSON.parse(file.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as Header;
  if (header.version !== SNAPSHOT_VERSION) {
    return undefined;
  }
  // Views need aligned offsets; a buffer from the pool may start anywhere, so copy it once if not.
  const buffer = file.byteOffset % 8 === 0 ? file : Buffer.from(file);
  const start = align(MAGIC.length + 4 + headerLength);
  const view = <T>(name: SectionName, make: (buffer: ArrayBufferLike, offset: number, length: number) => T, width: number): T => {
    const section = header.sections[name];
    return make(buffer.buffer, buffer.byteOffset + start + section.offset, section.bytes / width);
  };
  const decoder = new TextDecoder();
  const text = (name: SectionName): string[] => {
    const section = header.sections[name];
    const decoded = decoder.decode(buffer.subarray(start + section.offset, start + section.offset + section.bytes));
    return decoded.length === 0 ? [] : decoded.split('\n');
  };
  const state: IndexState = {
    ids: text('ids'),
    terms: text('terms'),
    libraries: header.libraries,
    library: view('library', (data, offset, length) => new Uint16Array(data, offset, length), 2),
    year: view('year', (data, offset, length) => new Uint16Array(data, offset, length), 2),
    design: view('design', (data, offset, length) => new Uint8Array(data, offset, length), 1),
    level: view('level', (data, offset, length) => new Uint8Array(data, offset, length), 1),
    alive: view('alive', (data, offset, length) => new Uint8Array(data, offset, length), 1),
    lengths: view('lengths', (data, offset, length) => new Float32Array(data, offset, length), 4),
    norms: view('norms', (data, offset, length) => new Float32Array(data, offset, length), 4),
    offsets: view('offsets', (data, offset, length) => new Uint32Array(data, offset, length), 4),
    docs: view('docs', (data, offset, length) => new Uint32Array(data, offset, length), 4),
    frequencies: view('frequencies', (data, offset, length) => new Uint8Array(data, offset, length), 1),
    totals: header.totals,
    normAverages: header.normAverages,
    liveCount: header.liveCount,
    deadCount: header.deadCount,
  };
  return { index: InMemoryEvidenceIndex.fromState(state, loadTexts, header.settings), lastSeq: header.lastSeq };
};

const bytesOf = (array: ArrayBufferView): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
