import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isAppError } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { listPublicResponses } from "../src/db/repositories/consultation.repository.ts";
import { importSurvey } from "../src/services/consultation.service.ts";
import { addPriority, cliPlanActor, createPlan } from "../src/services/plan.service.ts";
import { transition } from "../src/services/plan-governance.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { runCli } from "./support/cli.ts";

/**
 * Survey exports into the public consultation responses (`safecity plan consultation import`):
 * tolerant header, columns not mapped never stored, empty rows skipped, every bad row reported
 * as file:line (column), and nothing written from a bad file.
 */
const NOW = new Date("2026-02-01T09:00:00Z");
const actor = cliPlanActor("test");

const GOOD = [
  "\ufeffRespondent ID,Start time,Name,Email,Q1. Priority 1 - your views,Q2. What do you think of: Tackle anti-social behaviour?,Any other comments,Organisation (if any)",
  '101,2026-01-20 10:00,Jo Bloggs,jo@example.com,"More police on foot,\r\nespecially at night",,Good plan,N/A',
  "102,2026-01-20 11:00,,,,,,",
  '103,2026-01-21 09:30,A Person,a.person@example.com,,"Fix the ""dark"" underpass",,Bevois Residents',
  "",
].join("\r\n");

const BAD = [
  "Overall view,Priority 1,Priority 2,Organisation",
  "Fine,,,",
  `"${"x".repeat(5001)}",,,`,
  "only one field",
  `ok,"${"y".repeat(5001)}",,${"o".repeat(201)}`,
  "Also fine,,,Youth Trust",
].join("\n");

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`survey import on ${dialect}`, () => {
    let store: TestStore;
    let dir: string;
    let planId: number;
    let draftId: number;
    const priorities: number[] = [];
    const file = (name: string, text: string) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      return p;
    };

    beforeAll(async () => {
      store = await openTestStore(dialect);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-survey-"));
      const plan = await createPlan(store, actor, { title: "Safer Demo 2026-29", areaCode: "E06000045", partnershipName: "Safe City Partnership", periodFrom: "2026-04", periodTo: "2029-03" }, NOW);
      for (const title of ["Reduce violent crime", "Tackle anti-social behaviour"]) priorities.push((await addPriority(store, actor, plan.id, { title, rationale: "" }, NOW)).id);
      await transition(store, actor, plan.id, { to: "consultation", date: "2026-01-15", consultees: ["Scrutiny"] }, NOW);
      planId = plan.id;
      const draft = await createPlan(store, actor, { title: "Draft", areaCode: "E06000045", partnershipName: "P", periodFrom: "2026-04", periodTo: "2029-03" }, NOW);
      await addPriority(store, actor, draft.id, { title: "Anything", rationale: "" }, NOW);
      draftId = draft.id;
    }, 60_000);
    afterAll(async () => {
      await store?.destroy();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("imports a survey export: header matched tolerantly, names and emails never stored, empty rows skipped, one audit row", async () => {
      const report = await importSurvey(store, actor, planId, file("survey.csv", GOOD), NOW);
      expect(report.errors).toEqual([]);
      expect(report).toMatchObject({ file: "survey.csv", imported: 2, empty: [4] });
      expect(report.mapping).toEqual({
        overall: "Any other comments",
        organisation: "Organisation (if any)",
        priorities: [
          { position: 1, title: "Reduce violent crime", column: "Q1. Priority 1 - your views" },
          { position: 2, title: "Tackle anti-social behaviour", column: "Q2. What do you think of: Tackle anti-social behaviour?" },
        ],
        ignored: ["Respondent ID", "Start time", "Name", "Email"],
      });
      const rows = await listPublicResponses(store, planId);
      expect(rows.map((r) => ({ channel: r.channel, source: r.source, organisation: r.organisation, overall: r.overall, started: r.consultationStarted, comments: r.comments }))).toEqual([
        {
          channel: "survey",
          source: "survey.csv:2",
          organisation: null,
          overall: "Good plan",
          started: "2026-01-15",
          comments: [{ priorityId: priorities[0], position: 1, title: "Reduce violent crime", comment: "More police on foot,\nespecially at night" }],
        },
        {
          channel: "survey",
          source: "survey.csv:5",
          organisation: "Bevois Residents",
          overall: "",
          started: "2026-01-15",
          comments: [{ priorityId: priorities[1], position: 2, title: "Tackle anti-social behaviour", comment: 'Fix the "dark" underpass' }],
        },
      ]);
      const text = JSON.stringify(rows);
      for (const personal of ["Jo Bloggs", "jo@example.com", "a.person@example.com", "2026-01-20 10:00"]) expect(text).not.toContain(personal);
      const audit = await listAudit(store, { planId, action: "consultation.survey.import" });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: "cli:test", target: "file:survey.csv", after: { imported: 2, empty: 1 } });
    });

    it("reports every bad row as file:line (column) and writes nothing", async () => {
      const before = (await listPublicResponses(store, planId)).length;
      const report = await importSurvey(store, actor, planId, file("bad.csv", BAD), NOW);
      expect(report.imported).toBe(0);
      expect(report.errors).toEqual([
        { file: "bad.csv", line: 3, field: "Overall view", message: "Your overall view must be 5,000 characters or fewer; it has 5,001 characters. Shorten it." },
        { file: "bad.csv", line: 4, field: undefined, message: "1 field where the answers need 4 (the header has 4): check the row's quoting and commas" },
        { file: "bad.csv", line: 5, field: "Priority 1", message: "Your comments on priority 1 (Reduce violent crime) must be 5,000 characters or fewer; it has 5,001 characters. Shorten it." },
        { file: "bad.csv", line: 5, field: "Organisation", message: "The organisation's name must be 200 characters or fewer; it has 201 characters. Shorten it." },
      ]);
      expect((await listPublicResponses(store, planId)).length).toBe(before);
    });

    it("refuses a header with no answer column, an unreadable file, and a plan not in consultation", async () => {
      const header = await importSurvey(store, actor, planId, file("header.csv", "Name,Email\nJo,jo@example.com\n"), NOW);
      expect(header.errors).toEqual([{ file: "header.csv", line: 1, field: undefined, message: expect.stringContaining("no column of the header holds an answer: got `Name`, `Email`") }]);
      const missing = await importSurvey(store, actor, planId, path.join(dir, "nope.csv"), NOW);
      expect(missing.errors[0]!.message).toContain("cannot read the file (ENOENT)");
      const refused = await importSurvey(store, actor, draftId, file("draft.csv", "Overall view\nhello\n"), NOW).catch((e: unknown) => e);
      expect(isAppError(refused) && refused.code).toBe("plan.locked");
      expect((refused as Error).message).toBe(`Survey responses are imported while the plan is in consultation; plan ${draftId} is draft.`);
    });

    it("the CLI imports a good file and refuses a bad one with exit 3 and file:line (column) lines", { timeout: 300_000 }, async () => {
      const cli = (...args: string[]) => runCli(args, { ...store.env, SAFECITY_USER: "tester" });
      const before = (await listPublicResponses(store, planId)).length;
      const [good, bad] = await Promise.all([
        cli("plan", "consultation", "import", String(planId), file("cli-good.csv", "Overall view,Reduce violent crime\nMore CCTV,\n,Street lights\n")),
        cli("plan", "consultation", "import", String(planId), file("cli-bad.csv", `Overall view,Organisation\nfine,\n"${"z".repeat(5001)}",\n`)),
      ]);
      expect(good.code, good.stderr).toBe(0);
      expect(good.stdout).toContain(`cli-good.csv: 2 responses imported into plan ${planId}`);
      expect(good.stdout).toContain("priority 1 (Reduce violent crime): Reduce violent crime");
      expect(bad.code).toBe(3);
      expect(bad.stderr).toContain("cli-bad.csv: 1 problem on 1 row; nothing was imported");
      expect(bad.stderr).toContain("cli-bad.csv:3: Your overall view must be 5,000 characters or fewer; it has 5,001 characters. Shorten it. (Overall view)");
      const after = await listPublicResponses(store, planId);
      expect(after.length).toBe(before + 2);
      expect(after.filter((r) => r.source?.startsWith("cli-bad.csv"))).toEqual([]);
    });
  });
}
