import type { Page, Response } from 'playwright-core';

export interface NeedFormAnswers {
  title?: string;
  question?: string;
  decision?: string;
  /** The urgency radio's label, e.g. "Urgent (within 2 weeks)". */
  urgency?: string;
  /** Audience checkbox labels, e.g. "Practitioners". */
  audiences?: string[];
  /** `YYYY-MM-DD`. */
  deadlineOn?: string;
}

/** "Ask for evidence" (/needs/new) and its re-rendered form after errors. */
export class NeedFormPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  get title() {
    return this.page.getByLabel('Short title');
  }

  get question() {
    return this.page.getByLabel('What do you want to know?');
  }

  get errorSummary() {
    return this.page.locator('.nhsuk-error-summary');
  }

  /** Opens the form from the navigation, as a person would. */
  async openFromMenu(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Ask for evidence' }).click();
    await this.page.waitForURL(`${this.baseUrl}/needs/new`);
    await this.page.getByRole('heading', { level: 1, name: 'Ask for evidence' }).waitFor();
  }

  async open(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/needs/new`);
    await this.page.getByRole('heading', { level: 1, name: 'Ask for evidence' }).waitFor();
  }

  async fill(answers: NeedFormAnswers): Promise<void> {
    if (answers.title !== undefined) {
      await this.title.fill(answers.title);
    }
    if (answers.question !== undefined) {
      await this.question.fill(answers.question);
    }
    if (answers.decision !== undefined) {
      await this.page.getByLabel('What decision will the answer inform?').fill(answers.decision);
    }
    if (answers.deadlineOn !== undefined) {
      await this.page.getByLabel('When do you need an answer by?').fill(answers.deadlineOn);
    }
    if (answers.urgency !== undefined) {
      await this.page.getByRole('group', { name: 'How urgent is this?' }).getByRole('radio', { name: answers.urgency }).check();
    }
    for (const audience of answers.audiences ?? []) {
      await this.page.getByRole('group', { name: 'Who is the answer for?' }).getByRole('checkbox', { name: audience }).check();
    }
  }

  /** Sends the form and returns the response to the POST itself (not the page a redirect leads to). */
  async submit(): Promise<Response> {
    const [response] = await Promise.all([
      this.page.waitForResponse((candidate) => candidate.request().method() === 'POST' && new URL(candidate.url()).pathname === '/needs'),
      this.page.waitForEvent('load'),
      this.page.getByRole('button', { name: 'Send request' }).click(),
    ]);
    return response;
  }
}
