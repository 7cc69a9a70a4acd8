import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { DETECT_BYTES } from './detect.js';

/** A file being read once: its text for the parser, its head for detection, its hash for provenance. */
export interface FileSource {
  name: string;
  /** Total size in bytes when known (for progress). */
  size: number | undefined;
  /** The first bytes decoded, for format detection. */
  head: string;
  chunks: AsyncIterable<string>;
  /** SHA-256 of every byte read; complete once `chunks` is exhausted. */
  sha256(): string;
  bytesRead(): number;
}

const UTF16LE_BOM = [0xff, 0xfe];

/**
 * Wraps a byte stream: reads ahead enough for detection, picks the encoding (UTF-8, UTF-16 with a
 * byte-order mark, else Windows-1252 when the head is not valid UTF-8, as older EndNote and Excel
 * exports are), then streams decoded text while hashing the bytes.
 */
export const sourceFromBytes = async (name: string, bytes: AsyncIterable<Uint8Array>, size?: number): Promise<FileSource> => {
  const hash = createHash('sha256');
  let read = 0;
  const iterator = bytes[Symbol.asyncIterator]();
  const buffered: Uint8Array[] = [];
  let bufferedLength = 0;
  while (bufferedLength < DETECT_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      break;
    }
    buffered.push(next.value);
    bufferedLength += next.value.length;
  }
  const first = Buffer.concat(buffered);
  let encoding = 'utf-8';
  if (first[0] === UTF16LE_BOM[0] && first[1] === UTF16LE_BOM[1]) {
    encoding = 'utf-16le';
  } else {
    try {
      // A multi-byte character may be cut at the end of the head: decode only up to the last safe byte.
      new TextDecoder('utf-8', { fatal: true }).decode(first.subarray(0, Math.max(0, first.length - 4)));
    } catch {
      encoding = 'windows-1252';
    }
  }
  const head = new TextDecoder(encoding).decode(first.subarray(0, DETECT_BYTES));
  async function* text(): AsyncGenerator<string> {
    const decoder = new TextDecoder(encoding);
    for (const chunk of buffered) {
      hash.update(chunk);
      read += chunk.length;
      yield decoder.decode(chunk, { stream: true });
    }
    buffered.length = 0;
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        break;
      }
      hash.update(next.value);
      read += next.value.length;
      yield decoder.decode(next.value, { stream: true });
    }
    const rest = decoder.decode();
    if (rest) {
      yield rest;
    }
  }
  let digest: string | undefined;
  return {
    name,
    size,
    head,
    chunks: text(),
    sha256: () => (digest ??= hash.digest('hex')),
    bytesRead: () => read,
  };
};

/** A file on disk, read in 64 KiB chunks. */
export const openFileSource = (path: string): Promise<FileSource> =>
  sourceFromBytes(basename(path), createReadStream(path, { highWaterMark: 64 * 1024 }) as AsyncIterable<Uint8Array>, statSync(path).size);
