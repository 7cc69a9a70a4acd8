#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { pino } from 'pino';
import { AppError, isAppError } from '../core/shared/errors.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { version } from '../version.js';
import { migrateCommand } from './commands/db-migrate.js';
import { startCommand } from './commands/start.js';
import { usersCreateCommand } from './commands/users-create.js';
import { importCommand } from './commands/import.js';
import { evalDedupeCommand } from './commands/eval-dedupe.js';
import { dedupeCommand } from './commands/dedupe.js';
import { evalClassifyCommand } from './commands/eval-classify.js';
import { searchCommand } from './commands/search.js';
import { briefingsExportCommand, briefingsListCommand } from './commands/briefings.js';
import { digestsSendCommand } from './commands/digests-send.js';
import { followupsSendCommand } from './commands/followups-send.js';
import { evalRetrievalCommand } from './commands/eval-retrieval.js';
import { evidenceReclassifyCommand } from './commands/evidence-reclassify.js';

/** Exit codes (DESIGN.md contracts): 0 success, 1 bad input or failure, 2 usage error. */
const program = new Command()
  .name('mobilise')
  .description('Mobilise: knowledge needs met with evidence. Runs the server and operator tasks.')
  .version(version, '-v, --version')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

program
  .command('start')
  .description('Start the web app and API (PORT, DATA_DIR, DATABASE_URL from the environment)')
  .action(async () => startCommand(loadConfig(), pino({ level: loadConfig().logLevel })));

const db = program.command('db').description('Database tasks');
db.command('migrate')
  .description('Apply migrations that have not run yet')
  .option('--json', 'print the result as JSON')
  .action(async (options: { json?: boolean }) => migrateCommand(loadConfig(), options));

const users = program.command('users').description('Accounts');
users
  .command('create')
  .description('Create an account. Prints a generated password unless --password-stdin is given.')
  .requiredOption('--email <email>', 'email address, used to sign in')
  .requiredOption('--role <role>', 'requester, fellow, researcher, contributor, lead or admin')
  .option('--name <name>', 'display name (defaults to the part of the email before @)')
  .option('--organisation <name>', 'the name of an existing organisation')
  .option('--password-stdin', 'read the password from standard input')
  .option('--json', 'print the result as JSON')
  .action(async (options: { email: string; role: string; name?: string; organisation?: string; passwordStdin?: boolean; json?: boolean }) =>
    usersCreateCommand(loadConfig(), options),
  );

program
  .command('import')
  .description('Import reference files into the evidence library (RIS, MEDLINE, PubMed XML, EndNote XML or tagged, BibTeX, CSV/TSV, CSL-JSON)')
  .argument('<file...>', 'files to import; each is imported completely or not at all')
  .option('--format <format>', 'skip detection and read the files as this format')
  .option('--library <id>', 'import into this library instead of the main one')
  .option('--query <search>', 'the search string that produced the file, kept with the import batch')
  .option('--theme <name-or-id>', 'tag every record of each file with this research theme (repeat for several)', (value: string, previous: string[]) => [...previous, value], [] as string[])
  .option('--dry-run', 'parse and de-duplicate, but write nothing')
  .option('--skip-invalid', 'import the valid records of a file that has invalid ones, reporting each skipped record')
  .option('--json', 'print the summary as JSON')
  .action(async (files: string[], options: Record<string, unknown>) => importCommand(loadConfig(), files, options));

program
  .command('search')
  .description('Search the evidence library with the same index and ranking as the web app')
  .argument('<query>', 'words, "exact phrases", prefix* words')
  .option('--limit <n>', 'how many results', '10')
  .option('--plain', 'rank by relevance only (no evidence-level or recency boosts)')
  .option('--theme <name-or-id>', 'only records tagged with this research theme (repeat for any of several)', (value: string, previous: string[]) => [...previous, value], [] as string[])
  .option('--json', 'print the results as JSON')
  .action(async (query: string, options: { limit?: string; json?: boolean; plain?: boolean; theme?: string[] }) => searchCommand(loadConfig(), query, options));

program
  .command('digests')
  .description('Email digests of new evidence')
  .command('send')
  .description('Build digests of new evidence now: sent through SMTP_URL when set, otherwise kept for a fellow to send')
  .option('--json', 'print the result as JSON')
  .action(async (options: { json?: boolean }) => digestsSendCommand(loadConfig(), options));

