import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, useBrowserSuite } from '../support/browser.js';
import { buildWorkspace, needInput, unique } from '../support/builders.js';
import type { TestServer } from '../support/server.js';
import { ImportReferencesPage } from './pages/evidence-pages.js';
import { NeedPage } from './pages/need-page.js';

// Two app nodes on one PostgreSQL server, each with its own connection pool, index and event bus:
// what a fellow does on one reaches a requester's page open on the other. PGlite is one process by
// design, so this runs where PostgreSQL does (always in CI).
describe.runIf(browserAvailable() && Boolean(process.env.TEST_DATABASE_URL))('two app nodes in the browser', () => {
  const suite = useBrowserSuite({ servers: 2 });
  const [nodeA, nodeB] = suite.servers as [TestServer, TestServer];
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mobilise-two-nodes-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a message and newly imported evidence from node A on the need page open on node B', async () => {
    const tag = unique('zq').replace(' ', '');
    const { requester, fellow } = await buildWorkspace(nodeA.services);
    const need = await nodeA.services.needs.submitNeed(
      requester.actor,
      needInput({ title: `Falls after discharge ${tag}`, question: `Does home exercise ${tag} prevent falls in older people after hospital discharge?` }),
    );
    await nodeA.services.triage.triageNeed(fellow.actor, need.id, { action: 'accept', tier: 'rapid_review', supportKinds: ['evidence_review'], fellowIds: [fellow.actor.userId] });

    const requesterPage = await suite.signedIn(requester.email, { origin: nodeB.url });
    const onB = new NeedPage(requesterPage, nodeB.url);
    await onB.open(need.id);
    await onB.waitUntilLive();

    const fellowPage = await suite.signedIn(fellow.email, { origin: nodeA.url });
    const onA = new NeedPage(fellowPage, nodeA.url);
    await onA.open(need.id);
    await onA.postMessage(`Searching for trials of home exercise ${tag} now.`);
    await onB.messages.getByText(`Searching for trials of home exercise ${tag} now.`, { exact: true }).waitFor();

    const file = join(dir, 'falls.ris');
    writeFileSync(
      file,
      ['TY  - JOUR', `TI  - Home exercise ${tag} to prevent falls in older people after hospital discharge: a randomised controlled trial`, 'AB  - Home exercise reduced falls at twelve months.', 'PY  - 2025', 'ER  - ', ''].join('\n'),
    );
    await fellowPage.goto(`${nodeA.url}/evidence/import`);
    const importPage = new ImportReferencesPage(fellowPage);
    await importPage.upload(file);
    expect(await importPage.count('New records')).toBe(1);

    const banner = requesterPage.locator('.app-new-matches');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(`Home exercise ${tag} to prevent falls`);
  });
});
