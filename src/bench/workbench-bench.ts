import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Database } from '../adapters/db/database.js';
import { openPglite } from '../adapters/db/pglite.js';
import { migrate } from '../adapters/db/migrate.js';
import { readLabelledDataset, type LabelledRecord } from '../adapters/screening-data/labelled-dataset.js';
import { createServices, type Services } from '../compose.js';
import type { Actor } from '../core/accounts/roles.js';
import { emptyRecord, type ParseEvent } from '../core/evidence/record.js';
import type { ReviewId } from '../core/reviews/types.js';
import { readBenchArgs } from './args.js';
import { screeningSetFiles } from './screening-sets.js';
import { percentile } from './search-measure.js';

/**
 * `npm run bench:workbench -- [--records 10000,1000] [--decisions 300] [--data DIR] [--out FILE] [--json]`
 *
 * Issue #5 item 4: "retrained after decisions without making the screener wait". The screening
 * loop as the workbench runs it, through the services on the embedded PGlite (what `npm start`
 * uses): a review of N records from the labelled screening sets, then, for each decision, the next
 * record (`nextCard`: progress, the ranking, the card with its stopping guidance) and the decision
 * (`decide`, which sets off a retrain on the ranking thread). The screener here decides at once, so
 * the retrain runs beside the requests all the time (a person takes seconds a record). Per review
 * size: median and p95 of each request, over the first and the last half of the decisions, and how
 * many decisions behind the ranking that served each card was. The sizes run one after the other in
 * this one process, the smaller as the baseline beside the larger. Then the review's other pages'
 * reads (overview, records, conflicts, PRISMA, decision log), median of five each.
 */

const { usage, option, has, wholeNumber } = readBenchArgs('workbench', ['records', 'decisions', 'data', 'out', 'json']);
const sizes = option('records', '10000,1000')
  .split(',')
  .map((text) => wholeNumber(text, 'records'));
const decisionCount = wholeNumber(option('decisions', '300'), 'decisions');
const dataDir = resolve(option('data', fileURLToPath(new URL('../../../shared/data/screening', import.meta.url))));
const progress = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

const labelledRecords = async (): Promise<LabelledRecord[]> => {
  const records: LabelledRecord[] = [];
  for (const file of screeningSetFiles(dataDir, usage)) {
    // eslint-disable-next-line no-await-in-loop -- the sets are read one after the other
    records.push(...(await readLabelledDataset(file)).records);
  }
  return records;
};

async function* eventsOf(records: readonly LabelledRecord[]): AsyncGenerator<ParseEvent> {
  for (const [index, record] of records.entries()) {
    // A number in the title keeps repeated records (a size beyond the sets) from being merged as duplicates.
    yield { kind: 'record', line: index + 1, fields: { ...emptyRecord(), title: `${record.title} [${index + 1}]`, abstract: record.abstract, year: 2000 + (index % 25) } };
  }
}

/** A nearest-rank percentile (`p` in %) of unsorted values, to a tenth. */
const percentileOf = (values: readonly number[], p: number): number => Math.round(percentile([...values].sort((left, right) => left - right), p) * 10) / 10;
const summary = (values: readonly number[]) => ({ medianMs: percentileOf(values, 50), p95Ms: percentileOf(values, 95), maxMs: percentileOf(values, 100), count: values.length });

