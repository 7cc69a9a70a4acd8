import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.js';
import { browserAvailable, useBrowserSuite, WAIT_MS } from '../support/browser.js';
import { buildActor, buildOrganisation, buildTheme, buildWorkspace, needInput, TEST_PASSWORD, unique } from '../support/builders.js';
import { LoginPage } from './pages/login-page.js';
import { NeedFormPage } from './pages/need-form-page.js';
import { NeedPage } from './pages/need-page.js';
import { NeedsListPage } from './pages/needs-list-page.js';

/** A calendar date `days` from today (UTC, as the server checks deadlines), as `YYYY-MM-DD`. */
const dateInDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const longDate = (on: string): string => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${on}T00:00:00Z`));

describe.runIf(browserAvailable())('journeys', () => {
  const { server, newPage, signedIn } = useBrowserSuite();

  it('lets a requester sign in, ask for evidence and find the need on "My needs"', async () => {
    const { requester } = await buildWorkspace(server.services);
    const page = await newPage();

    const login = new LoginPage(page, server.url);
    await login.open();
    expect(await axeViolations(page)).toEqual([]);
    await login.signIn(requester.email, TEST_PASSWORD);

    const form = new NeedFormPage(page, server.url);
    await form.openFromMenu();
    expect(await axeViolations(page)).toEqual([]);
    const title = unique('Loneliness among older carers');
    const deadlineOn = dateInDays(40);
    await form.fill({
      title,
      question: 'What helps older unpaid carers feel less lonely?',
      decision: 'Whether to commission a carers peer support service',
      urgency: 'Urgent (within 2 weeks)',
      audiences: ['Practitioners'],
      deadlineOn,
    });
    const response = await form.submit();
    expect(response.status()).toBe(303);

    const needPage = new NeedPage(page, server.url);
    expect(new URL(page.url()).pathname).toMatch(/^\/needs\/[0-9a-f-]{36}$/);
    expect(await needPage.heading.textContent()).toBe(title);
    expect(await needPage.status.textContent()).toBe('Submitted');
    expect(await needPage.summaryValue('Urgency').textContent()).toBe('Urgent (within 2 weeks)');
    expect(await needPage.summaryValue('Answer for').textContent()).toBe('Practitioners');
    expect(await needPage.summaryValue('Deadline').textContent()).toBe(longDate(deadlineOn));
    expect(await axeViolations(page)).toEqual([]);

    const list = new NeedsListPage(page, server.url);
    await list.openMine();
    await list.link(title).waitFor();
    expect(await list.row(title).locator('.nhsuk-tag').textContent()).toBe('Submitted');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows a fellow\'s triage and public messages live on the requester\'s open page, but not internal notes', async () => {
    const { requester, fellow } = await buildWorkspace(server.services);
    const theme = await buildTheme(server.services);
    const need = await server.services.needs.submitNeed(requester.actor, needInput({ themeIds: [theme.id] }));

    // The requester opens the need first and keeps it open for the whole test.
    const requesterPage = await signedIn(requester.email);
    const requesterView = new NeedPage(requesterPage, server.url);
    await requesterView.open(need.id);
    await requesterView.waitUntilLive();
    expect(await requesterView.status.textContent()).toBe('Submitted');
    expect(await axeViolations(requesterPage)).toEqual([]);
    // Survives only while the document does: proves the updates below arrive without a reload.
    await requesterPage.evaluate(() => {
      (globalThis as { journeyMarker?: string }).journeyMarker = 'still the same document';
    });

    // The fellow finds the need in the triage queue.
    const fellowPage = await signedIn(fellow.email);
    expect(new URL(fellowPage.url()).pathname).toBe('/needs');
    const queue = new NeedsListPage(fellowPage, server.url);
    await queue.openTriageQueue();
    await queue.filterByTheme(theme.name);
    await queue.link(need.title).waitFor();
    expect(await axeViolations(fellowPage)).toEqual([]);
    await queue.link(need.title).click();
    const fellowView = new NeedPage(fellowPage, server.url);
    await fellowPage.waitForURL(`${server.url}/needs/${need.id}`);
    expect(await fellowView.heading.textContent()).toBe(need.title);
    expect(await axeViolations(fellowPage)).toEqual([]);

    await fellowView.accept({ tier: 'Rapid review (weeks)', supportKinds: ['Evidence review', 'Briefing'], fellowName: fellow.actor.name });
    expect(await fellowView.status.textContent()).toBe('Triaged');
    expect(await fellowView.summaryValue('Service tier').textContent()).toBe('Rapid review (weeks)');
    expect(await fellowView.summaryValue('Support').textContent()).toBe('Evidence review, Briefing');
    expect(await fellowView.summaryValue('Fellows').textContent()).toBe(fellow.actor.name);

    // The status tag and the history change on the requester's page without a reload.
    await expect.poll(() => requesterView.status.textContent(), { timeout: WAIT_MS }).toBe('Triaged');
    await requesterView.history.getByText(`Accepted by ${fellow.actor.name} as Rapid review (weeks)`).waitFor();
    await requesterView.history.getByText(`${fellow.actor.name} assigned ${fellow.actor.name}`).waitFor();

    const firstMessage = `Thanks for this; I will start with recent systematic reviews. ${unique('ref')}`;
    await fellowView.postMessage(firstMessage);
    await requesterView.messages.getByText(firstMessage, { exact: true }).waitFor();
    expect(await requesterPage.getByText('No messages yet.').count()).toBe(0);
    await expect.poll(() => requesterView.liveRegion.textContent(), { timeout: WAIT_MS }).toBe(`New message from ${fellow.actor.name}`);

    // An internal note stays with staff; a later public message still arrives. Events reach the
    // page in order, so once the later message is shown the note would already be there if leaked.
    const internalNote = `Staff only: check with the public health team first. ${unique('ref')}`;
    const laterMessage = `A first briefing should be ready next week. ${unique('ref')}`;
    await fellowView.postMessage(internalNote, { internal: true });
    expect(await fellowView.messages.locator('li', { hasText: internalNote }).getByText('Internal note', { exact: true }).count()).toBe(1);
    await fellowView.postMessage(laterMessage);
    await requesterView.messages.getByText(laterMessage, { exact: true }).waitFor();
    expect(await requesterView.messages.getByText(internalNote).count()).toBe(0);
    expect(await requesterView.messages.locator('li').allTextContents()).toEqual([expect.stringContaining(firstMessage), expect.stringContaining(laterMessage)]);

    expect(await requesterPage.evaluate(() => (globalThis as { journeyMarker?: string }).journeyMarker)).toBe('still the same document');
    expect(await axeViolations(requesterPage)).toEqual([]);
    // The fellow's page once triaged: the work forms and a thread with an internal note.
    expect(await axeViolations(fellowPage)).toEqual([]);

    // And on a fresh load the requester still does not get the note, while the fellow does.
    await requesterView.open(need.id);
    await requesterView.messages.getByText(laterMessage, { exact: true }).waitFor();
    expect(await requesterView.messages.getByText(internalNote).count()).toBe(0);
    expect(await fellowView.messages.getByText(internalNote).count()).toBe(1);
  });

  it('keeps a private need of one organisation from a requester of another, but shows a public one', async () => {
    const own = await buildWorkspace(server.services);
    const otherOrganisation = await buildOrganisation(server.services);
    const otherRequester = await buildActor(server.services, 'requester', otherOrganisation.id);
    const privateNeed = await server.services.needs.submitNeed(otherRequester.actor, needInput({ isPublic: false }));
    const publicNeed = await server.services.needs.submitNeed(otherRequester.actor, needInput({ isPublic: true }));

    const page = await signedIn(own.requester.email);

    const denied = await page.goto(`${server.url}/needs/${privateNeed.id}`);
    expect(denied?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You do not have access to this page');
    expect(await page.getByText(privateNeed.title).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    const deniedApi = await page.request.get(`${server.url}/api/needs/${privateNeed.id}`);
    expect(deniedApi.status()).toBe(403);
    const deniedBody: unknown = await deniedApi.json();
    expect(deniedBody).toEqual({ error: expect.objectContaining({ code: 'auth.forbidden', message: expect.any(String) }) });
    expect(JSON.stringify(deniedBody)).not.toContain(privateNeed.title);

    // The same signed-in context can read the public need, on the page and through the API.
    const shown = await page.goto(`${server.url}/needs/${publicNeed.id}`);
    expect(shown?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(publicNeed.title);
    expect(await new NeedPage(page, server.url).summaryValue('Visibility').textContent()).toBe('Everyone using Mobilise');
    const shownApi = await page.request.get(`${server.url}/api/needs/${publicNeed.id}`);
    expect(shownApi.status()).toBe(200);
    expect(await shownApi.json()).toMatchObject({ id: publicNeed.id, title: publicNeed.title });
  });

  it('shows form errors without JavaScript and keeps what was typed', async () => {
    const { requester } = await buildWorkspace(server.services);
    const page = await signedIn(requester.email, { javaScriptEnabled: false });
    const form = new NeedFormPage(page, server.url);
    await form.open();
    // The design system's scripts add this class; without it we know no script ran.
    expect((await page.locator('body').getAttribute('class')) ?? '').not.toContain('js-enabled');

    const title = unique('Social prescribing for young people');
    await form.fill({ title });
    const response = await form.submit();
    expect(response.status()).toBe(422);
    expect(new URL(page.url()).pathname).toBe('/needs');
    expect(await page.title()).toMatch(/^Error: Ask for evidence/);

    await form.errorSummary.getByRole('heading', { name: 'There is a problem' }).waitFor();
    const questionMessage = 'Describe your question in at least 10 characters';
    const summaryLink = form.errorSummary.getByRole('link', { name: questionMessage });
    expect(await summaryLink.getAttribute('href')).toBe('#question');
    // The link's target is the question field itself.
    expect(await page.locator('#question').evaluate((element) => element.tagName)).toBe('TEXTAREA');

    // The field carries its own message, announced with it (aria-describedby).
    const questionGroup = page.locator('.nhsuk-form-group', { has: form.question });
    expect(await questionGroup.getAttribute('class')).toContain('nhsuk-form-group--error');
    expect(await questionGroup.locator('.nhsuk-error-message').textContent()).toBe(`Error: ${questionMessage}`);
    const describedBy = (await form.question.getAttribute('aria-describedby'))?.split(' ') ?? [];
    expect(describedBy).toContain('question-error');
    expect(await page.locator('#question-error').textContent()).toBe(`Error: ${questionMessage}`);

    expect(await form.title.inputValue()).toBe(title);
    expect(await page.locator('.nhsuk-form-group', { has: form.title }).locator('.nhsuk-error-message').count()).toBe(0);

    await summaryLink.click();
    await page.waitForURL(/#question$/);

    // axe schedules its work with timers, which never fire while scripts are disabled, so the
    // same page is checked in a JavaScript-enabled context: the server sends the same markup.
    const enhanced = await signedIn(requester.email);
    const enhancedForm = new NeedFormPage(enhanced, server.url);
    await enhancedForm.open();
    await enhancedForm.fill({ title });
    expect((await enhancedForm.submit()).status()).toBe(422);
    await enhancedForm.errorSummary.getByRole('link', { name: questionMessage }).waitFor();
    expect(await enhancedForm.title.inputValue()).toBe(title);
    expect(await axeViolations(enhanced)).toEqual([]);
  });
});