program
  .command('followups')
  .description('Follow-ups with requesters after delivery')
  .command('send')
  .description('Email the follow-ups that are due through SMTP_URL; without it (or an address) they wait for a fellow to send by hand')
  .option('--json', 'print the result as JSON')
  .action(async (options: { json?: boolean }) => followupsSendCommand(loadConfig(), options));

const briefingsProgram = program.command('briefings').description('Briefings: the outputs delivered to requesters');
briefingsProgram
  .command('list')
  .description('List every briefing with its status')
  .option('--json', 'print the result as JSON')
  .action(async (options: { json?: boolean }) => briefingsListCommand(loadConfig(), options));
briefingsProgram
  .command('export <id>')
  .description('Write a briefing (its current version) as DOCX, PDF or an accessible HTML page')
  .requiredOption('--format <format>', 'docx, pdf or html')
  .requiredOption('--out <file>', 'where to write it')
  .action(async (id: string, options: { format?: string; out?: string }) => briefingsExportCommand(loadConfig(), id, options));

program
  .command('dedupe')
  .description('Scan a whole library for duplicates: exact ones are merged, uncertain pairs listed for a fellow')
  .option('--library <id>', 'scan this library instead of the main one')
  .option('--json', 'print the result as JSON')
  .action(async (options: { library?: string; json?: boolean }) => dedupeCommand(loadConfig(), options));

program
  .command('evidence')
  .description('The evidence library')
  .command('reclassify')
  .description('Classify every record again with the current study-design rules and store the designs that changed (never one set by hand)')
  .option('--library <id>', 'only this library (the whole workspace by default)')
  .option('--dry-run', 'say what would change, and write nothing')
  .option('--json', 'print the result as JSON')
  .action(async (options: Record<string, unknown>) => evidenceReclassifyCommand(loadConfig(), options));

const evaluate = program.command('eval').description('Measure quality on public test data');
evaluate
  .command('dedupe')
  .description('De-duplication precision and recall on the labelled screening sets')
  .option('--data <dir>', 'the screening data folder (default ../shared/data/screening)')
  .option('--json', 'print the result as JSON')
  .action((options: { data?: string; json?: boolean }) => evalDedupeCommand(options));
evaluate
  .command('classify')
  .description('Study-design accuracy on records whose publication type names a design (../shared/data/formats)')
  .option('--data <dir>', 'a folder of reference files (default ../shared/data/formats)')
  .option('--json', 'print the result as JSON')
  .action(async (options: { data?: string; json?: boolean }) => evalClassifyCommand(options));
evaluate
  .command('retrieval')
  .description('nDCG@10, Recall@100 and MRR@10 of the evidence index on a BEIR collection, beside plain BM25 (SQLite FTS5) in the same run')
  .option('--corpus <file>', 'BEIR corpus.jsonl (default ../shared/data/retrieval/nfcorpus/corpus.jsonl)')
  .option('--queries <file>', 'BEIR queries.jsonl (default ../shared/data/retrieval/nfcorpus/queries.jsonl)')
  .option('--qrels <file>', 'BEIR qrels TSV (default ../shared/data/retrieval/nfcorpus/qrels/test.tsv)')
  .option('--expand', 'headline figures with pseudo-relevance feedback (RM3), the default')
  .option('--no-expand', 'headline figures without RM3 (both are always measured)')
  .option('--settings <json>', 'override index settings, e.g. {"k1":0.9}, to compare one proposed default (not for tuning on test queries)')
  .option('--baseline-url <url>', 'PostgreSQL for a ts_rank_cd baseline when sqlite3 is missing (default TEST_DATABASE_URL)')
  .option('--json', 'print the result as JSON')
  .action(async (options: { corpus?: string; queries?: string; qrels?: string; expand?: boolean; settings?: string; baselineUrl?: string; json?: boolean }) =>
    evalRetrievalCommand(options),
  );

(await import('./commands/simulate.js')).registerSimulateCommand(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else if (isAppError(error)) {
    process.stderr.write(`mobilise: ${error.message}${error.details?.fields ? `\n${Object.entries(error.details.fields).map(([field, message]) => `  ${field}: ${message}`).join('\n')}` : ''}\n`);
    process.exitCode = error.code === 'validation.failed' && error.details?.usage ? 2 : 1;
  } else {
    process.stderr.write(`mobilise: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

export { AppError };
