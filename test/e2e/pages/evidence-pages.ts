import type { Download, Page } from 'playwright-core';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const whole = (text: string): RegExp => new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);

/** The evidence library (/evidence): filters, the records, and the form exporting chosen records. */
export class EvidenceLibraryPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async openFromMenu(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Evidence', exact: true }).click();
    await this.page.waitForURL(`${this.baseUrl}/evidence`);
    await this.heading.waitFor();
  }

  get heading() {
    return this.page.getByRole('heading', { level: 1, name: 'Evidence library' });
  }

  /** Fills the filter form (a GET form) and waits for the filtered page. */
  async filter({ text, design }: { text?: string; design?: string }): Promise<void> {
    const filters = this.page.getByRole('form', { name: 'Filter records' });
    if (text !== undefined) {
      await filters.getByLabel('Title contains').fill(text);
    }
    if (design !== undefined) {
      await filters.getByLabel('Study design').selectOption(design);
    }
    await Promise.all([this.page.waitForEvent('load'), filters.getByRole('button', { name: 'Filter' }).click()]);
  }

  /** A record's title link in the list. */
  record(title: string) {
    return this.page.getByRole('heading', { name: title, exact: true }).getByRole('link', { name: title, exact: true });
  }

  async openRecord(title: string): Promise<void> {
    await Promise.all([this.page.waitForURL(/\/evidence\/records\/[0-9a-f-]{36}$/), this.record(title).click()]);
    await this.page.getByRole('heading', { level: 1, name: title }).waitFor();
  }

  /** Ticks the records' checkboxes, chooses the format and downloads the export. */
  async exportChosen(titles: string[], format: string): Promise<Download> {
    const form = this.page.getByRole('form', { name: 'Export chosen records' });
    for (const title of titles) {
      await form.getByRole('checkbox', { name: `Choose ${title}` }).check();
    }
    await form.getByLabel('Export the chosen records as').selectOption({ label: format });
    const [download] = await Promise.all([this.page.waitForEvent('download'), form.getByRole('button', { name: 'Export chosen records' }).click()]);
    return download;
  }

  async openLink(name: string | RegExp): Promise<void> {
    await Promise.all([this.page.waitForEvent('load'), this.page.getByRole('main').getByRole('link', { name }).click()]);
  }
}

/** Import references (/evidence/import) and the summary it shows after an upload. */
export class ImportReferencesPage {
  constructor(private readonly page: Page) {}

  get heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  async upload(path: string): Promise<void> {
    await this.page.getByLabel('File', { exact: true }).setInputFiles(path);
    // The summary comes back from the same address (a POST answered with a page), so wait for the new document.
    await Promise.all([this.page.waitForEvent('load'), this.page.getByRole('button', { name: 'Import', exact: true }).click()]);
  }

  /** The value of a summary row, by its key. */
  summaryValue(key: string) {
    return this.page.locator('.nhsuk-summary-list__row', { has: this.page.getByRole('term').filter({ hasText: whole(key) }) }).getByRole('definition');
  }

  async count(key: string): Promise<number> {
    return Number((await this.summaryValue(key).textContent())?.trim());
  }
}

/** Possible duplicates (/evidence/duplicates): one region per pair with Merge and Keep apart. */
export class DuplicatesPage {
  constructor(private readonly page: Page) {}

  get heading() {
    return this.page.getByRole('heading', { level: 1, name: 'Possible duplicates' });
  }

  /** The pair whose records have this title. */
  pair(title: string) {
    return this.page.getByRole('region').filter({ has: this.page.getByRole('link', { name: title, exact: true }) });
  }

  /** Merges the pair; the page posts, then comes back here without it. */
  async merge(title: string): Promise<void> {
    const pair = this.pair(title);
    await Promise.all([
      this.page.waitForResponse((response) => response.request().method() === 'POST' && /\/evidence\/duplicates\/[0-9a-f-]{36}\/merge$/.test(response.url())),
      pair.getByRole('button', { name: /^Merge/ }).click(),
    ]);
    await pair.waitFor({ state: 'detached' });
  }
}

/** A record's page (/evidence/records/{id}): its summary rows and the staff's study design form. */
export class EvidenceRecordPage {
  constructor(private readonly page: Page) {}

  /** The value of a summary row, by its key. */
  summaryValue(key: string) {
    return this.page.locator('.nhsuk-summary-list__row', { has: this.page.getByRole('term').filter({ hasText: whole(key) }) }).getByRole('definition');
  }

  get designSection() {
    return this.page.getByRole('region', { name: 'Study design' });
  }

  /** Chooses a design by its label and saves it from the keyboard; the page posts and comes back to the section. */
  async setStudyDesign(label: string): Promise<void> {
    await this.designSection.getByRole('combobox', { name: 'Study design' }).selectOption({ label });
    await this.designSection.getByRole('button', { name: 'Save study design' }).focus();
    await Promise.all([this.page.waitForURL(/#design-heading$/), this.page.keyboard.press('Enter')]);
  }

  /** Hands the design back to the classification rules. */
  async useAutomaticGrade(): Promise<void> {
    await Promise.all([this.page.waitForURL(/#design-heading$/), this.designSection.getByRole('button', { name: 'Use the automatic grade' }).click()]);
  }
}
