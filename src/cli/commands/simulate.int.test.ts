import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The CLI as users run it: the built `dist/cli/main.js` (npm test builds first).
const cli = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../test/fixtures/screening/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mobilise-simulate-'));
const run = (args: string[]) => spawnSync(process.execPath, [cli, 'simulate', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 60_000 });

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('mobilise simulate', () => {
  it('prints one JSON object with the metrics and the recall curve', () => {
    const result = run([join(fixtures, 'labelled.csv'), '--model', 'logistic', '--seed', '3', '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['records', 'included', 'wss95', 'wss100', 'rrf10', 'atd', 'recall_curve', 'seconds']));
    expect(report).toMatchObject({ records: 12, included: 4, model: 'logistic', seed: 3, prior_included: 1, prior_excluded: 1 });
    for (const key of ['wss95', 'wss100', 'rrf10', 'atd', 'seconds']) {
      expect(typeof report[key]).toBe('number');
    }
    // From the origin to all 3 inclusions left after the priors, among the 10 records left.
    expect((report.recall_curve as unknown[]).at(0)).toEqual([0, 0]);
    expect((report.recall_curve as unknown[]).at(-1)).toEqual([10, 3]);
  });

  it('is the same for the same seed, reads RIS, and writes the recall plot', () => {
    const plot = join(scratch, 'recall.svg');
    const fromCsv = JSON.parse(run([join(fixtures, 'labelled.csv'), '--seed', '2', '--json']).stdout) as { recall_curve: unknown; wss95: number };
    const fromRis = run([join(fixtures, 'labelled.ris'), '--seed', '2', '--json', '--plot', plot]);
    expect(fromRis.status).toBe(0);
    expect((JSON.parse(fromRis.stdout) as { recall_curve: unknown }).recall_curve).toEqual(fromCsv.recall_curve);
    expect(readFileSync(plot, 'utf8')).toContain('<title id="recall-title">labelled.ris: naive Bayes, seed 2</title>');
  });

  it('prints a summary without --json', () => {
    const result = run([join(fixtures, 'labelled.csv'), '--prior-included', '2', '--prior-excluded', '3']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('labelled.csv: 12 records, 4 included; model nb, seed 1, priors 2 included + 3 excluded');
    expect(result.stdout).toMatch(/WSS@95 +[\d.-]+%/);
  });

  it('exits 2 on usage errors and 1 on a bad dataset', () => {
    expect(run([join(fixtures, 'labelled.csv'), '--model', 'svm']).status).toBe(2);
    expect(run([join(fixtures, 'labelled.csv'), '--seed', '-1']).status).toBe(2);
    expect(run([join(scratch, 'missing.csv')]).status).toBe(2);
    const bad = run([join(fixtures, 'bad-label.csv'), '--json']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('line 3, field "included"');
    expect(run([join(fixtures, 'labelled.csv'), '--prior-included', '5']).status).toBe(1);
  });
});
