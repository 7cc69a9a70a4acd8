import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate } from '../src/adapters/db/migrate.js';
import { openPglite } from '../src/adapters/db/pglite.js';
import { importCommand } from '../src/cli/commands/import.js';
import { searchCommand } from '../src/cli/commands/search.js';
import { createServices, type Services } from '../src/compose.js';
import { loadConfig, type Config } from '../src/config/config.js';
import type { Theme } from '../src/core/organisations/types.js';
import { AppError } from '../src/core/shared/errors.js';

// `mobilise import --theme` and `mobilise search --theme` through their command functions, as
// src/cli/main.ts calls them. main.ts turns an AppError that is not a usage error into
// "mobilise: <message>" on stderr and exit code 1.
describe('mobilise import and search --theme', () => {
  let dataDir: string;
  let config: Config;
  let carers: Theme;
  let falls: Theme;
  let output: string[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mobilise-cli-themes-'));
    config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    await withServices(async (services) => {
      carers = await services.directory.createTheme(undefined, { name: 'Carers' });
      falls = await services.directory.createTheme(undefined, { name: 'Falls prevention' });
    });
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeAll(() => {
    output = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  /** Opens the data directory while no command holds it (a PGlite directory has one owner). */
  const withServices = async <T,>(work: (services: Services) => Promise<T>): Promise<T> => {
    const db = await openPglite({ dataDir });
    try {
      await migrate(db);
      return await work(createServices(db));
    } finally {
      await db.close();
    }
  };
  const risFile = (titles: string[]): string => {
    const path = join(dataDir, `${randomUUID()}.ris`);
    writeFileSync(path, titles.map((title) => `TY  - JOUR\nTI  - ${title}\nAU  - Mensah, Kofi\nPY  - 2022\nER  - \n`).join('\n'));
    return path;
  };
  const recordCount = () => withServices(async (services) => (await services.evidence.selectForExport(undefined, { filter: {}, limit: 1000 })).length);
  const thrownBy = async (work: Promise<unknown>): Promise<AppError> => {
    const error = await work.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    if (!(error instanceof AppError)) {
      throw new Error(`Expected an AppError, got ${String(error)}`);
    }
    return error;
  };

  it('import stops with theme.not_found naming the unknown theme (exit 1), before reading any file', async () => {
    const before = await recordCount();
    const error = await thrownBy(importCommand(config, [risFile([`Unread ${randomUUID()}`])], { theme: ['carers', 'Loneliness and isolation'] }));
    expect(error.code).toBe('theme.not_found');
    expect(error.message).toBe('No such theme: "Loneliness and isolation"');
    expect(error.details?.usage).toBeUndefined();
    // A single --theme arrives as a string when commander has no collector for it.
    expect((await thrownBy(importCommand(config, [risFile(['Unread'])], { theme: 'Nope' }))).message).toBe('No such theme: "Nope"');
    expect(await recordCount()).toBe(before);
  });

  it('import tags every record of the file with the themes named, by name in any case or by id', async () => {
    const titles = [`Respite ${randomUUID()}`, `Balance classes ${randomUUID()}`];
    await importCommand(config, [risFile(titles)], { theme: ['CARERS', falls.id] });
    expect(process.exitCode).toBeUndefined();
    expect(output.join('')).toContain('Every record imported is tagged with the themes: Carers, Falls prevention');
    const records = await withServices((services) => services.evidence.selectForExport(undefined, { filter: {}, limit: 1000 }));
    const imported = records.filter((record) => titles.includes(record.title));
    expect(imported).toHaveLength(2);
    for (const record of imported) {
      expect(record.themes.map((theme) => theme.id).sort()).toEqual([carers.id, falls.id].sort());
    }
  });

  it('search stops with theme.not_found naming the unknown theme', async () => {
    const error = await thrownBy(searchCommand(config, 'respite', { theme: ['Nope'] }));
    expect(error.code).toBe('theme.not_found');
    expect(error.message).toBe('No such theme: "Nope"');
  });
});
