import { join } from 'node:path';
import type { Config } from '../../config/config.js';
import { migrate } from '../../adapters/db/migrate.js';
import { makeSnippet } from '../../adapters/search/snippet.js';
import { DEFAULT_EXPAND, boostsFor } from '../../core/evidence/search-defaults.js';
import { relatedCountSentence } from '../../core/evidence/widened-search.js';
import { AppError } from '../../core/shared/errors.js';
import { createServices, openDatabase } from '../../compose.js';
import { themeOption } from './import.js';

/**
 * `mobilise search "<query>"`: the same index and ranking as the web app. Loads this data
 * directory's snapshot when there is one (read only: the server owns it), else builds from the database.
 */
export const searchCommand = async (config: Config, text: string, options: { limit?: string; json?: boolean; plain?: boolean; theme?: string | string[] }): Promise<void> => {
  const limit = Number(options.limit ?? '10');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new AppError('validation.failed', '--limit must be a whole number from 1 to 1000', { usage: true });
  }
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'mobilise search' });
  try {
    await migrate(db);
    const services = createServices(db, { snapshotPath: join(config.dataDir, 'index', 'evidence.snapshot'), indexPollMs: 0 });
    // `--theme` (name or id, repeatable): records tagged with any of them. Unknown names stop with exit 1.
    const themes = await services.evidence.findThemes(undefined, themeOption(options.theme));
    const started = performance.now();
    const result = await services.evidence.searchEvidence(undefined, {
      text,
      limit,
      filters: themes.length > 0 ? { themeIds: themes.map((theme) => theme.id) } : {},
      boosts: boostsFor(options.plain ? 'plain' : 'boosted', services.clock.now().getUTCFullYear()),
      expand: DEFAULT_EXPAND,
      explain: true,
    });
    const ms = Math.round(performance.now() - started);
    const terms = new Set(result.terms);
    const hits = result.hits.map(({ id, score, record, explanation, isRelated }) => ({
      id,
      score: Math.round(score * 1000) / 1000,
      title: record.title,
      year: record.year,
      journal: record.journal,
      doi: record.doi,
      pmid: record.pmid,
      studyDesign: record.studyDesign,
      evidenceLevel: record.evidenceLevel,
      themes: record.themes.map((theme) => theme.name),
      matched: explanation?.terms.map((term) => term.term) ?? [],
      isRelated: isRelated ?? false,
      snippet: makeSnippet(record.abstract ?? '', terms, 200)
        .map((part) => part.text)
        .join(''),
    }));
    if (options.json) {
      // total: every record found, widening included; matching: those with the query's own words.
      process.stdout.write(`${JSON.stringify({ query: text, total: result.total, matching: result.matching, expandedWith: result.expandedWith, hits })}\n`);
      return;
    }
    process.stdout.write(`${relatedCountSentence(result, `"${text}"`) ?? `${result.total} records match "${text}"`} (${ms} ms)\n`);
    hits.forEach((hit, index) => {
      process.stdout.write(`${index + 1}. ${hit.isRelated ? '(related) ' : ''}${hit.title}${hit.year ? ` (${hit.year})` : ''}  [${hit.studyDesign}${hit.evidenceLevel ? `, level ${hit.evidenceLevel}` : ''}; score ${hit.score}]\n   ${hit.snippet}\n`);
    });
  } finally {
    await db.close();
  }
};
