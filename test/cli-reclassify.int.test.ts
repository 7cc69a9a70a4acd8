import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/adapters/db/migrate.js';
import { openPglite } from '../src/adapters/db/pglite.js';
import { createServices } from '../src/compose.js';
import { classificationRulesVersion } from '../src/core/evidence/classify.js';
import { importRecords } from './support/builders.js';

// `mobilise evidence reclassify` as users run it: the built `dist/cli/main.js` (npm test builds first).
const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const run = (args: string[], dataDir: string) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', DATA_DIR: dataDir }, timeout: 120_000 });

describe('mobilise evidence reclassify', () => {
  let dataDir: string;
  /** The records' designs as stored, by title. */
  const designs = async (): Promise<Record<string, string>> => {
    const db = await openPglite({ dataDir });
    try {
      const rows = await db.query<{ title: string; study_design: string }>('select title, study_design from evidence_records order by title');
      return Object.fromEntries(rows.map((row) => [row.title, row.study_design]));
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mobilise-cli-reclassify-'));
    const db = await openPglite({ dataDir });
    try {
      await migrate(db);
      await importRecords(
        createServices(db),
        'old.ris',
        { title: 'Befriending for carers: a non-randomised controlled trial', year: 2020 },
        { title: 'Telephone support for carers: a randomised controlled trial', year: 2021 },
        { title: 'Interventions for loneliness: a review of systematic reviews', year: 2022 },
      );
      // As the rules before version 1 left them, and one design a person chose.
      await db.query("update evidence_records set study_design = 'rct', evidence_level = 2 where title like 'Befriending%'");
      await db.query("update evidence_records set study_design = 'other', evidence_level = null where title like 'Interventions%'");
      await db.query("update evidence_records set study_design = 'qualitative', evidence_level = null, study_design_set_by_hand = true, study_design_set_at = now() where title like 'Telephone%'");
      await db.query('update classification_state set rules_version = 0');
    } finally {
      await db.close();
    }
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('with --dry-run says what would change and writes nothing', async () => {
    const result = run(['evidence', 'reclassify', '--dry-run', '--json'], dataDir);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      rulesVersion: classificationRulesVersion,
      previousVersion: 0,
      dryRun: true,
      complete: true,
      records: 2,
      changed: 2,
      changes: [
        { from: 'other', to: 'systematic_review', count: 1 },
        { from: 'rct', to: 'other', count: 1 },
      ],
    });
    expect(await designs()).toMatchObject({ 'Befriending for carers: a non-randomised controlled trial': 'rct' });
  });

  it('stops, saying who holds it, while another process holds the embedded database', async () => {
    const db = await openPglite({ dataDir, holder: 'the test server' });
    try {
      const result = run(['evidence', 'reclassify', '--json'], dataDir);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('in use by the test server');
    } finally {
      await db.close();
    }
  });

  it('changes the outdated designs, never the hand-set one, says from which design to which, and then has nothing to change', async () => {
    const result = run(['evidence', 'reclassify'], dataDir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Checked 2 records with the classification rules version ${classificationRulesVersion} (stored designs followed version 0): 2 changed.`);
    expect(result.stdout).toContain('1\tOther → Systematic review or meta-analysis');
    expect(result.stdout).toContain('1\tRandomised controlled trial → Other');
    expect(await designs()).toEqual({
      'Befriending for carers: a non-randomised controlled trial': 'other',
      'Interventions for loneliness: a review of systematic reviews': 'systematic_review',
      'Telephone support for carers: a randomised controlled trial': 'qualitative',
    });

    const again = run(['evidence', 'reclassify', '--json'], dataDir);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ previousVersion: classificationRulesVersion, records: 2, changed: 0, changes: [] });
  });

  it('exits 2 when --library is not a library id, and 1 when no library has it', () => {
    const bad = run(['evidence', 'reclassify', '--library', 'main'], dataDir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('library id');
    const unknown = run(['evidence', 'reclassify', '--library', '00000000-0000-4000-8000-000000000000'], dataDir);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No such library');
  });
});
