import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { importCommand } from '../src/cli/commands/import.js';
import { searchCommand } from '../src/cli/commands/search.js';
import { loadConfig, type Config } from '../src/config/config.js';

// `mobilise search` through its command function, as src/cli/main.ts calls it, on a data directory of its own.
describe('mobilise search', () => {
  let dataDir: string;
  let config: Config;
  let output: string[];
  // The word searched for is in three records; two more share their other words without it.
  const word = `zq${randomUUID().slice(0, 6)}`;
  const withWord = [
    [`Loneliness ${word} among older people living alone`, 'Befriending volunteers telephoned isolated residents every week.'],
    [`Social ${word} after bereavement`, 'Befriending volunteers and peer support groups for isolated widows.'],
    [`Befriending volunteers and ${word}`, 'Isolated residents valued telephone befriending.'],
  ];
  const related = [
    ['Befriending volunteers for isolated carers', 'Volunteers telephoned carers every week.'],
    ['Training telephone befriending volunteers', 'A course for volunteers supporting isolated residents.'],
  ];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mobilise-cli-search-'));
    config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const path = join(dataDir, 'records.ris');
    writeFileSync(path, [...withWord, ...related, ['Hip fractures after falls', 'Surgery within a day.']].map(([title, abstract]) => `TY  - JOUR\nTI  - ${title}\nAB  - ${abstract}\nPY  - 2022\nER  - \n`).join('\n'));
    output = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
    await importCommand(config, [path], {});
  });
  afterAll(() => {
    vi.restoreAllMocks();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    output.length = 0;
  });

  it('--json reports the records holding the words (matching) beside the total, the words the search was widened with, and each related hit', async () => {
    await searchCommand(config, word, { json: true });
    const result = JSON.parse(output.join('')) as { total: number; matching: number; expandedWith: string[]; hits: { title: string; isRelated: boolean }[] };
    expect(result).toMatchObject({ total: 5, matching: 3 });
    expect(result.expandedWith).toEqual(expect.arrayContaining(['befriending', 'volunteers']));
    expect(result.hits.filter((hit) => !hit.isRelated).map((hit) => hit.title).sort()).toEqual(withWord.map(([title]) => title).sort());
    expect(result.hits.filter((hit) => hit.isRelated).map((hit) => hit.title).sort()).toEqual(related.map(([title]) => title).sort());
  });

  it('says in plain text how many records match and how many more are related, marking the related ones', async () => {
    await searchCommand(config, word, {});
    const text = output.join('');
    expect(text).toMatch(new RegExp(`^3 records match "${word}"; 2 more are related \\(found through words from the top results: [^)]*befriending`));
    expect(text.match(/^\d+\. \(related\) /gm)).toHaveLength(2);
  });
});
