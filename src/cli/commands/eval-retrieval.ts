import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { z } from 'zod';
import { evaluateRetrieval, type RetrievalMetrics } from '../../adapters/evaluation/retrieval-eval.js';
import type { IndexSettings } from '../../adapters/search/evidence-index.js';
import { AppError } from '../../core/shared/errors.js';

const DEFAULT_DIR = fileURLToPath(new URL('../../../../shared/data/retrieval/nfcorpus', import.meta.url));

export interface EvalRetrievalOptions {
  corpus?: string;
  queries?: string;
  qrels?: string;
  expand?: boolean;
  settings?: string;
  baselineUrl?: string;
  json?: boolean;
}

const triple = z.tuple([z.number().nonnegative(), z.number().nonnegative(), z.number().nonnegative()]);
const settingsSchema = z
  .object({
    k1: z.number().positive(),
    weights: triple,
    b: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)]),
    feedback: z.object({ documents: z.number().int().positive(), terms: z.number().int().positive(), originalWeight: z.number().min(0).max(1) }),
  })
  .partial()
  .strict();

/** `--settings '{"k1":0.9}'`: overrides for comparing one proposed default against the current ones. */
const parseSettings = (text: string | undefined): Partial<IndexSettings> => {
  if (text === undefined) {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('validation.failed', '--settings must be JSON, e.g. {"k1":0.9}', { usage: true });
  }
  const parsed = settingsSchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('validation.failed', `--settings: ${parsed.error.issues.map((issue) => `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`).join('; ')}`, { usage: true });
  }
  // zod's partial output marks each key optional-or-undefined; drop the undefined ones for exactOptionalPropertyTypes.
  return Object.fromEntries(Object.entries(parsed.data).filter(([, entry]) => entry !== undefined)) as Partial<IndexSettings>;
};

/**
 * `mobilise eval retrieval`: nDCG@10, Recall@100 and MRR@10 of the evidence index on a BEIR test
 * collection, beside plain BM25 from SQLite FTS5 (PostgreSQL ts_rank_cd without sqlite3) in the same run.
 */
export const evalRetrievalCommand = async (options: EvalRetrievalOptions): Promise<void> => {
  const paths = {
    corpus: options.corpus ?? `${DEFAULT_DIR}/corpus.jsonl`,
    queries: options.queries ?? `${DEFAULT_DIR}/queries.jsonl`,
    qrels: options.qrels ?? `${DEFAULT_DIR}/qrels/test.tsv`,
  };
  const baselineUrl = options.baselineUrl ?? process.env.TEST_DATABASE_URL;
  const result = await evaluateRetrieval(paths, {
    expand: options.expand ?? true,
    settings: parseSettings(options.settings),
    ...(baselineUrl
      ? {
          postgres: async () => {
            const client = new pg.Client({ connectionString: baselineUrl });
            await client.connect();
            return client;
          },
        }
      : {}),
    progress: (message) => process.stderr.write(`${message}\n`),
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const row = (name: string, metrics: RetrievalMetrics) =>
    `  ${name.padEnd(34)} ${metrics.ndcg10.toFixed(4).padStart(8)} ${metrics.recall100.toFixed(4).padStart(11)} ${metrics.mrr10.toFixed(4).padStart(8)}`;
  const gain = (result.ndcg10Gain * 100).toFixed(1);
  process.stdout.write(
    [
      `${result.queries} judged queries, ${result.documents} documents, ${result.judgements} judgements (${result.seconds} s)`,
      `  ${''.padEnd(34)} ${'nDCG@10'.padStart(8)} ${'Recall@100'.padStart(11)} ${'MRR@10'.padStart(8)}`,
      row(`evidence index, RM3${result.expand ? ' (headline)' : ''}`, result.variants.rm3),
      row(`evidence index, no RM3${result.expand ? '' : ' (headline)'}`, result.variants.noRm3),
      row(result.baseline.engine, result.baseline),
      ...(result.variants.baselineWithoutStopWords ? [row('  same, stop words out of queries', result.variants.baselineWithoutStopWords)] : []),
      `nDCG@10 against the baseline: ${result.ndcg10Gain >= 0 ? '+' : ''}${gain}%`,
    ].join('\n') + '\n',
  );
};
