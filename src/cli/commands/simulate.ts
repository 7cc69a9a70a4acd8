import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { readLabelledDataset } from '../../adapters/screening-data/labelled-dataset.js';
import { buildFeatures } from '../../core/screening/features.js';
import { featureOptionsFor, isModelName, type ModelName } from '../../core/screening/models.js';
import { renderRecallPlot } from '../../core/screening/recall-plot.js';
import { simulateScreening, type RetrainSchedule } from '../../core/screening/simulate.js';
import { AppError } from '../../core/shared/errors.js';

export interface SimulateOptions {
  model?: string;
  seed?: string;
  priorIncluded?: string;
  priorExcluded?: string;
  randomShare?: string;
  retrain?: string;
  plot?: string;
  json?: boolean;
}

/** What `--json` prints: the issue's keys (snake case), plus the settings that produced them. */
export interface SimulationReport {
  dataset: string;
  model: ModelName | 'random';
  seed: number;
  prior_included: number;
  prior_excluded: number;
  random_share: number;
  retrain: RetrainSchedule;
  /** Every record in the file, priors included. */
  records: number;
  /** Every inclusion in the file, priors included. */
  included: number;
  /** Metrics in %, over the records screened after the priors (ASReview's convention). */
  wss95: number;
  wss100: number;
  rrf10: number;
  atd: number;
  /** [records screened after the priors, inclusions found among them], at each inclusion. */
  recall_curve: Array<[number, number]>;
  retrains: number;
  /** Wall time to build the features and replay the screening (reading the file not counted). */
  seconds: number;
}

const usage = (message: string): AppError => new AppError('validation.failed', message, { usage: true });

const wholeNumber = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw usage(`--${name} must be a whole number of 0 or more, got "${text}"`);
  }
  return value;
};

const parseRetrain = (text: string | undefined): RetrainSchedule => {
  if (text === undefined || text === 'each' || text === 'growing') {
    return text ?? 'each';
  }
  const value = wholeNumber('retrain', text, 1);
  if (value < 1) {
    throw usage('--retrain must be each, growing or a whole number of 1 or more');
  }
  return value;
};

/**
 * `mobilise simulate <dataset>`: replays the screening of a labelled review with active learning
 * and reports how early the inclusions were found (issue #5 item 5). Progress goes to stderr when it
 * is a terminal; `--json` prints one object on stdout.
 */
export const simulateCommand = async (dataset: string, options: SimulateOptions): Promise<void> => {
  const model = options.model ?? 'nb';
  if (model !== 'random' && !isModelName(model)) {
    throw usage(`--model must be nb, logistic or random, got "${model}"`);
  }
  const seed = wholeNumber('seed', options.seed, 1);
  const priorIncluded = wholeNumber('prior-included', options.priorIncluded, 1);
  const priorExcluded = wholeNumber('prior-excluded', options.priorExcluded, 1);
  const randomShare = options.randomShare === undefined ? 0 : Number(options.randomShare);
  if (!(randomShare >= 0 && randomShare < 1)) {
    throw usage(`--random-share must be a number from 0 up to (not including) 1, got "${options.randomShare}"`);
  }
  const retrain = parseRetrain(options.retrain);
  if (!existsSync(dataset)) {
    throw usage(`No such file: ${dataset}`);
  }
  const data = await readLabelledDataset(dataset);
  const labels = Uint8Array.from(data.records, (record) => (record.isIncluded ? 1 : 0));
  const included = labels.reduce((sum, label) => sum + label, 0);
  if (included < priorIncluded || labels.length - included < priorExcluded) {
    throw new AppError(
      'validation.failed',
      `${dataset} has ${included} inclusions and ${labels.length - included} exclusions: too few for ${priorIncluded} prior inclusions and ${priorExcluded} prior exclusions`,
    );
  }

  const started = performance.now();
  const space = buildFeatures(data.records, featureOptionsFor(model === 'random' ? 'nb' : model));
  const bar = process.stderr.isTTY && !options.json ? new cliProgress.SingleBar({ format: `${basename(dataset)} [{bar}] {value}/{total} screened`, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(Math.max(labels.length - priorIncluded - priorExcluded, 0), 0);
  let result;
  try {
    result = simulateScreening(space.matrix, labels, { model, seed, priorIncluded, priorExcluded, randomShare, retrain }, (screened) => bar?.update(screened));
  } finally {
    bar?.stop();
  }
  const seconds = Math.round((performance.now() - started) / 10) / 100;

  const report: SimulationReport = {
    dataset: basename(dataset),
    model,
    seed,
    prior_included: priorIncluded,
    prior_excluded: priorExcluded,
    random_share: randomShare,
    retrain,
    records: labels.length,
    included,
    wss95: result.wss95,
    wss100: result.wss100,
    rrf10: result.rrf10,
    atd: result.atd,
    recall_curve: result.recallCurve,
    retrains: result.retrains,
    seconds,
  };
  if (options.plot) {
    const heading = `${basename(dataset)}: ${model === 'nb' ? 'naive Bayes' : model === 'logistic' ? 'logistic regression' : 'random order'}, seed ${seed}`;
    await writeFile(options.plot, renderRecallPlot(result, heading), 'utf8');
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  process.stdout.write(
    [
      `${report.dataset}: ${report.records} records, ${report.included} included; model ${model}, seed ${seed}, priors ${priorIncluded} included + ${priorExcluded} excluded`,
      `  WSS@95  ${report.wss95.toFixed(2).padStart(7)}%`,
      `  WSS@100 ${report.wss100.toFixed(2).padStart(7)}%`,
      `  RRF@10  ${report.rrf10.toFixed(2).padStart(7)}%`,
      `  ATD     ${report.atd.toFixed(2).padStart(7)}%`,
      `  ${report.retrains} retrains in ${report.seconds} s${options.plot ? `; recall curve written to ${options.plot}` : ''}`,
    ].join('\n') + '\n',
  );
};

/** Adds `mobilise simulate` to the program (main.ts calls this once). */
export const registerSimulateCommand = (program: Command): void => {
  program
    .command('simulate')
    .description('Replay the screening of a labelled review with active learning: WSS@95, WSS@100, RRF@10, ATD and the recall curve')
    .argument('<dataset>', 'CSV with title, abstract and label_included or included (0/1), as ASReview lays it out; or RIS with ASReview_relevant/ASReview_irrelevant notes')
    .option('--model <model>', 'nb (naive Bayes, the default), logistic, or random (the random-order baseline)')
    .option('--seed <n>', 'seed for the prior records, double balance and random picks (default 1)')
    .option('--prior-included <k>', 'random inclusions labelled before the first model (default 1)')
    .option('--prior-excluded <k>', 'random exclusions labelled before the first model (default 1)')
    .option('--random-share <p>', 'share of random picks among the records screened, from 0 (default) up to 1')
    .option('--retrain <when>', 'each (after every decision, the default), growing, or every n decisions')
    .option('--plot <file.svg>', 'write the recall curve beside random order as SVG')
    .option('--json', 'print the result as JSON')
    .action(async (dataset: string, options: SimulateOptions) => simulateCommand(dataset, options));
};
