/**
 * The command line of a benchmark (`npm run bench:… -- --name value --flag`): unknown options and
 * missing values are refused with a usage message and exit code 2, so a typo never runs an hour-long
 * benchmark with defaults.
 */
export interface BenchArgs {
  /** Prints `bench:<name>: message` and exits with code 2. */
  usage(message: string): never;
  /** The value after `--name`, or `fallback` when the option is absent. */
  option(name: string, fallback: string): string;
  /** Whether `--name` was given. */
  has(name: string): boolean;
  /** `text` as a whole number above 0, or a usage error naming `--name`. */
  wholeNumber(text: string, name: string): number;
}

export const readBenchArgs = (bench: string, known: readonly string[], argv: readonly string[] = process.argv.slice(2)): BenchArgs => {
  const usage = (message: string): never => {
    process.stderr.write(`bench:${bench}: ${message}\n`);
    process.exit(2);
  };
  const options = new Set(known);
  for (const arg of argv) {
    if (arg.startsWith('--') && !options.has(arg.slice(2))) {
      usage(`unknown option ${arg}; known: ${known.map((name) => `--${name}`).join(', ')}`);
    }
  }
  return {
    usage,
    option: (name, fallback) => {
      const index = argv.indexOf(`--${name}`);
      return index >= 0 ? (argv[index + 1] ?? usage(`--${name} needs a value`)) : fallback;
    },
    has: (name) => argv.includes(`--${name}`),
    wholeNumber: (text, name) => {
      const value = Number(text);
      return Number.isInteger(value) && value > 0 ? value : usage(`--${name} takes whole numbers above 0, got "${text}"`);
    },
  };
};
