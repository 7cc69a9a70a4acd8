import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { collectFixtureRecords, evaluateClassification } from '../../adapters/evaluation/classify-eval.js';
import { AppError } from '../../core/shared/errors.js';

const DEFAULT_FORMATS_DIR = fileURLToPath(new URL('../../../../shared/data/formats', import.meta.url));

/** `mobilise eval classify`: study-design accuracy on records whose publication type names a design. */
export const evalClassifyCommand = async (options: { data?: string; json?: boolean }): Promise<void> => {
  const dir = options.data ?? DEFAULT_FORMATS_DIR;
  if (!existsSync(dir)) {
    throw new AppError('validation.failed', `No reference files at ${dir} (pass --data DIR)`, { usage: true });
  }
  const result = evaluateClassification(await collectFixtureRecords(dir));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(
    [
      `${result.records} records whose publication type names a design (classified with it hidden): accuracy ${(result.accuracy * 100).toFixed(1)}%`,
      ...result.byDesign.map((entry) => `  ${entry.design}: ${entry.correct}/${entry.records}`),
      ...result.mistakes.map((mistake) => `  wrong: "${mistake.title}" is ${mistake.truth}, classified ${mistake.predicted} (${mistake.reason})`),
    ].join('\n') + '\n',
  );
};
