import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { createApp } from "../src/http/app.tsx";
import { grantDataset, readableDatasets } from "../src/services/local-access.service.ts";
import { importLocalIncidents } from "../src/services/local-import.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { createApiToken, createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";
import { leakedIdentifier, TEST_PSEUDONYM_KEY, writeTestExtract } from "./support/local-extract.ts";

const CLI = { label: "cli:test", ip: null };
const clock = new Date("2026-02-01T10:00:00Z");
const BASE = "http://localhost";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-local-http-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every restricted page and API operation. */
const RESTRICTED = [
  "/incidents/repeats",
  "/incidents/repeats?from=2025-01&to=2025-12",
  "/incidents/near-repeat?from=2025-01&to=2025-12",
  "/incidents/repeats.csv?from=2025-01&to=2025-12",
  "/incidents/near-repeat.csv?from=2025-01&to=2025-12",
  "/api/v1/incidents/datasets",
  "/api/v1/incidents/repeats?from=2025-01&to=2025-12",
  "/api/v1/incidents/near-repeat?from=2025-01&to=2025-12",
];

describe.each(DIALECTS)("local incident pages and API on %s", (dialect) => {
  let store: TestStore;
  let skip = false;
  let app: ReturnType<typeof createApp>;
  const passwords: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const browser = async (email: string) => {
    const b = new TestBrowser(app);
    const { res } = await b.signIn(email, passwords[email]!);
    expect(res.status).toBe(303);
    return b;
  };
  const api = (p: string, email: string) => app.request(`${BASE}${p}`, { headers: { authorization: `Bearer ${tokens[email]}` } });

  beforeAll(async () => {
    const a = await dialectAvailability(dialect);
    skip = a.skip;
    if (skip) return;
    store = await openTestStore(dialect);
    const { csv, mapping } = writeTestExtract(dir);
    await importLocalIncidents(store, csv, { mappingFile: mapping, dataset: "idva-2025", actor: CLI, now: clock, env: { SAFECITY_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY } });
    for (const [email, role] of [
      ["granted@council.gov.uk", "analyst"],
      ["analyst@council.gov.uk", "analyst"],
      ["viewer@council.gov.uk", "viewer"],
      ["admin@council.gov.uk", "admin"],
    ] as const) {
      const r = await createUser(store, { email, name: role, role }, CLI, clock);
      passwords[email] = r.generatedPassword!;
      tokens[email] = (await createApiToken(store, email, "test", CLI, clock)).token;
    }
    await grantDataset(store, "idva-2025", { email: "granted@council.gov.uk" }, CLI, clock);
    app = createApp({ store, now: () => clock, throttle: new LoginThrottle() });
  });
  afterAll(async () => {
    await store?.destroy();
  });

  it("refuses every restricted page and API operation (403) to users without a grant, admins included, and records each refusal", async (t) => {
    if (skip) return t.skip();
    for (const email of ["viewer@council.gov.uk", "analyst@council.gov.uk", "admin@council.gov.uk"]) {
      const b = await browser(email);
      for (const p of RESTRICTED) {
        const page = await b.get(p);
        expect([p, email, page.res.status]).toEqual([p, email, 403]);
        expect(leakedIdentifier(page.html)).toBeNull();
        if (!p.startsWith("/api/")) continue;
        const res = await api(p, email);
        expect([p, email, res.status]).toEqual([p, email, 403]);
      }
    }
    const refusals = await listAudit(store, { action: "access.forbidden", limit: 1000 });
    const apiPaths = RESTRICTED.filter((p) => p.startsWith("/api/")).length;
    expect(refusals.length).toBe((RESTRICTED.length + apiPaths) * 3);
    expect(await listAudit(store, { action: "local.read" })).toHaveLength(0);
  });

  it("lets the granted user in: the dataset list through the API", async (t) => {
    if (skip) return t.skip();
    const res = await api("/api/v1/incidents/datasets", "granted@council.gov.uk");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ name: "idva-2025", rows: 8, importedAt: clock.toISOString() }]);
  });

  it("shows the granted user the repeats page with the hand-worked figures, audits the read, and suppresses the CSV", async (t) => {
    if (skip) return t.skip();
    const b = await browser("granted@council.gov.uk");
    const { res, html } = await b.get("/incidents/repeats?dataset=idva-2025&from=2025-01&to=2025-12&flag=domestic");
    expect(res.status).toBe(200);
    expect(html).toContain("5 (0 without a victim identifier)");
    expect(html).toContain("2 of 3 (66.7%)");
    expect(leakedIdentifier(html)).toBeNull();
    const reads = await listAudit(store, { action: "local.read" });
    expect(reads[0]).toMatchObject({ actor: "granted@council.gov.uk", target: "dataset:idva-2025", after: { what: "repeats", from: "2025-01-01", to: "2025-12-31", flag: "domestic" } });
    const csv = await b.get("/incidents/repeats.csv?dataset=idva-2025&from=2025-01&to=2025-12&flag=domestic");
    expect(csv.res.status).toBe(200);
    // Months with 1 or 2 incidents: every non-zero cell is under 5, so none is published.
    const cells = csv.html.trim().split("\r\n").slice(1).flatMap((l) => l.split(",").slice(1));
    expect(cells.length).toBe(24);
    for (const c of cells) expect(c === "0" || c === "<5").toBe(true);
    expect(cells.filter((c) => c === "<5").length).toBeGreaterThan(0);
  });

  it("shows the near-repeat heat-map table to the granted user, and the API gives the Knox result", async (t) => {
    if (skip) return t.skip();
    const b = await browser("granted@council.gov.uk");
    const q = "dataset=idva-2025&from=2025-01&to=2025-12&distance=0,50,5000&time=0,60,400&permutations=19&seed=7";
    const { res, html } = await b.get(`/incidents/near-repeat?${q}`);
    expect(res.status).toBe(200);
    expect(html).toContain('data-testid="knox-table"');
    expect(html).toContain("[0,50)");
    expect(leakedIdentifier(html)).toBeNull();
    const api1 = await (await api(`/api/v1/incidents/near-repeat?${q}`, "granted@council.gov.uk")).json();
    const api2 = await (await api(`/api/v1/incidents/near-repeat?${q}`, "granted@council.gov.uk")).json();
    // 7 incidents of 2025 with a point: 21 pairs, every one within 5000 m and 400 days.
    expect(api1.knox.n).toBe(7);
    expect(api1.knox.observed.flat().reduce((x: number, y: number) => x + y, 0)).toBe(21);
    // Within 50 m and under 60 days: only rows 1 and 2 (11 m, 50 days); row 7 is 53 m or more from every other.
    expect(api1.knox.observed[0][0]).toBe(1);
    expect(api2.knox.pValue).toEqual(api1.knox.pValue);
    const repeats = await (await api("/api/v1/incidents/repeats?from=2025-01&to=2025-12", "granted@council.gov.uk")).text();
    expect(leakedIdentifier(`${JSON.stringify(api1)}${repeats}`)).toBeNull();
  });

  it("a role grant covers that role and those above it, not below", async (t) => {
    if (skip) return t.skip();
    await grantDataset(store, "idva-2025", { role: "analyst" }, CLI, clock);
    const reader = (role: "admin" | "analyst" | "editor" | "viewer") => ({ kind: "user" as const, actor: CLI, userId: 999, role });
    expect((await readableDatasets(store, reader("admin"))).map((d) => d.name)).toEqual(["idva-2025"]);
    expect((await readableDatasets(store, reader("analyst"))).map((d) => d.name)).toEqual(["idva-2025"]);
    expect(await readableDatasets(store, reader("editor"))).toEqual([]);
    expect(await readableDatasets(store, reader("viewer"))).toEqual([]);
    const viewer = await browser("viewer@council.gov.uk");
    expect((await viewer.get("/incidents/repeats")).res.status).toBe(403);
  });
});
