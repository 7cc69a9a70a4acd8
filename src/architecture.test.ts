import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The boundary table of docs/ARCHITECTURE.md, checked on every import in src/ (tests excluded):
 * imports flow inwards only, and the core does no I/O.
 */
const srcDir = dirname(fileURLToPath(import.meta.url));

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return name === 'scripts' ? [] : sourceFiles(path);
    }
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((match) => match[1] ?? '');

const layerOf = (file: string): string => relative(srcDir, file).split('/')[0] ?? '';

const forbidden: Record<string, { layers: string[]; packages: RegExp[] }> = {
  core: { layers: ['adapters', 'server', 'cli', 'web', 'config', 'compose.ts', 'demo-workspace.ts'], packages: [/^node:/, /^pg$/, /^@electric-sql\//, /^hono/, /^pino/] },
  adapters: { layers: ['server', 'cli', 'web', 'compose.ts'], packages: [] },
  web: { layers: ['adapters', 'server', 'cli', 'compose.ts', 'config'], packages: [/^pg$/, /^@electric-sql\//] },
  server: { layers: ['cli'], packages: [] },
  cli: { layers: ['web'], packages: [] },
};

describe('architecture', () => {
  const files = sourceFiles(srcDir);

  it('finds the source files it checks', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(Object.keys(forbidden))('keeps %s within its boundary', (layer) => {
    const rules = forbidden[layer];
    const problems: string[] = [];
    for (const file of files.filter((candidate) => layerOf(candidate) === layer)) {
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith('.')) {
          const target = layerOf(resolve(dirname(file), specifier));
          if (rules?.layers.includes(target)) {
            problems.push(`${relative(srcDir, file)} imports ${specifier}`);
          }
        } else if (rules?.packages.some((pattern) => pattern.test(specifier))) {
          problems.push(`${relative(srcDir, file)} imports ${specifier}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps the core free of the environment and the system clock', () => {
    const core = files.filter((file) => layerOf(file) === 'core');
    const offenders = core.filter((file) => /process\.env|new Date\(\)|Date\.now\(\)/.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => relative(srcDir, file))).toEqual([]);
  });
});
