import type { Page } from "playwright-core";

/** /login */
export class LoginPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(next?: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/login${next ? `?next=${encodeURIComponent(next)}` : ""}`);
  }

  firstRunPanel() {
    return this.page.getByTestId("first-run");
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel("Email address").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await Promise.all([this.page.waitForLoadState("load"), this.page.getByRole("button", { name: "Sign in" }).click()]);
  }

  errorSummary() {
    return this.page.locator(".govuk-error-summary");
  }

  isShown(): boolean {
    return new URL(this.page.url()).pathname === "/login";
  }
}
