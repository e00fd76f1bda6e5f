import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { createApp } from "../src/http/app.tsx";
import { OidcClient, oidcSettingsFromEnv } from "../src/services/oidc.service.ts";
import { createUser } from "../src/services/user.service.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";
import { TestBrowser } from "./http-client.ts";

/**
 * OpenID Connect sign-in against a real provider (node-oidc-provider, run in-process on a
 * loopback port) with its development login and consent pages, driven over HTTP.
 */
const APP = "http://localhost";

async function startProvider(): Promise<{ issuer: string; close(): Promise<void> }> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "safecity",
        client_secret: "s3cret-s3cret-s3cret-s3cret-s3cret",
        redirect_uris: [`${APP}/login/oidc/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    // The development login page accepts any login; we use it as the email address.
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: id, email_verified: true, name: id }),
    }),
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    pkce: { required: () => true },
    cookies: { keys: ["test-cookie-key"] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
  });
  server.on("request", provider.callback());
  return { issuer, close: () => new Promise((r) => server.close(() => r())) };
}

/** Logs in at the provider's development pages and returns our callback URL with the code. */
async function authorizeAtProvider(authUrl: string, login: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = authUrl;
  let method = "GET";
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      method,
      redirect: "manual",
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
        ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      body,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get("location");
    if (location) {
      const next = new URL(location, url).href;
      if (next.startsWith(APP)) return next;
      url = next;
      method = "GET";
      body = undefined;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form at ${url} (${res.status}): ${html.slice(0, 300)}`);
    url = new URL(action, url).href;
    method = "POST";
    body = html.includes('name="login"') ? new URLSearchParams({ prompt: "login", login, password: "x" }).toString() : new URLSearchParams({ prompt: "consent" }).toString();
  }
  throw new Error("too many hops at the provider");
}

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`OpenID Connect sign-in on ${dialect}`, () => {
    let store: TestStore;
    let provider: Awaited<ReturnType<typeof startProvider>>;
    let app: ReturnType<typeof createApp>;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      provider = await startProvider();
      const settings = oidcSettingsFromEnv({
        SAFECITY_OIDC_ISSUER: provider.issuer,
        SAFECITY_OIDC_CLIENT_ID: "safecity",
        SAFECITY_OIDC_CLIENT_SECRET: "s3cret-s3cret-s3cret-s3cret-s3cret",
        SAFECITY_OIDC_LABEL: "Sign in with Test ID",
      });
      app = createApp({ store, oidc: new OidcClient(settings!) });
      await createUser(store, { email: "ana@council.gov.uk", name: "Ana Analyst", role: "analyst" }, { label: "cli:test", ip: null }, new Date());
    });
    afterAll(async () => {
      await provider?.close();
      await store?.destroy();
    });

    it("offers the provider on the login page", async () => {
      const { html } = await new TestBrowser(app, APP).get("/login");
      expect(html).toContain("Sign in with Test ID");
      expect(html).toContain('href="/login/oidc"');
    });

    it("signs in an existing user through the provider (code flow with PKCE, state and nonce) and audits it", async () => {
      const b = new TestBrowser(app, APP);
      const start = await b.get("/login/oidc?next=/admin/audit");
      expect(start.res.status).toBe(302);
      const authUrl = new URL(start.res.headers.get("location")!);
      expect(authUrl.origin).toBe(provider.issuer);
      expect(authUrl.searchParams.get("code_challenge_method")).toBe("S256");
      expect(authUrl.searchParams.get("state")).toBeTruthy();
      expect(authUrl.searchParams.get("nonce")).toBeTruthy();
      const callback = await authorizeAtProvider(authUrl.href, "ana@council.gov.uk");
      expect(callback).toContain("code=");
      const done = await b.get(callback.slice(APP.length));
      expect(done.res.status, /There is a problem[\s\S]*?<a href="#email">([^<]*)/.exec(done.html)?.[1]).toBe(303);
      expect(done.res.headers.get("location")).toBe("/admin/audit");
      const home = await b.get("/");
      expect(home.res.status).toBe(200);
      expect(home.html).toContain("Signed in as Ana Analyst (analyst)");
      const logins = await listAudit(store, { action: "auth.login" });
      expect(logins[0]).toMatchObject({ actor: "ana@council.gov.uk", after: { method: "oidc" } });
    });

    it("refuses someone the provider knows but Safe City does not", async () => {
      const b = new TestBrowser(app, APP);
      const start = await b.get("/login/oidc");
      const callback = await authorizeAtProvider(start.res.headers.get("location")!, "stranger@example.org");
      const done = await b.get(callback.slice(APP.length));
      expect(done.res.status).toBe(401);
      expect(done.html).toContain("There is no Safe City account for stranger@example.org");
      expect(b.cookies.has("safecity_session")).toBe(false);
      const failed = await listAudit(store, { action: "auth.login_failed", limit: 1 });
      expect(failed[0]).toMatchObject({ actor: "stranger@example.org", after: { method: "oidc", reason: "unknown account" } });
    });

    it("refuses a callback from another browser (no state cookie) or with a forged state", async () => {
      const a = new TestBrowser(app, APP);
      const start = await a.get("/login/oidc");
      const callback = await authorizeAtProvider(start.res.headers.get("location")!, "ana@council.gov.uk");
      const other = new TestBrowser(app, APP);
      const stolen = await other.get(callback.slice(APP.length));
      expect(stolen.res.status).toBe(401);
      expect(other.cookies.has("safecity_session")).toBe(false);
      const forged = new URL(callback);
      forged.searchParams.set("state", "forged");
      const bad = await a.get(forged.pathname + forged.search);
      expect(bad.res.status).toBe(502);
      expect(a.cookies.has("safecity_session")).toBe(false);
    });
  });
}

describe("OpenID Connect settings", () => {
  it("are off without an issuer and validated when set", () => {
    expect(oidcSettingsFromEnv({})).toBeNull();
    expect(() => oidcSettingsFromEnv({ SAFECITY_OIDC_ISSUER: "http://idp.example.org" })).toThrow(/must be https[\s\S]*CLIENT_ID is required/);
    expect(oidcSettingsFromEnv({ SAFECITY_OIDC_ISSUER: "https://login.microsoftonline.com/t/v2.0", SAFECITY_OIDC_CLIENT_ID: "c" })).toMatchObject({
      clientSecret: null,
      label: "Sign in with your organisation account",
    });
  });
});
