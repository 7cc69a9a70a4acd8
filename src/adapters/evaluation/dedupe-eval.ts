import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { dedupeKeysOf, findPairs, type DedupeKeys } from '../../core/evidence/dedupe.js';
import { emptyRecord, type RecordFields } from '../../core/evidence/record.js';
import { parseYear } from '../formats/normalise.js';

/**
 * Measures de-duplication on the screening sets in ../shared/data/screening, against a labelled
 * set of duplicate pairs:
 * - true pairs: records with the same PubMed id (the Cohen topics overlap: the same paper appears in
 *   several topics), plus the pairs labelled duplicate by hand in test/fixtures/dedupe/labelled-pairs.tsv;
 * - every other pair is distinct, including the pairs labelled distinct by hand (same title, different work).
 * Identifiers are hidden from the matcher, so this measures the title + year + first author stage,
 * the one that can be wrong (matching on a shared DOI or PMID is exact by construction).
 */
export interface DedupeEvaluation {
  records: number;
  truePairs: number;
  /** Pairs merged automatically (exact title, year and first author). */
  automatic: { found: number; correct: number; precision: number; recall: number };
  /** Automatic merges plus the uncertain pairs shown to a fellow. */
  withCandidates: { found: number; correct: number; precision: number; recall: number };
  /** The hand-labelled hard pairs: how each was judged. */
  labelled: { total: number; duplicates: number; judgedDuplicate: number; judgedCandidate: number; judgedDistinct: number; wrong: string[] };
}

interface Row {
  [column: string]: string | undefined;
}

interface Item {
  fields: RecordFields;
  truth: string;
  label: string;
}

const readCsv = (path: string): Row[] => parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, relax_quotes: true, bom: true }) as Row[];

const toFields = (row: Row): RecordFields => ({
  ...emptyRecord(),
  title: row.title ?? '',
  abstract: row.abstract || undefined,
  authors: (row.authors ?? '').split(';').map((author) => author.trim()).filter(Boolean),
  ...(parseYear(row.year) !== undefined ? { year: parseYear(row.year) } : {}),
});

export const loadLabelledPairs = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('dataset\t'))
    .map((line) => {
      const [dataset, file, key, left, right, isDuplicate, why] = line.split('\t');
      return { dataset: dataset ?? '', file: file ?? '', key: key ?? '', left: left ?? '', right: right ?? '', isDuplicate: isDuplicate === '1', why: why ?? '' };
    });

const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? 1 : Math.round((numerator / denominator) * 10_000) / 10_000);

export const evaluateDedupe = (screeningDir: string, labelledPath: string): DedupeEvaluation => {
  const labelled = loadLabelledPairs(labelledPath);
  const items: Item[] = [];
  const cohenDir = join(screeningDir, 'cohen2006');
  for (const file of existsSync(cohenDir) ? readdirCsv(cohenDir) : []) {
    for (const row of readCsv(join(cohenDir, file))) {
      if (row.title?.trim()) {
        items.push({ fields: toFields(row), truth: `pmid:${row.pubmedID}`, label: `cohen2006/${file}/pubmedID/${row.pubmedID}` });
      }
    }
  }
  const bannach = join(screeningDir, 'bannach-brown2019', 'Bannach-Brown_2019.csv');
  if (existsSync(bannach)) {
    for (const row of readCsv(bannach)) {
      if (row.title?.trim()) {
        items.push({ fields: toFields(row), truth: `bb:${row.record_id}`, label: `bannach-brown2019/Bannach-Brown_2019.csv/record_id/${row.record_id}` });
      }
    }
  }
  // Hand-labelled duplicates join their truth clusters.
  const byLabel = new Map(items.map((item, index) => [item.label, index]));
  const labelOf = (pair: (typeof labelled)[number], side: 'left' | 'right') => `${pair.dataset}/${pair.file}/${pair.key}/${pair[side]}`;
  for (const pair of labelled.filter((entry) => entry.isDuplicate)) {
    const left = byLabel.get(labelOf(pair, 'left'));
    const right = byLabel.get(labelOf(pair, 'right'));
    if (left !== undefined && right !== undefined) {
      const target = (items[left] as Item).truth;
      const source = (items[right] as Item).truth;
      for (const item of items) {
        if (item.truth === source) {
          item.truth = target;
        }
      }
    }
  }
  const clusterSizes = new Map<string, number>();
  for (const item of items) {
    clusterSizes.set(item.truth, (clusterSizes.get(item.truth) ?? 0) + 1);
  }
  const truePairs = [...clusterSizes.values()].reduce((sum, size) => sum + (size * (size - 1)) / 2, 0);

  const keys: DedupeKeys[] = items.map((item) => dedupeKeysOf(item.fields));
  const pairs = findPairs(keys);
  const isTrue = (left: number, right: number) => (items[left] as Item).truth === (items[right] as Item).truth;
  const automatic = pairs.filter((pair) => pair.match.kind === 'duplicate');
  const automaticCorrect = automatic.filter((pair) => isTrue(pair.left, pair.right)).length;
  const anyCorrect = pairs.filter((pair) => isTrue(pair.left, pair.right)).length;

  const judged = new Map(pairs.map((pair) => [`${pair.left}:${pair.right}`, pair.match.kind]));
  const labelledResults = labelled.map((pair) => {
    const left = byLabel.get(labelOf(pair, 'left'));
    const right = byLabel.get(labelOf(pair, 'right'));
    const key = left !== undefined && right !== undefined ? `${Math.min(left, right)}:${Math.max(left, right)}` : '';
    return { pair, kind: judged.get(key) ?? 'distinct' };
  });
  return {
    records: items.length,
    truePairs,
    automatic: { found: automatic.length, correct: automaticCorrect, precision: ratio(automaticCorrect, automatic.length), recall: ratio(automaticCorrect, truePairs) },
    withCandidates: { found: pairs.length, correct: anyCorrect, precision: ratio(anyCorrect, pairs.length), recall: ratio(anyCorrect, truePairs) },
    labelled: {
      total: labelled.length,
      duplicates: labelled.filter((pair) => pair.isDuplicate).length,
      judgedDuplicate: labelledResults.filter((result) => result.kind === 'duplicate').length,
      judgedCandidate: labelledResults.filter((result) => result.kind === 'candidate').length,
      judgedDistinct: labelledResults.filter((result) => result.kind === 'distinct').length,
      // A labelled duplicate judged distinct, or a labelled distinct pair merged automatically.
      wrong: labelledResults
        .filter((result) => (result.pair.isDuplicate && result.kind === 'distinct') || (!result.pair.isDuplicate && result.kind === 'duplicate'))
        .map((result) => `${result.pair.file} ${result.pair.left}/${result.pair.right}: ${result.pair.why}`),
    },
  };
};

const readdirCsv = (dir: string): string[] => readdirSync(dir).filter((file) => file.endsWith('.csv')).sort();
