import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../src/adapters/db/migrate.js';
import { openPglite } from '../src/adapters/db/pglite.js';
import { createServices } from '../src/compose.js';
import { buildWorkspace, needInput, testHasher } from './support/builders.js';

// The CLI as users run it: the built `dist/cli/main.js` (npm test builds first).
const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const directories: string[] = [];
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', SMTP_URL: '', ...env }, timeout: 120_000 });

afterEach(() => {
  for (const dir of directories.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('mobilise followups send', () => {
  it('keeps due follow-ups for a fellow when there is no SMTP server, printing one JSON object', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mobilise-cli-'));
    directories.push(dataDir);
    const db = await openPglite({ dataDir });
    try {
      await migrate(db);
      const services = createServices(db, { hasher: testHasher, indexPollMs: 0 });
      const { requester } = await buildWorkspace(services);
      const need = await services.needs.submitNeed(requester.actor, needInput());
      await services.followups.schedule({ needId: need.id, deliveredAt: new Date(Date.now() - 100 * 86_400_000) });
    } finally {
      await db.close();
    }
    const json = run(['followups', 'send', '--json'], { DATA_DIR: dataDir });
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ sent: 0, kept: 2, failed: 0 });
    const text = run(['followups', 'send'], { DATA_DIR: dataDir });
    expect(text.stdout).toBe('Follow-ups: 0 sent by email, 2 waiting for a fellow to send by hand.\n');
    expect(run(['followups', 'send'], { DATA_DIR: dataDir, FOLLOWUP_MONTHS: 'soon' }).status).toBe(1);
  });
});
