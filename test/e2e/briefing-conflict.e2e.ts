import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { browserAvailable, useBrowserSuite } from '../support/browser.js';
import { buildActor, buildWorkspace, needInput, unique } from '../support/builders.js';

// Two fellows edit one briefing at once: the second save does not overwrite the first unseen.
describe.runIf(browserAvailable())('two editors of one briefing in the browser', () => {
  const { server, signedIn } = useBrowserSuite();

  const click = (page: Page, name: string | RegExp) => Promise.all([page.waitForEvent('load'), page.getByRole('button', { name }).click()]);

  it('shows the second editor the first one’s saved text and changes beside their own, to merge by hand before saving', async () => {
    const tag = unique('zq').replace(' ', '');
    const { requester, fellow } = await buildWorkspace(server.services);
    const colleague = await buildActor(server.services, 'fellow');
    const need = await server.services.needs.submitNeed(requester.actor, needInput({ title: `Befriending ${tag}` }));
    const briefing = await server.services.briefings.create(fellow.actor, { template: 'decision', title: `Befriending ${tag}`, citationStyle: 'vancouver', needId: need.id });
    const editUrl = `${server.url}/briefings/${briefing.id}/edit`;

    // Both open the editor at version 1; the colleague saves first.
    const [mine, theirs] = await Promise.all([signedIn(fellow.email), signedIn(colleague.email)]);
    await Promise.all([mine.goto(editUrl), theirs.goto(editUrl)]);
    await theirs.getByLabel('Bottom line').fill('Telephone befriending reduces loneliness a little.');
    await theirs.getByLabel('Key messages').fill('- Calls help some people.');
    await click(theirs, 'Save as version 2');

    await mine.getByLabel('Bottom line').fill('Befriending helps older people feel less alone.');
    await click(mine, 'Save as version 2');

    // Refused: the callout says who saved which version; the bottom line, changed by both, shows their text beside mine.
    expect(await mine.getByRole('heading', { level: 2, name: /saved version 2 while you were editing/ }).count()).toBe(1);
    expect(await mine.getByRole('heading', { name: 'Your unsaved text' }).count()).toBe(1);
    expect(await mine.getByRole('heading', { name: /^Their saved text \(version 2/ }).count()).toBe(1);
    expect(await mine.locator('[id="section.bottom_line-theirs"]').textContent()).toBe('Telephone befriending reduces loneliness a little.');
    expect(await mine.getByLabel('Bottom line').inputValue()).toBe('Befriending helps older people feel less alone.');
    // Key messages, changed by them only, now hold their text.
    expect(await mine.getByLabel('Key messages').inputValue()).toBe('- Calls help some people.');
    expect(await axeViolations(mine)).toEqual([]);

    // Merged by hand and saved: version 3 holds both fellows' work.
    await mine.getByLabel('Bottom line').fill('Telephone befriending helps older people feel a little less alone.');
    await click(mine, 'Save as version 3');
    const detail = await server.services.briefings.get(fellow.actor, briefing.id);
    expect(detail.briefing.currentVersion).toBe(3);
    const bodies = Object.fromEntries(detail.version.sections.map((section) => [section.key, section.body]));
    expect(bodies.bottom_line).toBe('Telephone befriending helps older people feel a little less alone.');
    expect(bodies.key_messages).toBe('- Calls help some people.');
  });
});
