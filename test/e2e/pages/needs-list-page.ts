import type { Page } from 'playwright-core';

/** "My needs" (/needs/mine) and the triage queue (/needs): a table of needs. */
export class NeedsListPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async openMine(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'My needs' }).click();
    await this.page.waitForURL(`${this.baseUrl}/needs/mine`);
    await this.page.getByRole('heading', { level: 1, name: 'My needs' }).waitFor();
  }

  async openTriageQueue(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/needs`);
    await this.page.getByRole('heading', { level: 1, name: 'Triage queue' }).waitFor();
  }

  /** Narrows the triage queue with its filter form (a GET form, so the filter is in the address). */
  async filterByTheme(themeName: string): Promise<void> {
    const filters = this.page.getByRole('form', { name: 'Filter needs' });
    await filters.getByLabel('Theme').selectOption({ label: themeName });
    await Promise.all([this.page.waitForURL(/themeId=/), filters.getByRole('button', { name: 'Filter' }).click()]);
  }

  /** The table row of a need, found by its title link. */
  row(title: string) {
    return this.page.getByRole('row', { name: title });
  }

  link(title: string) {
    return this.page.getByRole('table').getByRole('link', { name: title, exact: true });
  }
}
