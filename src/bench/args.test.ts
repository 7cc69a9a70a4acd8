import { afterEach, describe, expect, it, vi } from 'vitest';
import { readBenchArgs } from './args.js';

describe('readBenchArgs', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const refusing = () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    return { exit, stderr };
  };

  it('reads options, flags and whole numbers, with fallbacks for absent options', () => {
    const args = readBenchArgs('test', ['docs', 'json', 'seeds'], ['--docs', '10000', '--json']);
    expect(args.option('docs', '5')).toBe('10000');
    expect(args.option('seeds', '5')).toBe('5');
    expect(args.has('json')).toBe(true);
    expect(args.has('seeds')).toBe(false);
    expect(args.wholeNumber('42', 'seeds')).toBe(42);
  });

  it('refuses an unknown option, a missing value and a number that is not a whole number above 0, with exit code 2', () => {
    const { exit, stderr } = refusing();
    expect(() => readBenchArgs('test', ['docs'], ['--dcos', '1'])).toThrow('exit 2');
    expect(stderr).toHaveBeenLastCalledWith('bench:test: unknown option --dcos; known: --docs\n');
    const args = readBenchArgs('test', ['docs'], ['--docs']);
    expect(() => args.option('docs', '1')).toThrow('exit 2');
    expect(stderr).toHaveBeenLastCalledWith('bench:test: --docs needs a value\n');
    for (const text of ['0', '-3', '2.5', 'ten']) {
      expect(() => args.wholeNumber(text, 'docs')).toThrow('exit 2');
    }
    expect(stderr).toHaveBeenLastCalledWith('bench:test: --docs takes whole numbers above 0, got "ten"\n');
    expect(exit).toHaveBeenCalledTimes(6);
  });
});
