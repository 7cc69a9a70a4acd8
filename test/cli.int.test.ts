import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../src/adapters/db/migrate.js';
import { openPglite } from '../src/adapters/db/pglite.js';
import { createServices } from '../src/compose.js';
import { DEMO_PASSWORD, seedDemoWorkspace } from '../src/demo-workspace.js';

// The CLI as users run it: the built `dist/cli/main.js` (npm test builds first).
const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const directories: string[] = [];
const tempDataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mobilise-cli-'));
  directories.push(dir);
  return dir;
};
const run = (args: string[], env: Record<string, string> = {}, input?: string) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', ...env }, input, timeout: 120_000 });

afterEach(() => {
  for (const dir of directories.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('mobilise CLI', () => {
  it('prints its version and help, exiting 0', () => {
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = run(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['start', 'db', 'users']) {
      expect(help.stdout).toContain(command);
    }
  });

  it('exits 2 on usage errors: an unknown command, a missing option, a role that does not exist', () => {
    expect(run(['frobnicate']).status).toBe(2);
    expect(run(['users', 'create', '--role', 'fellow']).status).toBe(2);
    const badRole = run(['users', 'create', '--email', 'a@example.org', '--role', 'wizard'], { DATA_DIR: tempDataDir() });
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain('role');
  });

  it('migrates a new database once, then reports it up to date', () => {
    const dataDir = tempDataDir();
    const first = run(['db', 'migrate', '--json'], { DATA_DIR: dataDir });
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ applied: readMigrations().map((migration) => migration.name) });
    const second = run(['db', 'migrate'], { DATA_DIR: dataDir });
    expect(second.stdout).toContain('up to date');
  });

  it('creates an account with a generated password that signs in, or one read from stdin', async () => {
    const dataDir = tempDataDir();
    const generated = run(['users', 'create', '--email', 'Lead@Example.org', '--role', 'lead', '--name', 'Lead Person', '--json'], { DATA_DIR: dataDir });
    expect(generated.status).toBe(0);
    const created = JSON.parse(generated.stdout) as { email: string; role: string; password: string };
    expect(created).toMatchObject({ email: 'lead@example.org', role: 'lead' });
    const fromStdin = run(['users', 'create', '--email', 'admin@example.org', '--role', 'admin', '--password-stdin'], { DATA_DIR: dataDir }, 'a chosen passphrase\n');
    expect(fromStdin.status).toBe(0);
    expect(fromStdin.stdout).not.toContain('a chosen passphrase');
    const duplicate = run(['users', 'create', '--email', 'lead@example.org', '--role', 'fellow'], { DATA_DIR: dataDir });
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain('already exists');

    const db = await openPglite({ dataDir });
    try {
      const { accounts } = createServices(db);
      await expect(accounts.logIn({ email: 'lead@example.org', password: created.password, ip: 'test' })).resolves.toMatchObject({ user: { role: 'lead' } });
      await expect(accounts.logIn({ email: 'admin@example.org', password: 'a chosen passphrase', ip: 'test' })).resolves.toMatchObject({ user: { role: 'admin' } });
    } finally {
      await db.close();
    }
  });

  it('refuses to open a data directory another process holds, saying who holds it', async () => {
    const dataDir = tempDataDir();
    const db = await openPglite({ dataDir, holder: 'the test server' });
    try {
      await migrate(db);
      const result = run(['db', 'migrate'], { DATA_DIR: dataDir });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('in use by the test server');
    } finally {
      await db.close();
    }
    expect(run(['db', 'migrate'], { DATA_DIR: dataDir }).status).toBe(0);
  });

  it('starts on a fresh data directory, seeds the demo workspace, prints the demo accounts and serves the sign-in page', async () => {
    const dataDir = tempDataDir();
    const child = spawn(process.execPath, [cli, 'start'], { env: { ...process.env, PORT: '0', DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', NODE_ENV: 'development' } });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /running at (http:\/\/\S+)/.exec(output);
          if (match?.[1] && output.includes('Press Ctrl+C')) {
            resolve(match[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      expect(output).toContain('ARC South London (demo)');
      expect(output).toContain('fellow@demo.mobilise.test');
      expect(output).toContain(DEMO_PASSWORD);
      const response = await fetch(`${url}/login`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Sign in to Mobilise');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('lists briefings and exports one as DOCX, PDF or HTML; a bad format is a usage error (exit 2)', async () => {
    const dataDir = tempDataDir();
    const db = await openPglite({ dataDir });
    await migrate(db);
    await seedDemoWorkspace(createServices(db, { indexPollMs: 0 }), new Date('2026-11-26T09:00:00Z'));
    await db.close();
    const env = { DATA_DIR: dataDir };
    const listed = run(['briefings', 'list', '--json'], env);
    expect(listed.status, listed.stderr).toBe(0);
    const { briefings } = JSON.parse(listed.stdout) as { briefings: { id: string; status: string; title: string }[] };
    const delivered = briefings.find((briefing) => briefing.status === 'delivered');
    expect(delivered?.title).toBe('Alcohol care in the emergency department: decision briefing');
    for (const [format, signature] of [
      ['docx', 'PK'],
      ['pdf', '%PDF-'],
      ['html', '<!DOCTYPE html>'],
    ] as const) {
      const out = join(dataDir, `briefing.${format}`);
      const exported = run(['briefings', 'export', delivered?.id ?? '', '--format', format, '--out', out], env);
      expect(exported.status, exported.stderr).toBe(0);
      expect(readFileSync(out).subarray(0, signature.length).toString().toUpperCase()).toBe(signature.toUpperCase());
    }
    const bad = run(['briefings', 'export', delivered?.id ?? '', '--format', 'odt', '--out', join(dataDir, 'x.odt')], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format must be docx, pdf or html');
    const missing = run(['briefings', 'export', '00000000-0000-0000-0000-000000000001', '--format', 'pdf', '--out', join(dataDir, 'x.pdf')], env);
    expect(missing.status).toBe(1);
  });
});
