import type { Page } from "playwright-core";

/** / (what is loaded), with the header every signed-in page shares. */
export class StatusPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/`);
  }

  heading() {
    return this.page.getByRole("heading", { level: 1 });
  }

  incidentRows() {
    return this.page.getByTestId("incident-rows");
  }

  signedInAs() {
    return this.page.getByTestId("signed-in-as");
  }

  adminLink() {
    return this.page.getByRole("link", { name: "Admin" });
  }

  async signOut(): Promise<void> {
    await Promise.all([this.page.waitForURL(/\/login$/), this.page.getByTestId("sign-out").click()]);
  }
}
