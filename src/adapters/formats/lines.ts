/**
 * Splits a stream of decoded text chunks into lines with their 1-based numbers, without holding
 * more than one chunk and one partial line in memory. A leading byte-order mark is dropped; `\r\n`
 * and lone `\r` end lines too.
 */
export async function* readLines(chunks: AsyncIterable<string>): AsyncGenerator<{ text: string; line: number }> {
  let carry = '';
  let line = 0;
  let isFirst = true;
  for await (let chunk of chunks) {
    if (isFirst) {
      chunk = chunk.replace(/^\uFEFF/, '');
      isFirst = chunk.length === 0;
    }
    let text = carry + chunk;
    let start = 0;
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code === 10 || code === 13) {
        // A \r at the very end of a chunk may be the first half of \r\n: wait for the next chunk.
        if (code === 13 && index === text.length - 1) {
          break;
        }
        line += 1;
        yield { text: text.slice(start, index), line };
        if (code === 13 && text.charCodeAt(index + 1) === 10) {
          index += 1;
        }
        start = index + 1;
      }
    }
    carry = text.slice(start);
    text = '';
  }
  if (carry.length > 0) {
    line += 1;
    yield { text: carry.endsWith('\r') ? carry.slice(0, -1) : carry, line };
  }
}

/** A whole string as a one-chunk stream, for tests and small inputs. */
export async function* fromString(text: string): AsyncGenerator<string> {
  yield text;
}


/** A string as a stream of chunks of `size` characters: to show parsers give the same events however a file arrives. */
export async function* inChunks(text: string, size: number): AsyncGenerator<string> {
  for (let offset = 0; offset < text.length; offset += size) {
    yield text.slice(offset, offset + size);
  }
}
