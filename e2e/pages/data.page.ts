import type { Page } from "playwright-core";

/** /data (upload, register, reference status), /data/jobs/:id (progress, report) and /data/imports/:id (one entry). */
export class DataPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/data`);
  }

  uploadForm() {
    return this.page.getByTestId("upload-form");
  }

  /** Chooses the files and submits; resolves on the job page. */
  async upload(files: string[]): Promise<void> {
    await this.page.getByLabel("Upload police data").setInputFiles(files);
    await Promise.all([this.page.waitForURL(/\/data\/jobs\/[a-f0-9]{12}$/), this.page.getByRole("button", { name: "Upload and import" }).click()]);
  }

  jobState() {
    return this.page.locator("[data-job-state]").getAttribute("data-job-state");
  }

  /**
   * Waits on the job page until the job has ended. With JavaScript the page updates itself (the
   * island polls the API and reloads at the end), so nothing is clicked; without it
   * (`byHand`), the user follows the "Refresh this page" link every 2 seconds.
   */
  async waitForJobEnd(opts: { byHand?: boolean; timeoutMs?: number } = {}): Promise<string> {
    const ended = '[data-job-state="finished"], [data-job-state="failed"]';
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    if (!opts.byHand) {
      await this.page.waitForSelector(ended, { timeout: opts.timeoutMs ?? 120_000 });
      return (await this.jobState())!;
    }
    while ((await this.page.locator(ended).count()) === 0) {
      if (Date.now() > deadline) throw new Error("the import job did not end in time");
      await this.page.waitForTimeout(2000);
      await Promise.all([this.page.waitForLoadState("load"), this.page.getByTestId("job-refresh").click()]);
    }
    return (await this.jobState())!;
  }

  jobTotals() {
    return this.page.getByTestId("job-totals");
  }

  jobFileStatuses(): Promise<string[]> {
    return this.page.locator('[data-testid="job-files"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status") ?? ""));
  }

  registerStatuses(): Promise<string[]> {
    return this.page.locator('[data-testid="register"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status") ?? ""));
  }

  async openRegisterEntry(id: number): Promise<void> {
    await Promise.all([this.page.waitForURL(new RegExp(`/data/imports/${id}$`)), this.page.locator(`a[href="/data/imports/${id}"]`).click()]);
  }

  firstRegisterId(): Promise<number> {
    return this.page
      .locator('[data-testid="register"] tbody tr a')
      .first()
      .getAttribute("href")
      .then((h) => Number(h!.split("/").pop()));
  }
}
