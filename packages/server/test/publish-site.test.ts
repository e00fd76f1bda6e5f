import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError } from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PLAN } from "../src/demo/demo-plan-content.ts";
import { audit } from "../src/services/audit.ts";
import { submitPublicResponse } from "../src/services/consultation.service.ts";
import { loadDemo } from "../src/services/demo.service.ts";
import { allocateGrant, createBudget, grantsOfPlan, payGrant } from "../src/services/grant.service.ts";
import { transition } from "../src/services/plan-governance.service.ts";
import { recordConsultationResponse } from "../src/services/plan-governance.service.ts";
import { listPublications, publishPlan, republish } from "../src/services/publication.service.ts";
import { addAction, addPriority, addProgress, cliPlanActor, createPlan, planDetail, type PlanActor } from "../src/services/plan.service.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";

/**
 * The public website is a filter (issue 9, item 2) and a versioned publication (item 6): a store
 * holding the demo partnership plus a draft plan, consultation responses (recorded and from the public), restricted records and
 * officers' personal data, each carrying a unique marker, is published; no marker may appear in any
 * output file, while the approved content must. A publication is rebuilt byte for byte after the
 * plan has changed.
 */

const actor = { label: "cli:tester", ip: null };
const admin = cliPlanActor("tester");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-publish-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file under `dir` (relative path -> bytes). */
function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p).split(path.sep).join("/"), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** The text of every file, as UTF-8 and with HTML and JSON escapes undone (a marker must not hide behind `&amp;` or `\u0040`). */
function allText(tree: Map<string, Buffer>): string {
  return [...tree.values()]
    .map((b) => b.toString("utf8"))
    .map((t) => `${t}\n${t.replace(/&amp;/g, "&").replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/\\u0040/g, "@")}`)
    .join("\n");
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`publishing the public website on ${dialect}`, () => {
    let store: TestStore;
    let planId: number;
    let draftId: number;
    const tag = crypto.randomBytes(4).toString("hex");
    const m = (what: string) => `ZZ${what}-${tag}ZZ`;
    /** Markers of what must never reach the site. */
    const forbidden = {
      draftTitle: m("DRAFT-PLAN-TITLE"),
      draftPriority: m("DRAFT-PRIORITY"),
      draftAction: m("DRAFT-ACTION"),
      draftResponse: m("CONSULTATION-RESPONSE-ON-DRAFT"),
      consultee: m("DRAFT-CONSULTEE"),
      userName: m("OFFICER-NAME"),
      userEmail: `officer.${tag}@council-${tag}.example`,
      progressAuthor: `author.${tag}@council-${tag}.example`,
      auditRestricted: m("RESTRICTED-AUDIT"),
      paymentNote: m("PAYMENT-NOTE"),
      publicOverall: m("PUBLIC-RESPONSE-OVERALL"),
      publicOrganisation: m("PUBLIC-RESPONSE-ORGANISATION"),
      publicComment: m("PUBLIC-RESPONSE-COMMENT"),
    };
    /** The approved plan's content added for the test: must appear. */
    const approvedNote = m("APPROVED-PROGRESS-NOTE");
    const approvedGrant = m("APPROVED-GRANT-PURPOSE");

    beforeAll(async () => {
      store = await openTestStore(dialect);
      planId = (await loadDemo(store, { actor, now: () => new Date("2026-01-15T10:00:00Z") })).plan.planId;
      const now = new Date("2026-01-20T09:00:00Z");
      const detail = await planDetail(store, planId);
      const action = detail.actions[0]!;

      // officers' personal data: an account and a progress update recorded by it (its note is public)
      const { user } = await createUser(store, { email: forbidden.userEmail, name: forbidden.userName, role: "editor", organisation: action.ownerOrganisationName }, actor, now);
      const editor: PlanActor = { label: forbidden.progressAuthor, ip: null, email: forbidden.progressAuthor, role: "editor", organisationId: user.organisation?.id ?? null };
      await addProgress(store, editor, action.id, { date: "2026-01-19", status: "on_track", note: approvedNote }, now);

      // restricted records: an audit row, a grant payment's note
      await audit(store, { label: forbidden.auditRestricted, ip: null }, now, "test.restricted", forbidden.auditRestricted, { after: { secret: forbidden.auditRestricted } });
      const organisation = (await grantsOfPlan(store, planId)).budgets[0]!.allocations[0]!.organisationName;
      const budget = await createBudget(store, { planId, year: "2026/27", name: "Community Safety Budget", amountPence: 5_000_000 }, { actor, now });
      const allocation = await allocateGrant(store, { budgetId: budget.id, organisation, actionId: null, purpose: approvedGrant, amountPence: 1_000 }, { actor, now });
      await payGrant(store, { allocationId: allocation.id, amountPence: 500, date: "2026-01-19", note: forbidden.paymentNote }, { actor, now });

      // a plan that is not approved: a draft taken to consultation, with a response
      const draft = await createPlan(store, admin, { title: forbidden.draftTitle, areaCode: detail.plan.areaCode, periodFrom: "2028-04", periodTo: "2031-03" }, now);
      draftId = draft.id;
      const priority = await addPriority(store, admin, draftId, { title: forbidden.draftPriority }, now);
      await addAction(
        store,
        admin,
        draftId,
        { priorityId: priority.id, title: forbidden.draftAction, ownerOrganisationId: action.ownerOrganisationId, leadRole: "Officer", startDate: "2028-04-01", dueDate: "2029-03-31" },
        now,
      );
      await transition(store, admin, draftId, { to: "consultation", date: "2026-01-20", consultees: [forbidden.consultee] }, now);
      await recordConsultationResponse(store, admin, draftId, { consultee: forbidden.consultee, date: "2026-01-20", summary: forbidden.draftResponse }, now);
      // a response from the public on the draft (public consultation)
      await submitPublicResponse(
        store,
        draftId,
        { overall: forbidden.publicOverall, organisation: forbidden.publicOrganisation, comments: new Map([[priority.id, forbidden.publicComment]]) },
        now,
      );
    }, 600_000);
    afterAll(async () => {
      await store?.destroy();
    });

    it("refuses a plan that is not approved, says why and what to do, and writes and records nothing", async () => {
      const out = path.join(tmp, `${dialect}-draft`);
      const err = await publishPlan(store, draftId, { outDir: out, actor, now: new Date("2026-01-21T09:00:00Z") }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("plan.not_publishable");
      expect((err as AppError).message).toContain("in consultation (consultation)");
      expect((err as AppError).message).toContain("approved by Full Council");
      expect((err as AppError).hint).toContain(`safecity plan transition ${draftId}`);
      expect(fs.existsSync(out)).toBe(false);
      expect(await listPublications(store)).toEqual([]);
    });

    it("refuses a folder holding something else, and writes and records nothing", async () => {
      const out = path.join(tmp, `${dialect}-occupied`);
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, "notes.txt"), "mine");
      await expect(publishPlan(store, planId, { outDir: out, actor, now: new Date("2026-01-21T09:00:00Z") })).rejects.toThrow(/is not empty and does not hold an earlier Safe City site/);
      expect(fs.readdirSync(out)).toEqual(["notes.txt"]);
      expect(await listPublications(store)).toEqual([]);
    });

    let first: Map<string, Buffer>;
    let firstId: number;
    const firstDir = () => path.join(tmp, `${dialect}-site-1`);

    it("publishes the approved plan with none of the forbidden items and all of the approved content", async () => {
      const r = await publishPlan(store, planId, { outDir: firstDir(), actor, now: new Date("2026-01-21T09:30:00Z") });
      firstId = r.publication.id;
      first = readTree(firstDir());
      expect([...first.keys()]).toEqual(
        expect.arrayContaining(["index.html", "assessment.html", "map.html", "grants.html", "decision.html", "data.html", "data/plan.json", "data/targets.csv", "data/actions.csv", "data/grants.csv", "data/key-messages.csv", "assets/govuk-frontend.min.css"]),
      );
      expect(r.files).toBe(first.size);
      const text = allText(first);
      for (const [what, marker] of Object.entries(forbidden)) expect(text.includes(marker), `${what} (${marker}) must not be published`).toBe(false);
      // the demo's own private records: consultation responses, the delegate's account, who recorded things
      for (const response of DEMO_PLAN.responses) expect(text.includes(response.summary), `consultation response of ${response.consultee}`).toBe(false);
      expect(text).not.toContain(DEMO_PLAN.delegation.delegateEmail);
      expect(text).not.toMatch(/demo-city\.invalid/);
      expect(text).not.toContain("demo:safecity-demo");
      expect(text).not.toContain("cli:tester");
      // …while the approved content is there (so this test can fail)
      const detail = await planDetail(store, planId);
      expect(text).toContain(approvedNote);
      expect(text).toContain(approvedGrant);
      for (const p of detail.priorities) expect(text).toContain(p.title);
      for (const a of detail.actions) expect(text).toContain(a.title);
      expect(text).toContain(detail.amendments[0]!.summary);
      expect(text).toContain(DEMO_PLAN.council.resolution);
      expect(first.get("index.html")!.toString()).toContain("10 September 2025");
      expect(first.get("index.html")!.toString()).toContain("Publication 1 of this plan (plan version 1), published 21 January 2026.");
      expect(first.get("decision.html")!.toString()).toContain("Director of Environment and Economy");
      expect(first.get("data/plan.json")!.toString()).toContain("Open Government Licence v3.0");
    }, 300_000);

    it("records the publication: plan, version, when, by whom, folder and the hash of its files", async () => {
      const [row] = await listPublications(store);
      expect(row).toMatchObject({ id: firstId, planId, planVersion: 1, number: 1, publishedAt: "2026-01-21T09:30:00.000Z", publishedBy: "cli:tester", outputDir: firstDir(), fileCount: first.size });
      // the hash is sha256 over "<path>\0<sha256 of the file>\n" in path order, recomputed here from the files on disk
      const h = crypto.createHash("sha256");
      for (const [p, bytes] of [...first].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${p}\0${crypto.createHash("sha256").update(bytes).digest("hex")}\n`);
      expect(row!.contentSha256).toBe(h.digest("hex"));
    });

    it("rebuilds an earlier publication byte for byte after the plan has changed", async () => {
      const later = m("LATER-CHANGE");
      const action = (await planDetail(store, planId)).actions[1]!;
      await addProgress(store, admin, action.id, { date: "2026-02-01", status: "at_risk", note: later }, new Date("2026-02-01T09:00:00Z"));
      const second = await publishPlan(store, planId, { outDir: path.join(tmp, `${dialect}-site-2`), actor, now: new Date("2026-02-02T09:00:00Z") });
      expect(second.publication.number).toBe(2);
      const secondTree = readTree(path.join(tmp, `${dialect}-site-2`));
      expect(allText(secondTree)).toContain(later);
      expect(secondTree.get("index.html")!.toString()).toContain("Publication 2 of this plan (plan version 1), published 2 February 2026.");
      expect(second.publication.contentSha256).not.toBe((await listPublications(store)).find((p) => p.id === firstId)!.contentSha256);

      const rebuiltDir = path.join(tmp, `${dialect}-site-1-again`);
      const r = await republish(store, firstId, { outDir: rebuiltDir, actor, now: new Date("2026-03-01T09:00:00Z") });
      expect(r.identical).toBe(true);
      const rebuilt = readTree(rebuiltDir);
      expect([...rebuilt.keys()]).toEqual([...first.keys()]);
      for (const [p, bytes] of first) expect(rebuilt.get(p)!.equals(bytes), `${p} differs`).toBe(true);
      expect(allText(rebuilt)).not.toContain(later);
      // a republish is audited, not a new publication
      expect((await listPublications(store)).map((p) => p.number)).toEqual([2, 1]);
    }, 300_000);

    it("replaces an earlier site in the same folder whole", async () => {
      fs.writeFileSync(path.join(firstDir(), "stale.html"), "left over");
      await publishPlan(store, planId, { outDir: firstDir(), actor, now: new Date("2026-03-02T09:00:00Z") });
      const tree = readTree(firstDir());
      expect(tree.has("stale.html")).toBe(false);
      expect(tree.get("index.html")!.toString()).toContain("Publication 3 of this plan");
    }, 300_000);

    it("says which publication is unknown", async () => {
      await expect(republish(store, 999_999, { outDir: path.join(tmp, `${dialect}-none`), actor, now: new Date() })).rejects.toMatchObject({ code: "publication.not_found" });
    });
  });
}
