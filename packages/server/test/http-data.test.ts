import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  CountsSchema,
  ImportDetailSchema,
  ImportJobSchema,
  ImportListSchema,
  MeSchema,
  ReferenceStatusSchema,
  StatusSchema,
} from "@safecity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/http/app.tsx";
import { openApiPath } from "../src/http/openapi.ts";
import { childProcessRunner, ImportJobs } from "../src/services/import-job.service.ts";
import { LoginThrottle } from "../src/services/login-throttle.ts";
import { createApiToken, createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";
import { realStreetLines } from "./support/shared-data.ts";

const cli = { label: "cli:test", ip: null };
const XSS = "<script>alert(1)</script>";
const LIMIT = 64 * 1024;
const BASE = "http://localhost";

/** The Data page's form action with the CSRF token in the query (multipart bodies are not buffered for the check). */
function uploadUrl(b: TestBrowser): string {
  return `/data/upload?_csrf=${encodeURIComponent(b.csrf)}`;
}

function cookieHeader(b: TestBrowser): string {
  return [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}

function form(files: { name: string; content: string }[], fields: Record<string, string> = {}): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const f of files) fd.append("files", new File([f.content], f.name, { type: "text/csv" }));
  return fd;
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`Data page and /api/v1 on ${dialect}`, () => {
    let store: TestStore;
    let app: ReturnType<typeof createApp>;
    let jobs: ImportJobs;
    let uploadDir: string;
    let lines: string[];
    const tokens: Record<string, string> = {};
    const passwords: Record<string, string> = {};
    const clock = new Date("2026-02-01T10:00:00Z");

    async function signedIn(email: string): Promise<TestBrowser> {
      const b = new TestBrowser(app);
      const { res } = await b.signIn(email, passwords[email]!);
      expect(res.status).toBe(303);
      await b.get("/data");
      return b;
    }

    /** POST multipart through `app.request`, with the browser's cookies. */
    async function upload(b: TestBrowser, fd: FormData, opts: { withLength?: boolean } = {}) {
      const headers: Record<string, string> = { cookie: cookieHeader(b), origin: BASE };
      let body: BodyInit = fd;
      if (opts.withLength) {
        const r = new Response(fd);
        const bytes = new Uint8Array(await r.arrayBuffer());
        headers["content-type"] = r.headers.get("content-type")!;
        headers["content-length"] = String(bytes.length);
        body = bytes;
      }
      const res = await app.request(`${BASE}${uploadUrl(b)}`, { method: "POST", headers, body });
      return { res, html: await res.text() };
    }

    async function api(pathAndQuery: string, who = "analyst@council.gov.uk", init: RequestInit = {}) {
      const res = await app.request(`${BASE}${pathAndQuery}`, { ...init, headers: { authorization: `Bearer ${tokens[who]}`, ...(init.headers ?? {}) } });
      const text = await res.text();
      return { res, body: JSON.parse(text) as Record<string, unknown> & { error?: { code: string; message: string } } };
    }

    beforeAll(async () => {
      store = await openTestStore(dialect);
      uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-uploads-"));
      // As in `safecity serve`: each job runs `safecity import-job` in a child process on the same store.
      jobs = new ImportJobs({ store, runner: childProcessRunner({ ...process.env, ...store.env }), uploadDir, limitBytes: LIMIT });
      app = createApp({ store, now: () => clock, throttle: new LoginThrottle(), imports: jobs });
      for (const [email, role] of [
        ["analyst@council.gov.uk", "analyst"],
        ["viewer@council.gov.uk", "viewer"],
      ] as const) {
        const r = await createUser(store, { email, name: role, role }, cli, clock);
        passwords[email] = r.generatedPassword!;
        tokens[email] = (await createApiToken(store, email, "test", cli, clock, { scope: "write" })).token;
      }
      lines = await realStreetLines(40);
    });
    afterAll(async () => {
      await jobs?.idle();
      await store?.destroy();
      fs.rmSync(uploadDir, { recursive: true, force: true });
    });

    it("keeps the data pages and API behind sign-in: pages redirect, the API answers 401", async () => {
      const b = new TestBrowser(app);
      for (const p of ["/data", "/data/jobs/0123456789ab", "/data/imports/1"]) {
        const { res } = await b.get(p);
        expect(res.status, p).toBe(303);
        expect(decodeURIComponent(res.headers.get("location")!)).toBe(`/login?next=${p}`);
      }
      const { res } = await upload(b, form([{ name: "a.csv", content: lines.join("\n") }]));
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/login");
      for (const p of ["/api/v1/imports", "/api/v1/imports/1", "/api/v1/imports/jobs/0123456789ab", "/api/v1/counts?area=x", "/api/v1/reference", "/api/v1/openapi.json"]) {
        const r = await app.request(`${BASE}${p}`);
        expect(r.status, p).toBe(401);
        expect(((await r.json()) as { error: { code: string } }).error.code).toBe("auth.required");
      }
      const post = await app.request(`${BASE}/api/v1/imports`, { method: "POST", body: form([{ name: "a.csv", content: "x" }]) });
      expect(post.status).toBe(401);
      expect(fs.readdirSync(uploadDir)).toEqual([]);
    });

    it("lets a viewer see the register but not upload: no form, 403 on the page's POST and on the API", async () => {
      const b = await signedIn("viewer@council.gov.uk");
      const { res, html } = await b.get("/data");
      expect(res.status).toBe(200);
      expect(html).toContain('data-testid="register-empty"');
      expect(html).not.toContain('data-testid="upload-form"');
      expect(html).toContain("Analysts and administrators can upload");
      const page = await upload(b, form([{ name: "2025-01-hampshire-street.csv", content: lines.join("\n") }]));
      expect(page.res.status).toBe(403);
      const apiPost = await api("/api/v1/imports", "viewer@council.gov.uk", { method: "POST", body: form([{ name: "a.csv", content: lines.join("\n") }]) });
      expect(apiPost.res.status).toBe(403);
      expect(apiPost.body.error!.code).toBe("auth.forbidden");
      expect(fs.readdirSync(uploadDir)).toEqual([]);
    });

    it("refuses a page upload without the CSRF token", async () => {
      const b = await signedIn("analyst@council.gov.uk");
      const res = await app.request(`${BASE}/data/upload`, {
        method: "POST",
        headers: { cookie: cookieHeader(b) },
        body: form([{ name: "2025-01-hampshire-street.csv", content: lines.join("\n") }]),
      });
      expect(res.status).toBe(403);
      expect(fs.readdirSync(uploadDir)).toEqual([]);
    });

    let importedId = 0;
    it("imports an uploaded CSV of 40 real rows in the background; the job page and the register show it", async () => {
      const b = await signedIn("analyst@council.gov.uk");
      const { html: before } = await b.get("/data");
      expect(before).toContain('data-testid="upload-form"');
      expect(before).toContain("up to 0.1 MB in total");
      const { res } = await upload(b, form([{ name: "2025-01-hampshire-street.csv", content: `${lines.join("\r\n")}\r\n` }]));
      expect(res.status).toBe(303);
      const jobPath = res.headers.get("location")!;
      expect(jobPath).toMatch(/^\/data\/jobs\/[a-f0-9]{12}$/);
      await jobs.idle();
      const { html } = await b.get(jobPath);
      expect(html).toContain('data-job-state="finished"');
      expect(html).not.toContain('data-testid="job-refresh"');
      expect(html).toMatch(/1 file: 1 imported\. 40 rows imported/);
      expect(html).toContain('src="/assets/app/import-job.mjs"');
      // the uploaded file is removed once imported
      expect(fs.readdirSync(uploadDir)).toEqual([]);

      const job = await api(`/api/v1/imports/jobs/${jobPath.split("/").pop()}`);
      expect(job.res.status).toBe(200);
      const parsed = ImportJobSchema.parse(job.body);
      expect(parsed.state).toBe("finished");
      expect(parsed.report!.files.map((f) => [f.status, f.rows, f.force, f.month])).toEqual([["imported", 40, "hampshire", "2025-01"]]);
      expect(parsed.progress.bytesDone).toBe(parsed.progress.bytesTotal);
      importedId = parsed.report!.files[0]!.importId!;

      const { html: data } = await b.get("/data");
      const row = new RegExp(`href="/data/imports/${importedId}"[\\s\\S]*?2025-01-hampshire-street\\.csv[\\s\\S]*?hampshire[\\s\\S]*?2025-01[\\s\\S]*?imported[\\s\\S]*?>40<`);
      expect(data).toMatch(row);
      expect(data).toContain("Recent uploads");

      const list = await api("/api/v1/imports");
      const entries = ImportListSchema.parse(list.body).imports;
      expect(entries.map((e) => [e.id, e.status, e.rows, e.importedBy])).toEqual([[importedId, "imported", 40, "analyst@council.gov.uk"]]);
      const detail = ImportDetailSchema.parse((await api(`/api/v1/imports/${importedId}`)).body);
      expect(detail.problems).toEqual([]);
    });

    it("answers /api/v1/counts from the imported rows (checked by counting the CSV lines)", async () => {
      const rows = lines.slice(1).map((l) => l.split(","));
      // LSOA name is field 8: "<local authority> 001A"; all 40 rows are plain (no quoted commas) in this extract
      expect(rows.every((r) => r.length === 12)).toBe(true);
      const la = rows[0]![8]!.replace(/ \d{3}[A-Z]$/, "");
      const expected = rows.filter((r) => r[8]!.replace(/ \d{3}[A-Z]$/, "") === la);
      const { res, body } = await api(`/api/v1/counts?area=${encodeURIComponent(la)}&from=2025-01&to=2025-01`);
      expect(res.status).toBe(200);
      const counts = CountsSchema.parse(body);
      expect(counts.area.name).toBe(la);
      expect(counts.total).toBe(expected.length);
      const byType: Record<string, number> = {};
      for (const r of expected) byType[r[9]!] = (byType[r[9]!] ?? 0) + 1;
      for (const [type, n] of Object.entries(byType)) expect(counts.byType[type], type).toBe(n);
      expect(counts.byMonth).toEqual({ "2025-01": expected.length });

      const bad = await api(`/api/v1/counts?area=${encodeURIComponent(la)}&from=2025/01`);
      expect(bad.res.status).toBe(400);
      expect(bad.body.error!.code).toBe("input.invalid");
      expect(bad.body.error!.message).toContain("from");
      const missing = await api("/api/v1/counts");
      expect(missing.res.status).toBe(400);
      const unknown = await api("/api/v1/counts?area=Atlantis");
      expect(unknown.res.status).toBe(404);
    });

    it("rejects a file with malformed rows and shows every problem with its line number, escaped", async () => {
      const bad = [...lines.slice(0, 6)];
      const f = bad[3]!.split(",");
      f[9] = XSS; // crime type: the importer quotes the value it refuses
      f[6] = `On or near ${XSS}`; // location: stored as text if the row were valid
      bad[3] = f.join(",");
      const g = bad[5]!.split(",");
      g[1] = "2025/01";
      bad[5] = g.join(",");
      const b = await signedIn("analyst@council.gov.uk");
      const { res } = await upload(b, form([{ name: "2025-01-hampshire-street.csv", content: bad.join("\n") }]));
      expect(res.status).toBe(303);
      await jobs.idle();
      const { html: jobHtml } = await b.get(res.headers.get("location")!);
      expect(jobHtml).toMatch(/1 file: 1 rejected/);
      const link = /href="(\/data\/imports\/(\d+))">See the 2 problems/.exec(jobHtml);
      expect(link).not.toBeNull();
      const { res: r2, html } = await b.get(link![1]!);
      expect(r2.status).toBe(200);
      expect(html).not.toContain(XSS);
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      const cells = [...html.matchAll(/<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)<\/td><td class="govuk-table__cell app-wrap-anywhere">([^<]*)<\/td>/g)].map((m) => [
        Number(m[1]),
        m[2],
      ]);
      expect(cells).toEqual([
        [4, "`Crime type` `&lt;script&gt;alert(1)&lt;/script&gt;` is not one of the 14 police.uk crime types"],
        [6, "`Month` must be YYYY-MM; got `2025/01`"],
      ]);
      const detail = ImportDetailSchema.parse((await api(`/api/v1/imports/${link![2]}`)).body);
      expect(detail.import.status).toBe("rejected");
      expect(detail.problems).toEqual([
        { line: 4, message: `\`Crime type\` \`${XSS}\` is not one of the 14 police.uk crime types` },
        { line: 6, message: "`Month` must be YYYY-MM; got `2025/01`" },
      ]);
      const { html: data } = await b.get("/data");
      expect(data).toContain('data-status="rejected"');
      expect(data).not.toContain(XSS);
    });

    it("enforces the size limit while streaming and up front from Content-Length: 413 with a clear error, nothing kept", async () => {
      const b = await signedIn("analyst@council.gov.uk");
      const big = `${lines[0]}\n${`${lines[1]}\n`.repeat(Math.ceil((LIMIT * 1.5) / lines[1]!.length))}`;
      for (const withLength of [false, true]) {
        const { res, html } = await upload(b, form([{ name: "2025-03-hampshire-street.csv", content: big }]), { withLength });
        expect(res.status, `withLength=${withLength}`).toBe(413);
        expect(html).toContain('data-testid="upload-error"');
        expect(html).toContain("The upload is larger than the 0.1 MB limit.");
        expect(html).toContain("SAFECITY_UPLOAD_LIMIT_MB");
        expect(html).toMatch(/<title>Error: Data/);
      }
      const viaApi = await api("/api/v1/imports", "analyst@council.gov.uk", { method: "POST", body: form([{ name: "big.csv", content: big }]) });
      expect(viaApi.res.status).toBe(413);
      expect(viaApi.body.error!.code).toBe("upload.too_large");
      expect(fs.readdirSync(uploadDir)).toEqual([]);
      expect((await jobs.list()).length).toBe(2);
    });

    it("refuses files that are not .csv or .zip, and a form with no file", async () => {
      const b = await signedIn("analyst@council.gov.uk");
      const { res, html } = await upload(b, form([{ name: "notes.txt", content: "hello" }]));
      expect(res.status).toBe(400);
      expect(html).toContain("`notes.txt` is not a police.uk file");
      const empty = await upload(b, form([], { skipInvalid: "yes" }));
      expect(empty.res.status).toBe(400);
      expect(empty.html).toContain("Choose a police.uk CSV or zip file to upload.");
      expect(fs.readdirSync(uploadDir)).toEqual([]);
    });

    it("uploads through the API with a bearer token (202 and a job to poll), no CSRF token needed", async () => {
      const csv = [lines[0], ...lines.slice(1, 11)].join("\n");
      const { res, body } = await api("/api/v1/imports", "analyst@council.gov.uk", { method: "POST", body: form([{ name: "2025-04-hampshire-street.csv", content: csv }]) });
      expect(res.status).toBe(202);
      const job = ImportJobSchema.parse(body);
      expect(["queued", "running"]).toContain(job.state);
      await jobs.idle();
      const done = ImportJobSchema.parse((await api(`/api/v1/imports/jobs/${job.id}`)).body);
      // the rows say 2025-01, the file name says 2025-04: every row is refused
      expect(done.report!.files[0]!.status).toBe("rejected");
      expect(done.report!.files[0]!.errorCount).toBe(10);
      const missing = await api("/api/v1/imports/jobs/ffffffffffff");
      expect(missing.res.status).toBe(404);
      const badId = await api("/api/v1/imports/jobs/nope");
      expect(badId.res.status).toBe(400);
    });

    it("caches /api/v1/counts until the data changes: a replacing import is seen at once", async () => {
      const rows = lines.slice(1).map((l) => l.split(","));
      const la = rows[0]![8]!.replace(/ \d{3}[A-Z]$/, "");
      const inLa = (rs: string[][]) => rs.filter((r) => r[8]!.replace(/ \d{3}[A-Z]$/, "") === la).length;
      const url = `/api/v1/counts?area=${encodeURIComponent(la)}&from=2025-01&to=2025-01`;
      const first = await api(url);
      const again = await api(url);
      expect(again.res.headers.get("x-safecity-cache")).toBe("hit");
      expect(again.body).toEqual(first.body);
      expect((first.body as { total: number }).total).toBe(inLa(rows));
      // replace January with its first 15 rows (under half of the 40: confirmed with replace, decision 0017)
      const csv = [lines[0], ...lines.slice(1, 16)].join("\n");
      const up = await api("/api/v1/imports", "analyst@council.gov.uk", {
        method: "POST",
        body: form([{ name: "2025-01-hampshire-street.csv", content: csv }], { replace: "yes" }),
      });
      expect(up.res.status).toBe(202);
      await jobs.idle();
      const job = ImportJobSchema.parse((await api(`/api/v1/imports/jobs/${(up.body as { id: string }).id}`)).body);
      expect(job.report!.files[0]!.status).toBe("replaced");
      const after = await api(url);
      expect(after.res.headers.get("x-safecity-cache")).toBe("miss");
      expect((after.body as { total: number }).total).toBe(inLa(rows.slice(0, 15)));
      expect(inLa(rows.slice(0, 15))).not.toBe(inLa(rows));
    });

    it("serves responses that match their schemas and an OpenAPI 3.1 document listing exactly the /api/v1 routes mounted", async () => {
      StatusSchema.parse((await api("/api/v1/status")).body);
      expect(MeSchema.parse((await api("/api/v1/me", "viewer@council.gov.uk")).body).role).toBe("viewer");
      ReferenceStatusSchema.parse((await api("/api/v1/reference")).body);

      const { res, body: doc } = await api("/api/v1/openapi.json", "viewer@council.gov.uk");
      expect(res.status).toBe(200);
      expect(doc.openapi).toBe("3.1.0");
      const paths = doc.paths as Record<string, Record<string, { responses: Record<string, unknown>; parameters: { name: string; in: string }[] }>>;
      const documented = new Set(Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
      const mounted = new Set(app.routes.filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL").map((r) => `${r.method} ${openApiPath(r.path)}`));
      expect([...documented].sort()).toEqual([...mounted].sort());
      // the data and status endpoints; other modules add theirs to API_ENDPOINTS (covered by the equality above)
      expect([...documented].sort()).toEqual(expect.arrayContaining([
        "GET /api/v1/counts",
        "GET /api/v1/imports",
        "GET /api/v1/imports/jobs/{id}",
        "GET /api/v1/imports/{id}",
        "GET /api/v1/me",
        "GET /api/v1/openapi.json",
        "GET /api/v1/reference",
        "GET /api/v1/status",
        "POST /api/v1/imports",
      ]));
      // every $ref points at a component that exists
      const text = JSON.stringify(doc);
      const components = (doc.components as { schemas: Record<string, unknown> }).schemas;
      const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThan(10);
      for (const r of refs) expect(components[r], r).toBeDefined();
      expect(text).not.toContain("#/$defs/");
      // path parameters are declared for every {param}
      for (const [p, ops] of Object.entries(paths)) {
        const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        for (const op of Object.values(ops)) expect(op.parameters.filter((x) => x.in === "path").map((x) => x.name)).toEqual(names);
      }
      expect(paths["/api/v1/counts"]!.get!.parameters.map((x) => x.name)).toEqual(["area", "from", "to", "type", "otherForces"]);
      expect(Object.keys(paths["/api/v1/imports"]!.post!.responses)).toEqual(["202", "400", "401", "403", "413", "503"]);
    });
  });
}
