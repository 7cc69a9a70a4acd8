import type { Page } from 'playwright-core';

/** One need (/needs/:id), as a requester or a fellow sees it. */
export class NeedPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(needId: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/needs/${needId}`);
    await this.heading.waitFor();
  }

  get heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  get status() {
    return this.page.locator('#need-status');
  }

  get messages() {
    return this.page.getByRole('list', { name: 'Messages' });
  }

  get history() {
    return this.page.locator('#history');
  }

  get liveRegion() {
    return this.page.locator('#live-status');
  }

  /** The value of a row of the need's summary list, by its key (matched whole). */
  summaryValue(key: string) {
    const whole = new RegExp(`^\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    return this.page.locator('.nhsuk-summary-list__row', { has: this.page.locator('dt', { hasText: whole }) }).locator('dd');
  }

  /** Resolves once the page's EventSource is open (need-live.js marks the live root). */
  async waitUntilLive(): Promise<void> {
    await this.page.locator('[data-need-live][data-live-ready="true"]').waitFor({ state: 'attached' });
  }

  /** Accepts the need from the triage section. */
  async accept({ tier, supportKinds, fellowName }: { tier: string; supportKinds: string[]; fellowName: string }): Promise<void> {
    const form = this.page.locator('form', { has: this.page.getByRole('button', { name: 'Accept need' }) });
    await form.getByRole('group', { name: 'Service tier' }).getByRole('radio', { name: tier }).check();
    const kinds = form.getByRole('group', { name: 'Kinds of support' });
    for (const kind of supportKinds) {
      await kinds.getByRole('checkbox', { name: kind }).check();
    }
    await form.getByRole('group', { name: 'Assign fellows' }).getByRole('checkbox', { name: fellowName }).check();
    // The URL does not change (POST, then a redirect back here), so wait for the new document.
    await Promise.all([this.page.waitForEvent('load'), form.getByRole('button', { name: 'Accept need' }).click()]);
  }

  /** Posts a message in the Conversation; staff may mark it as an internal note. */
  async postMessage(body: string, { internal = false }: { internal?: boolean } = {}): Promise<void> {
    await this.page.getByLabel('Your message').fill(body);
    if (internal) {
      await this.page.getByRole('checkbox', { name: /^Internal note/ }).check();
    }
    // The page's own live stream may show the message first: wait for the reloaded document.
    await Promise.all([this.page.waitForEvent('load'), this.page.getByRole('button', { name: 'Send message' }).click()]);
    await this.messages.getByText(body, { exact: true }).waitFor();
  }
}
