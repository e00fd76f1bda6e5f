import type { Locator, Page } from "playwright-core";

/**
 * The Partnership Plan pages: /plans (list, new plan), /plans/:id (governance, priorities, key
 * actions, targets, consultation, amendments), /plans/:id/propose, /plans/:id/performance,
 * /plans/:id/timeline and /plans/:id/grants. The plan page carries many small forms, each folded
 * in a details element (`data-testid="edit-<form>"` / `move-<state>`) with the form `#form-<form>`.
 */

/** Clicks the form's button and waits for the page the post leads to (the redirect's target, or the form again with its errors). */
async function submit(page: Page, form: Locator, button: string): Promise<void> {
  await Promise.all([page.waitForEvent("load"), form.getByRole("button", { name: button }).click()]);
}

/** Fills each labelled field of `form` (text inputs, text areas; selects take an option label). */
async function fill(form: Locator, fields: Record<string, string | { option: string }>): Promise<void> {
  for (const [label, value] of Object.entries(fields)) {
    const field = form.getByLabel(label, { exact: true });
    if (typeof value === "string") await field.fill(value);
    else await field.selectOption({ label: value.option });
  }
}

/** /plans */
export class PlansListPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(): Promise<number> {
    const res = await this.page.goto(`${this.baseUrl}/plans`);
    return res?.status() ?? 0;
  }

  heading() {
    return this.page.getByRole("heading", { level: 1 });
  }

  /** The row of the plan called `title`. */
  row(title: string) {
    return this.page.getByTestId("plans").locator("tbody tr").filter({ hasText: title });
  }

  /** Fills the new-plan form and submits it; resolves on the new plan's page with its id. */
  async create(p: { title: string; partnership: string; areaCode: string; from: string; to: string; statutoryBasis?: string; assessment?: string }): Promise<number> {
    const form = this.page.locator("#form-new-plan");
    await fill(form, { Title: p.title, Partnership: p.partnership, "Area code": p.areaCode, "First month": p.from, "Last month": p.to });
    if (p.statutoryBasis) await fill(form, { "Statutory basis (optional)": p.statutoryBasis });
    if (p.assessment) await fill(form, { "Strategic Assessment it follows (optional)": p.assessment });
    await Promise.all([this.page.waitForURL(/\/plans\/\d+\?done=created$/), form.getByRole("button", { name: "Create plan" }).click()]);
    return Number(/\/plans\/(\d+)/.exec(this.page.url())![1]);
  }
}

