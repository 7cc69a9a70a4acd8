import { AppError } from '../../core/shared/errors.js';
import type { Actor } from '../../core/accounts/roles.js';
import type { EvidenceImport } from '../../core/evidence/import.js';
import { importFormats, type ImportFormat, type ParseEvent } from '../../core/evidence/record.js';
import type { ImportSummary } from '../../core/evidence/types.js';
import type { LibraryId, ThemeId } from '../../core/shared/ids.js';
import { detectFormat } from './detect.js';
import type { FileSource } from './file-source.js';
import { FormatError } from './format-error.js';
import { parsers } from './registry.js';

export interface FileImportOptions {
  format?: ImportFormat | undefined;
  libraryId?: LibraryId | undefined;
  searchQuery?: string | undefined;
  isDryRun?: boolean;
  skipInvalid?: boolean;
  /** Themes to tag every record of the file with. */
  themeIds?: readonly ThemeId[] | undefined;
  /** Called as records are parsed, for progress bars. */
  onProgress?: (progress: { records: number; bytes: number; size: number | undefined }) => void;
}

export const isImportFormat = (value: string): value is ImportFormat => (importFormats as readonly string[]).includes(value);

/**
 * Imports one file: detects its format from content (unless given), parses it as a stream and
 * hands the records to the import use case. A file that cannot be parsed imports nothing and
 * fails with `import.unreadable`, naming the file and line.
 */
export const createFileImport = (evidenceImport: EvidenceImport) => async (actor: Actor | undefined, source: FileSource, options: FileImportOptions = {}): Promise<ImportSummary> => {
  const format = options.format ?? detectFormat(source.head, source.name);
  if (!format) {
    throw new AppError('import.unsupported_format', `${source.name}: not a format Mobilise reads (RIS, MEDLINE, PubMed XML, EndNote XML or tagged, BibTeX, CSV/TSV, CSL-JSON)`, {
      file: source.name,
      line: 1,
    });
  }
  let records = 0;
  async function* withProgress(events: AsyncIterable<ParseEvent>): AsyncGenerator<ParseEvent> {
    for await (const event of events) {
      records += 1;
      if (records % 1000 === 0) {
        options.onProgress?.({ records, bytes: source.bytesRead(), size: source.size });
      }
      yield event;
    }
    options.onProgress?.({ records, bytes: source.bytesRead(), size: source.size });
  }
  try {
    return await evidenceImport.importRecords(actor, {
      fileName: source.name,
      format,
      events: withProgress(parsers[format](source.chunks)),
      fileSha256: source.sha256,
      libraryId: options.libraryId,
      searchQuery: options.searchQuery,
      isDryRun: options.isDryRun ?? false,
      skipInvalid: options.skipInvalid ?? false,
      themeIds: options.themeIds ?? [],
    });
  } catch (error) {
    if (error instanceof FormatError) {
      throw new AppError('import.unreadable', `${source.name}: ${error.message}`, { file: source.name, line: error.line, reason: error.reason }, { cause: error });
    }
    throw error;
  }
};

export type FileImport = ReturnType<typeof createFileImport>;
