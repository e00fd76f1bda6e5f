import type { Page } from "playwright-core";

/** /admin/users */
export class AdminUsersPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(): Promise<number> {
    const res = await this.page.goto(`${this.baseUrl}/admin/users`);
    return res?.status() ?? 0;
  }

  heading() {
    return this.page.getByRole("heading", { level: 1 });
  }

  /** Adds a user through the form and returns the generated password shown once. */
  async addUser(u: { email: string; name: string; role: string; organisation?: string; kind?: string }): Promise<string> {
    await this.page.getByLabel("Email address").fill(u.email);
    await this.page.getByLabel("Full name").fill(u.name);
    await this.page.getByLabel("Role", { exact: true }).selectOption(u.role);
    if (u.organisation) await this.page.getByLabel("Organisation (optional)").fill(u.organisation);
    if (u.kind) await this.page.getByLabel("Kind of organisation, if new").selectOption(u.kind);
    await Promise.all([this.page.waitForLoadState("load"), this.page.getByRole("button", { name: "Add user" }).click()]);
    return (await this.page.getByTestId("generated-password").textContent()) ?? "";
  }

  async changeRole(email: string, role: string): Promise<void> {
    const row = this.page.locator(`tr[data-email="${email}"]`);
    await row.getByLabel(`Role for ${email}`).selectOption(role);
    await Promise.all([this.page.waitForURL(/done=role/), row.getByRole("button", { name: /Change/ }).click()]);
  }

  roleOf(email: string) {
    return this.page.locator(`tr[data-email="${email}"] select option:checked`);
  }
}