/** /plans/:id */
export class PlanPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(planId: number): Promise<number> {
    const res = await this.page.goto(`${this.baseUrl}/plans/${planId}`);
    return res?.status() ?? 0;
  }

  heading() {
    return this.page.getByRole("heading", { level: 1 });
  }

  /** The plan's governance state (`draft`, `consultation`, `recommended`, …). */
  state() {
    return this.page.getByTestId("plan-state").locator("[data-state]").getAttribute("data-state");
  }

  notice() {
    return this.page.getByTestId("notice");
  }

  errorSummary() {
    return this.page.locator(".govuk-error-summary");
  }

  proposeLink() {
    return this.page.getByTestId("propose-link").getByRole("link");
  }

  /** Opens a folded form (a details element) by its test id and returns the form inside it. */
  async unfold(testId: string): Promise<Locator> {
    const details = this.page.getByTestId(testId);
    if ((await details.getAttribute("open")) === null) await details.locator("summary").click();
    return details.locator("form");
  }

  /** The titles of the priorities, in order ("Priority 1: …"). */
  priorityHeadings() {
    return this.page.locator('section[data-testid^="priority-"] h3').allTextContents();
  }

  /** Ids of the priorities, in order. */
  async priorityIds(): Promise<number[]> {
    const ids = await this.page.locator('section[data-testid^="priority-"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-testid") ?? ""));
    return ids.map((t) => Number(t.replace("priority-", "")));
  }

  async addPriority(p: { title: string; rationale: string; years?: string }): Promise<void> {
    const form = await this.unfold("edit-priority-new");
    await fill(form, { Title: p.title, Rationale: p.rationale, ...(p.years ? { "Years it runs (optional)": p.years } : {}) });
    await submit(this.page, form, "Add priority");
  }

  async editPriority(priorityId: number, p: { title?: string; rationale?: string }): Promise<void> {
    const form = await this.unfold(`edit-priority-${priorityId}`);
    await fill(form, { ...(p.title ? { Title: p.title } : {}), ...(p.rationale ? { Rationale: p.rationale } : {}) });
    await submit(this.page, form, "Save priority");
  }

  async addAction(priorityId: number, a: { title: string; owner: string; leadRole: string; start: string; due: string; budgetLine?: string }): Promise<void> {
    const form = await this.unfold(`edit-action-new-${priorityId}`);
    await fill(form, {
      Action: a.title,
      "Owner organisation": { option: a.owner },
      "Lead role": a.leadRole,
      "Start date": a.start,
      "Due date": a.due,
      ...(a.budgetLine ? { "Budget line (optional)": a.budgetLine } : {}),
    });
    await submit(this.page, form, "Add action");
  }

  /** The row of the key action called `title`. */
  actionRow(title: string) {
    return this.page.locator("tr[data-action-id]").filter({ has: this.page.locator("th", { hasText: title }) });
  }

  async actionId(title: string): Promise<number> {
    return Number(await this.actionRow(title).getAttribute("data-action-id"));
  }

  /** The progress form of action `actionId` (present only for those who may record progress). */
  progressForm(actionId: number) {
    return this.page.getByTestId(`edit-progress-${actionId}`);
  }

  async recordProgress(actionId: number, p: { date: string; status: string; note: string }): Promise<void> {
    const form = await this.unfold(`edit-progress-${actionId}`);
    await fill(form, { Date: p.date, Status: { option: p.status }, Progress: p.note });
    await submit(this.page, form, "Record progress");
  }

  /**
   * What a hand-made request would do: the signed-in user's own progress form (with their valid
   * CSRF token) re-pointed at another action's progress URL and sent. Resolves on the response page.
   */
  async forgeProgress(ownActionId: number, otherActionId: number, p: { date: string; note: string }): Promise<number> {
    const form = await this.unfold(`edit-progress-${ownActionId}`);
    await fill(form, { Date: p.date, Progress: p.note });
    await form.evaluate((f, other) => {
      const el = f as HTMLFormElement;
      el.action = el.action.replace(/\/actions\/\d+\/progress$/, `/actions/${other}/progress`);
      el.querySelector<HTMLInputElement>('input[name="_form"]')!.value = `progress-${other}`;
    }, otherActionId);
    const [res] = await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === "POST"),
      this.page.waitForEvent("load"),
      form.getByRole("button", { name: "Record progress" }).click(),
    ]);
    return res.status();
  }

  async addTarget(t: { indicator: string; priority: string; baselinePeriod: string; baselineValue: string; kind: string; target: string; deadline: string; tolerance?: string }): Promise<void> {
    const form = await this.unfold("edit-target-new");
    await fill(form, {
      Indicator: { option: t.indicator },
      Priority: { option: t.priority },
      "Baseline period": t.baselinePeriod,
      "Baseline value": t.baselineValue,
      "Kind of target": { option: t.kind },
      Target: t.target,
      "Deadline period": t.deadline,
      ...(t.tolerance ? { "Tolerance, % of the target (optional)": t.tolerance } : {}),
    });
    await submit(this.page, form, "Add target");
  }

  /** The text options of the new-target form's indicator select. */
  indicatorOptions(): Promise<string[]> {
    return this.page.locator("#target-new-indicatorId option").allTextContents();
  }

  targetRows() {
    return this.page.getByTestId("targets").locator("tbody tr");
  }

  /** The details form: statutory basis, key decision, Integrated Impact Assessment. */
  async editDetails(d: { statutoryBasis?: string; iiaCompleted?: boolean; iiaDate?: string; iiaSummary?: string }): Promise<void> {
    const form = await this.unfold("edit-details");
    if (d.statutoryBasis) await fill(form, { "Statutory basis": d.statutoryBasis });
    if (d.iiaCompleted !== undefined) await form.getByLabel("Integrated Impact Assessment completed").setChecked(d.iiaCompleted);
    if (d.iiaDate) await fill(form, { "Impact assessment date": d.iiaDate });
    if (d.iiaSummary) await fill(form, { "Impact assessment summary": d.iiaSummary });
    await submit(this.page, form, "Save details");
  }

  /** Records a governance step with its form (`to`: the state, `fields`: label → value). */
  async transition(to: string, button: string, fields: Record<string, string>): Promise<void> {
    const form = await this.unfold(`move-${to}`);
    await fill(form, fields);
    await submit(this.page, form, button);
  }

  async recordResponse(r: { consultee: string; date: string; summary: string }): Promise<void> {
    const form = await this.unfold("add-response");
    await fill(form, { Consultee: r.consultee, Date: r.date, "Summary of the response": r.summary });
    await submit(this.page, form, "Record response");
  }

  governance() {
    return this.page.getByTestId("governance");
  }

  /** `data-done` of a step in the governance list: "yes" or "no". */
  stepDone(state: string) {
    return this.page.locator(`[data-testid="governance"] li[data-step="${state}"]`).getAttribute("data-done");
  }

  responses() {
    return this.page.getByTestId("responses");
  }

  amendments() {
    return this.page.getByTestId("amendments");
  }

  delegationNote() {
    return this.page.getByTestId("delegation-note");
  }

  lockedNote() {
    return this.page.getByTestId("locked-note");
  }

  /** Edit forms of the plan's content (present only while the user may change it). */
  contentForms() {
    return this.page.locator('[data-testid="edit-priority-new"], [data-testid^="edit-action-new-"], [data-testid="edit-target-new"]');
  }
}

