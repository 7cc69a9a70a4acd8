/**
 * A file that cannot be parsed at all (not one bad record: the structure is broken). Importing such
 * a file imports nothing; the message names the line.
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${reason}`);
  }
}