const runReview = async (db: Database, services: Services, fellow: Actor, pool: readonly LabelledRecord[], size: number) => {
  const chosen = Array.from({ length: size }, (_, index) => pool[index % pool.length] as LabelledRecord);
  const review = await services.reviews.createReview(fellow, {
    title: `Workbench benchmark, ${size} records`,
    question: 'Which drug treatments are effective and safe?',
    framework: 'pico',
    frameworkFields: {},
    inclusionCriteria: 'Randomised controlled trials',
    exclusionCriteria: '',
    exclusionReasons: ['Wrong population', 'Wrong intervention', 'Wrong study design'],
    includeKeywords: [],
    excludeKeywords: [],
    isDual: false,
    isBlind: true,
    model: 'nb',
    randomShare: 0,
  });
  const id = review.id as ReviewId;
  let started = performance.now();
  await services.reviews.importRecords(fellow, id, 'Benchmark', (libraryId) =>
    services.evidenceImport.importRecords(fellow, { fileName: 'bench.ris', format: 'ris', events: eventsOf(chosen), fileSha256: () => 'bench', libraryId }),
  );
  const importMs = Math.round(performance.now() - started);
  // Which record is which: the title carries its place in the file.
  const labelOf = (title: string): boolean => chosen[Number(/\[(\d+)\]$/.exec(title)?.[1] ?? 0) - 1]?.isIncluded ?? false;
  // The ranking is built in the background once the import is in (the screener is still on the
  // records page): how long that takes, then the first card for a screener who arrives after it.
  started = performance.now();
  await services.ranker.idle(id);
  const rankedAfterImportMs = Math.round(performance.now() - started);
  started = performance.now();
  await services.reviews.nextCard(fellow, id, 'title_abstract');
  const firstCardMs = Math.round(performance.now() - started);
  const nextCardMs: number[] = [];
  const decideMs: number[] = [];
  const behind: number[] = [];
  let orderedByModel = 0;
  for (let made = 0; made < decisionCount; made += 1) {
    started = performance.now();
    // eslint-disable-next-line no-await-in-loop -- a screener's decisions come one after another
    const card = await services.reviews.nextCard(fellow, id, 'title_abstract');
    nextCardMs.push(performance.now() - started);
    if (!card) {
      break;
    }
    // How many decisions the model that ordered this card was trained on (saved with each retrain).
    const version = /-v(\d+)$/.exec(card.order.modelVersion ?? '')?.[1];
    // eslint-disable-next-line no-await-in-loop -- read between the timed requests
    const [trained] = version ? await db.query<{ decisions: number }>('select included + excluded as decisions from review_models where review_id = $1 and version = $2', [id, Number(version)]) : [];
    const trainedOn = trained?.decisions;
    if (card.order.by === 'model') {
      orderedByModel += 1;
    }
    if (trainedOn !== undefined) {
      behind.push(made - trainedOn);
    }
    const isIncluded = labelOf(card.record.title);
    started = performance.now();
    // eslint-disable-next-line no-await-in-loop -- as above
    await services.reviews.decide(fellow, id, {
      recordId: card.record.id,
      stage: 'title_abstract',
      decision: isIncluded ? 'include' : 'exclude',
      reason: isIncluded ? undefined : 'Wrong study design',
      modelVersion: card.order.modelVersion,
      rankPosition: card.order.position,
    });
    decideMs.push(performance.now() - started);
  }
  await services.ranker.idle(id);
  // The review's other pages read the same progress: each read five times after the decisions.
  const timed = async (read: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let run = 0; run < 5; run += 1) {
      const readStarted = performance.now();
      // eslint-disable-next-line no-await-in-loop -- one read at a time
      await read();
      times.push(performance.now() - readStarted);
    }
    return summary(times).medianMs;
  };
  const pagesMs = {
    overview: await timed(() => services.reviews.overview(fellow, id)),
    recordsPage: await timed(() => services.reviews.listRecords(fellow, id, { offset: 0, limit: 50 })),
    conflicts: await timed(() => services.reviews.getConflicts(fellow, id)),
    prisma: await timed(() => services.reviews.getPrisma(fellow, id)),
    decisionLog: await timed(() => services.reviews.decisionLog(fellow, id)),
  };
  const half = Math.floor(nextCardMs.length / 2);
  return {
    records: size,
    decisions: decideMs.length,
    importMs,
    rankedAfterImportMs,
    firstCardMs,
    nextCard: { all: summary(nextCardMs), firstHalf: summary(nextCardMs.slice(0, half)), lastHalf: summary(nextCardMs.slice(half)) },
    decide: { all: summary(decideMs), firstHalf: summary(decideMs.slice(0, half)), lastHalf: summary(decideMs.slice(half)) },
    pagesMs,
    cardsOrderedByModel: orderedByModel,
    decisionsBehind: behind.length > 0 ? { median: percentileOf(behind, 50), p95: percentileOf(behind, 95), max: percentileOf(behind, 100) } : undefined,
  };
};

const db = await openPglite({ dataDir: undefined, holder: 'bench:workbench' });
await migrate(db);
const services = createServices(db, { indexPollMs: 0 });
const fellowUser = await services.accounts.createUser(undefined, { email: 'bench@example.test', name: 'Bench Fellow', role: 'fellow', password: 'benchmark-password-1' });
const fellow: Actor = { userId: fellowUser.id, role: fellowUser.role, organisationId: fellowUser.organisationId, name: fellowUser.name };
const pool = await labelledRecords();
const results = [];
try {
  for (const size of sizes) {
    progress(`workbench: a review of ${size} records, ${decisionCount} decisions`);
    // eslint-disable-next-line no-await-in-loop -- one review after the other, never side by side
    const result = await runReview(db, services, fellow, pool, size);
    progress(
      `  import ${result.importMs} ms; ranked in the background ${result.rankedAfterImportMs} ms after it; first card ${result.firstCardMs} ms; next card median ${result.nextCard.all.medianMs} ms (p95 ${result.nextCard.all.p95Ms}); decide median ${result.decide.all.medianMs} ms (p95 ${result.decide.all.p95Ms})`,
    );
    results.push(result);
  }
} finally {
  await services.ranker.close();
  await services.search.stop();
  await db.close();
}
const report = { database: 'PGlite (embedded, in memory)', decisionsPerReview: decisionCount, reviews: results };
if (has('out')) {
  writeFileSync(option('out', ''), `${JSON.stringify(report, null, 2)}\n`);
}
process.stdout.write(has('json') ? `${JSON.stringify(report)}\n` : `${JSON.stringify(report, null, 2)}\n`);
