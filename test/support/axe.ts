import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// Evaluated through the DevTools protocol, so the page's strict CSP (no inline scripts) stays on.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the page as it is now and returns a readable
 * list of violations: empty means none. Tests assert `toEqual([])` so failures show what broke.
 */
const AXE_TIMEOUT_MS = 30_000;

export const axeViolations = async (page: Page): Promise<string[]> => {
  await page.evaluate(axeSource);
  // axe schedules work with timers, which never fire in a context with JavaScript disabled:
  // fail with a reason instead of hanging until the test's own timeout.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`axe did not finish within ${AXE_TIMEOUT_MS} ms (is JavaScript disabled in this context?)`)), AXE_TIMEOUT_MS);
  });
  const run = page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    // The page's document; the test tsconfig has no DOM lib, so it is reached through globalThis.
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations;
  });
  const violations = await Promise.race([run, timeout]).finally(() => clearTimeout(timer));
  return violations.map((violation) => `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
};
