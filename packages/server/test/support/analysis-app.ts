import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { createApp } from "../../src/http/app.tsx";
import { importPoliceData } from "../../src/services/import.service.ts";
import { LoginThrottle } from "../../src/services/login-throttle.ts";
import { installReference } from "../../src/services/reference.service.ts";
import { createApiToken, createUser } from "../../src/services/user.service.ts";
import { type TestDialect, type TestStore, openTestStore } from "../dialects.ts";
import { TestBrowser } from "../http-client.ts";
import { realStreetLines } from "./shared-data.ts";

export const BASE = "http://localhost";
/** A spreadsheet formula carried into an area name: every CSV download must neutralise it. */
export const INJECTION = "=cmd|' /C calc'!A0";
const CLI = { label: "cli:test", ip: null };

/** A street file of a made-up force whose LSOA name (so its derived local authority) is a spreadsheet formula. */
export async function injectionFile(dir: string): Promise<string> {
  const [header, ...rows] = await realStreetLines(5);
  const lines = rows.map((l) => {
    const f = l.split(",");
    // columns: Crime ID, Month, Reported by, Falls within, Longitude, Latitude, Location, LSOA code, LSOA name, Crime type, ...
    f[7] = "E01999999";
    f[8] = `${INJECTION} 001A`;
    return f.join(",");
  });
  const file = path.join(dir, "2025-01-testshire-street.csv");
  fs.writeFileSync(file, [header, ...lines].join("\n"));
  return file;
}

export interface AnalysisApp {
  store: TestStore;
  app: ReturnType<typeof createApp>;
  /** A browser signed in as analyst@ or viewer@council.gov.uk. */
  signedIn(email: string): Promise<TestBrowser>;
  /** GET /api/v1… with the user's API token. */
  api(p: string, who?: string): Promise<{ res: Response; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * The formula-named area only exists without reference data: once reference data is installed an
 * upload's unknown LSOA creates no area (issue 16), so the CSV test opens a store with none.
 */
export function openInjectionApp(dialect: TestDialect): Promise<AnalysisApp> {
  return openAnalysisApp(dialect, { reference: null, police: [] });
}

/**
 * The app over a store with `reference` installed (none when null) and `police` files plus the injection file
 * imported, with an analyst and a viewer (password and API token each), at a fixed clock.
 */
export async function openAnalysisApp(dialect: TestDialect, data: { reference: string | null; police: string[] }): Promise<AnalysisApp> {
  const clock = new Date("2026-02-01T10:00:00Z");
  const store = await openTestStore(dialect);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-analysis-"));
  if (data.reference) await installReference(store, data.reference, { now: () => clock });
  await importPoliceData(store, [...data.police, await injectionFile(tmp)], { user: "test", now: () => clock });
  const app = createApp({ store, now: () => clock, throttle: new LoginThrottle() });
  const passwords: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  for (const [email, role] of [
    ["analyst@council.gov.uk", "analyst"],
    ["viewer@council.gov.uk", "viewer"],
  ] as const) {
    const r = await createUser(store, { email, name: role, role }, CLI, clock);
    passwords[email] = r.generatedPassword!;
    tokens[email] = (await createApiToken(store, email, "test", CLI, clock)).token;
  }
  return {
    store,
    app,
    async signedIn(email) {
      const b = new TestBrowser(app);
      const { res } = await b.signIn(email, passwords[email]!);
      expect(res.status).toBe(303);
      return b;
    },
    async api(p, who = "viewer@council.gov.uk") {
      const res = await app.request(`${BASE}${p}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
      return { res, body: (await res.json()) as Record<string, unknown> };
    },
    async close() {
      await store.destroy();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
