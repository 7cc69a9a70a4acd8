import { existsSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import { migrate } from '../../adapters/db/migrate.js';
import { openFileSource } from '../../adapters/formats/file-source.js';
import { isImportFormat } from '../../adapters/formats/file-import.js';
import { detectFormat } from '../../adapters/formats/detect.js';
import { importFormats } from '../../core/evidence/record.js';
import type { ImportSummary, RecordTheme } from '../../core/evidence/types.js';
import { AppError, isAppError } from '../../core/shared/errors.js';
import type { LibraryId } from '../../core/shared/ids.js';
import { createServices, openDatabase } from '../../compose.js';
import { parseOptions } from '../options.js';

const optionsSchema = z.object({
  format: z.string().refine(isImportFormat, { message: `Format must be one of: ${importFormats.join(', ')}` }).optional(),
  library: z.uuid({ error: 'Library must be a library id' }).optional(),
  query: z.string().optional(),
  dryRun: z.boolean().optional(),
  skipInvalid: z.boolean().optional(),
  /** `--theme` may be given several times (a list), or once (a string). */
  theme: z.union([z.string(), z.array(z.string())]).optional(),
  json: z.boolean().optional(),
});

/** Files at least this large get a progress bar (on stderr, so --json output stays clean). */
const PROGRESS_BYTES = 2 * 1024 * 1024;

type FileResult = Pick<ImportSummary, 'file' | 'parsed' | 'imported' | 'duplicates' | 'errors'> & { format: string };

/** The `--theme` values, however many were given. */
export const themeOption = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * `mobilise import <file...>`: each file all-or-nothing; `--theme` tags every record of each file. Exit 1 when any file cannot be parsed or
 * has invalid records that were not skipped; the summary still covers every file.
 */
export const importCommand = async (config: Config, files: string[], raw: Record<string, unknown>): Promise<void> => {
  const options = parseOptions(optionsSchema, raw);
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new AppError('validation.failed', `No such file: ${missing.join(', ')}`, { usage: true });
  }
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'mobilise import' });
  const results: FileResult[] = [];
  let themes: RecordTheme[] = [];
  let failed = false;
  try {
    await migrate(db);
    const services = createServices(db);
    const { importFile } = services;
    // Unknown themes stop the command before any file is read (theme.not_found names them: exit 1).
    themes = await services.evidence.findThemes(undefined, themeOption(options.theme));
    for (const file of files) {
      // eslint-disable-next-line no-await-in-loop -- files import one after another, each in its own transaction
      const source = await openFileSource(file);
      const bar = (source.size ?? 0) >= PROGRESS_BYTES && process.stderr.isTTY ? new cliProgress.SingleBar({ format: `${source.name} [{bar}] {percentage}% | {records} records`, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
      bar?.start(source.size ?? 0, 0, { records: 0 });
      try {
        // eslint-disable-next-line no-await-in-loop -- as above
        const summary = await importFile(undefined, source, {
          format: options.format,
          libraryId: options.library as LibraryId | undefined,
          searchQuery: options.query,
          isDryRun: options.dryRun ?? false,
          skipInvalid: options.skipInvalid ?? false,
          themeIds: themes.map((theme) => theme.id),
          onProgress: ({ records, bytes }) => bar?.update(bytes, { records }),
        });
        results.push(summary);
        failed ||= summary.errors.length > 0 && !options.skipInvalid;
      } catch (error) {
        if (!isAppError(error) || (error.code !== 'import.unreadable' && error.code !== 'import.unsupported_format')) {
          throw error;
        }
        failed = true;
        const line = typeof error.details?.line === 'number' ? error.details.line : 1;
        const message = typeof error.details?.reason === 'string' ? error.details.reason : error.message;
        results.push({ file: source.name, format: detectFormat(source.head, source.name) ?? options.format ?? 'unknown', parsed: 0, imported: 0, duplicates: 0, errors: [{ line, message }] });
      } finally {
        bar?.stop();
      }
    }
  } finally {
    await db.close();
  }
  const total = (key: 'parsed' | 'imported' | 'duplicates') => results.reduce((sum, result) => sum + result[key], 0);
  if (options.json) {
    const files = results.map(({ file, format, parsed, imported, duplicates, errors }) => ({ file, format, parsed, imported, duplicates, errors }));
    process.stdout.write(`${JSON.stringify({ files, parsed: total('parsed'), imported: total('imported'), duplicates: total('duplicates') })}\n`);
  } else {
    for (const result of results) {
      process.stdout.write(`${result.file} (${result.format}): ${result.parsed} parsed, ${result.imported} imported, ${result.duplicates} duplicates${options.dryRun ? ' (dry run: nothing written)' : ''}\n`);
      for (const error of result.errors.slice(0, 20)) {
        process.stdout.write(`  line ${error.line}: ${error.message}\n`);
      }
      if (result.errors.length > 20) {
        process.stdout.write(`  … and ${result.errors.length - 20} more\n`);
      }
      if (result.errors.length > 0 && result.parsed > 0 && !options.skipInvalid) {
        process.stdout.write('  Nothing was imported from this file. Fix the records above, or use --skip-invalid to import the rest.\n');
      }
    }
    if (themes.length > 0 && !options.dryRun) {
      process.stdout.write(`Every record imported is tagged with the themes: ${themes.map((theme) => theme.name).join(', ')}\n`);
    }
  }
  if (failed) {
    process.exitCode = 1;
  }
};
