import type { Page } from 'playwright-core';

/** The sign-in screen (/login). */
export class LoginPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/login`);
    await this.page.getByRole('heading', { level: 1, name: 'Sign in to Mobilise' }).waitFor();
  }

  /** Fills and sends the form, then waits to leave /login (a failed sign-in stays there). */
  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }
}
