import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluateDedupe } from '../../adapters/evaluation/dedupe-eval.js';
import { AppError } from '../../core/shared/errors.js';

export const DEFAULT_SCREENING_DIR = fileURLToPath(new URL('../../../../shared/data/screening', import.meta.url));
export const LABELLED_PAIRS = fileURLToPath(new URL('../../../test/fixtures/dedupe/labelled-pairs.tsv', import.meta.url));

/** `mobilise eval dedupe`: de-duplication precision and recall on the labelled screening sets. */
export const evalDedupeCommand = (options: { data?: string; json?: boolean }): void => {
  const dir = options.data ?? DEFAULT_SCREENING_DIR;
  if (!existsSync(dir)) {
    throw new AppError('validation.failed', `No screening data at ${dir} (pass --data DIR)`, { usage: true });
  }
  const result = evaluateDedupe(dir, LABELLED_PAIRS);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  process.stdout.write(
    [
      `${result.records} records, ${result.truePairs} true duplicate pairs (identifiers hidden from the matcher)`,
      `merged automatically: ${result.automatic.found} pairs, precision ${percent(result.automatic.precision)}, recall ${percent(result.automatic.recall)}`,
      `with candidates for a fellow: ${result.withCandidates.found} pairs, precision ${percent(result.withCandidates.precision)}, recall ${percent(result.withCandidates.recall)}`,
      `hand-labelled hard pairs: ${result.labelled.total} (${result.labelled.duplicates} duplicates): ${result.labelled.judgedDuplicate} merged, ${result.labelled.judgedCandidate} shown as candidates, ${result.labelled.judgedDistinct} kept apart; wrong: ${result.labelled.wrong.length}`,
      ...result.labelled.wrong.map((line) => `  ${line}`),
    ].join('\n') + '\n',
  );
};
