/**
 * Screenshots of the public consultation for docs/screenshots/ (not a test):
 * `npx tsx e2e/screenshots-consultation.ts`. Starts the real server on a temporary SQLite store,
 * drafts a plan with three priorities and their key actions through the services and starts
 * consultation; photographs the public page and form as a visitor with no account sees it (and
 * its error summary), sends three responses through the form, imports two from a survey export
 * with the CLI, tags them as an analyst and photographs the analysts' responses page.
 */
import fs from "node:fs";
import path from "node:path";
import { openStore } from "../packages/server/src/db/database.ts";
import { listOrganisations } from "../packages/server/src/db/repositories/user.repository.ts";
import { addAction, addPriority, cliPlanActor, createPlan } from "../packages/server/src/services/plan.service.ts";
import { transition } from "../packages/server/src/services/plan-governance.service.ts";
import { createUser, launchBrowser, REPO_ROOT, startServer } from "./harness.ts";
import { LoginPage } from "./pages/login.page.ts";

const out = path.join(REPO_ROOT, "docs/screenshots");
fs.mkdirSync(out, { recursive: true });

const server = await startServer();
const chrome = await launchBrowser();
try {
  const password = await createUser(server, "analyst@council.gov.uk", "analyst");
  for (const [email, org] of [
    ["inspector@police.example", "Safe City Police"],
    ["licensing@council.example", "Licensing Service"],
  ] as const) {
    const r = await server.cli(["user", "add", "--email", email, "--name", org, "--role", "editor", "--org", org]);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  const store = await openStore({ databaseUrl: null, sqlitePath: path.join(server.dataDir, "safecity.db") });
  const now = new Date("2026-05-04T09:00:00Z");
  const actor = cliPlanActor("screenshots");
  const orgs = await listOrganisations(store);
  const org = (name: string) => orgs.find((o) => o.name === name)!.id;
  const plan = await createPlan(store, actor, { title: "Safe City Community Safety Plan 2026-29", areaCode: "E06000045", partnershipName: "Safe City Partnership", periodFrom: "2026-04", periodTo: "2029-03" }, now);
  const priorities = [
    ["Reduce violent crime in the city centre", "Violence is the largest crime group and rose 7% on last year.", "Night-time economy patrols", "Safe City Police", "Neighbourhood Inspector"],
    ["Tackle anti-social behaviour in the priority areas", "ASB concentrates in the most deprived neighbourhoods.", "Late-night levy enforcement", "Licensing Service", "Licensing Manager"],
    ["Reduce repeat domestic abuse", "A quarter of MARAC cases are repeats.", "Independent domestic violence advisers in A&E", "Safe City Police", "Detective Chief Inspector"],
  ] as const;
  for (const [title, rationale, action, owner, leadRole] of priorities) {
    const p = await addPriority(store, actor, plan.id, { title, rationale }, now);
    await addAction(store, actor, plan.id, { priorityId: p.id, title: action, ownerOrganisationId: org(owner), leadRole, startDate: "2026-04-01", dueDate: "2027-03-31" }, now);
  }
  await transition(store, actor, plan.id, { to: "consultation", date: "2026-05-04", consultees: ["Overview and Scrutiny Management Committee"] }, now);
  await store.close();

  const page = await chrome.context.newPage();
  page.setDefaultTimeout(60_000);
  const shot = async (name: string, maxHeight?: number) => {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const width = page.viewportSize()!.width;
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, maxHeight ?? height) } });
    console.log(`${name}.png`);
  };

  await page.goto(`${server.url}/consult/${plan.id}`);
  await shot("consultation-public", 2400);
  await Promise.all([page.waitForLoadState("load"), page.getByTestId("send-response").click()]);
  await shot("consultation-public-error", 900);
  const responses = [
    { p: 0, text: "Please keep the Friday and Saturday patrols going after midnight.", overall: "", org: "" },
    { p: 1, text: "Street lighting on the underpass would do more than patrols.", overall: "A good plan; say more about young people.", org: "Station Road Residents' Association" },
    { p: 2, text: "Advisers in A&E are very welcome.", overall: "", org: "Safe City Women's Aid" },
  ];
  for (const r of responses) {
    await page.goto(`${server.url}/consult/${plan.id}`);
    await page.locator("textarea[name^='priority-']").nth(r.p).fill(r.text);
    if (r.overall) await page.getByLabel("Your overall view of the plan").fill(r.overall);
    if (r.org) await page.getByLabel("Organisation (optional)").fill(r.org);
    await Promise.all([page.waitForLoadState("load"), page.getByTestId("send-response").click()]);
  }
  await shot("consultation-public-sent", 700);

  const survey = path.join(server.dataDir, "survey-export.csv");
  fs.writeFileSync(
    survey,
    [
      "Respondent ID,Submitted,Priority 1,Priority 2,Priority 3,Any other comments,Organisation",
      '17,2026-05-10,,"More youth clubs, fewer dispersal orders",,,Safe City Youth Forum',
      "18,2026-05-11,Better lighting near the station,,,Thank you for asking,n/a",
    ].join("\n"),
  );
  const imported = await server.cli(["plan", "consultation", "import", String(plan.id), survey]);
  if (imported.code !== 0) throw new Error(imported.stderr);

  await new LoginPage(page, server.url).open(`/plans/${plan.id}/consultation`);
  await new LoginPage(page, server.url).signIn("analyst@council.gov.uk", password);
  const tags = ["policing, night-time economy", "street lighting, young people", "domestic abuse", "young people", "street lighting"];
  for (const [i, t] of tags.entries()) {
    const card = page.getByTestId("public-response").nth(i);
    await card.getByLabel(/Tags for response/).fill(t);
    await Promise.all([page.waitForLoadState("load"), card.getByRole("button", { name: /Save tags/ }).click()]);
  }
  await page.goto(`${server.url}/plans/${plan.id}/consultation`);
  await shot("consultation-responses", 2600);
} finally {
  await chrome.close();
  await server.stop();
}