/** /plans/:id/propose */
export class ProposePage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(planId: number): Promise<number> {
    const res = await this.page.goto(`${this.baseUrl}/plans/${planId}/propose`);
    return res?.status() ?? 0;
  }

  /** The proposals still to adopt (sections with an "Add as a priority" button). */
  adoptable() {
    return this.page.locator('section[data-testid^="proposal-"]').filter({ has: this.page.getByRole("button", { name: "Add as a priority" }) });
  }

  /** Adopts the first proposal not yet in the plan; resolves on the plan page with its title. */
  async adoptFirst(): Promise<string> {
    const section = this.adoptable().first();
    const title = ((await section.locator("h2").textContent()) ?? "").trim();
    await Promise.all([this.page.waitForURL(/\/plans\/\d+\?done=priority/), section.getByRole("button", { name: "Add as a priority" }).click()]);
    return title;
  }

  source() {
    return this.page.getByTestId("propose-source");
  }

  notAssessable() {
    return this.page.getByTestId("propose-not-assessable");
  }
}

/** /plans/:id/performance */
export class PlanPerformancePage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(planId: number): Promise<number> {
    const res = await this.page.goto(`${this.baseUrl}/plans/${planId}/performance`);
    return res?.status() ?? 0;
  }

  summary() {
    return this.page.getByTestId("performance-summary");
  }

  targetRows() {
    return this.page.getByTestId("performance-targets").locator("tbody tr");
  }

  /** Each target's RAG: the word on the tag, its `data-rag` and the tag's computed background colour. */
  ragTags(): Promise<{ rag: string; word: string; background: string }[]> {
    return this.page
      .getByTestId("performance-targets")
      .locator("tbody tr [data-rag]")
      .evaluateAll((tags) => tags.map((t) => ({ rag: t.getAttribute("data-rag") ?? "", word: (t.textContent ?? "").trim(), background: getComputedStyle(t).backgroundColor })));
  }

  csvLink() {
    return this.page.getByTestId("table-targets").getByRole("link", { name: /Download this table as CSV/ });
  }
}

/** /plans/:id/timeline */
export class PlanTimelinePage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(planId: number): Promise<number> {
    const res = await this.page.goto(`${this.baseUrl}/plans/${planId}/timeline`);
    return res?.status() ?? 0;
  }

  /** One key action's timeline: its edits, status changes and progress updates. */
  async openAction(planId: number, actionId: number): Promise<number> {
    const res = await this.page.goto(`${this.baseUrl}/plans/${planId}/actions/${actionId}/timeline`);
    return res?.status() ?? 0;
  }

  /** The "What" column (audit actions such as `plan.transition`), newest first. */
  actions(): Promise<string[]> {
    return this.page.locator('[data-testid="timeline"] tbody tr').evaluateAll((rows) => rows.map((r) => (r.children[2]?.textContent ?? "").trim()));
  }

  rows() {
    return this.page.getByTestId("timeline").locator("tbody tr");
  }
}

/** /plans/:id/grants */
export class PlanGrantsPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(planId: number): Promise<number> {
    const res = await this.page.goto(`${this.baseUrl}/plans/${planId}/grants`);
    return res?.status() ?? 0;
  }

  budgetSummary() {
    return this.page.getByTestId("budget-summary").first();
  }

  allocationRows() {
    return this.page.getByTestId("allocations").first().locator("tbody tr");
  }
}
