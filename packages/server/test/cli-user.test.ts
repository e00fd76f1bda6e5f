import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../src/db/repositories/audit.repository.ts";
import { findCredentials } from "../src/db/repositories/user.repository.ts";
import { apiTokenUser } from "../src/services/auth.service.ts";
import { verifyPassword } from "../src/services/password.ts";
import { DIALECTS, dialectAvailability, openTestStore, type TestStore } from "./dialects.ts";

const BIN = fileURLToPath(new URL("../bin/safecity.js", import.meta.url));

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`safecity user on ${dialect}`, { timeout: 300_000 }, () => {
    let store: TestStore;
    const cli = (args: string[], input = "") =>
      spawnSync(process.execPath, [BIN, "user", ...args], { env: { ...process.env, ...store.env, SAFECITY_USER: "tester" }, input, encoding: "utf8" });

    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(() => store?.destroy());

    it("adds the first administrator with --admin and prints a generated password that works", async () => {
      const r = cli(["add", "--admin", "--email", "You@Council.gov.uk", "--name", "Your Name"]);
      expect(r.status, r.stderr).toBe(0);
      const password = /Password: (\S+)/.exec(r.stdout)?.[1];
      expect(password).toHaveLength(20);
      const creds = await findCredentials(store, "you@council.gov.uk");
      expect(creds?.user.role).toBe("admin");
      expect(creds?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await verifyPassword(creds!.passwordHash!, password!)).toBe(true);
      expect(await verifyPassword(creds!.passwordHash!, `${password}x`)).toBe(false);
      const audit = await listAudit(store, { action: "user.create" });
      expect(audit[0]).toMatchObject({ actor: "cli:tester", target: "you@council.gov.uk", after: { role: "admin" } });
    });

    it("reads a password from stdin and creates the organisation", async () => {
      const r = cli(["add", "--email", "lead@police.uk", "--name", "Lee Lead", "--role", "editor", "--org", "Hampshire Constabulary", "--org-kind", "police", "--password-stdin"], "a long enough password\n");
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).not.toContain("Password:");
      expect(r.stdout).toContain("new police organisation");
      const creds = await findCredentials(store, "lead@police.uk");
      expect(creds?.user.organisation).toMatchObject({ name: "Hampshire Constabulary", kind: "police" });
      expect(await verifyPassword(creds!.passwordHash!, "a long enough password")).toBe(true);
    });

    it("refuses bad input, duplicates, short passwords and --admin with another role (exit 2, nothing written)", async () => {
      const bad = cli(["add", "--email", "nope", "--name", "X", "--role", "god"]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain("Enter an email address");
      expect(bad.stderr).toContain("Role must be admin, analyst, editor or viewer; got `god`");
      const dup = cli(["add", "--email", "you@council.gov.uk", "--name", "Again"]);
      expect(dup.status).toBe(2);
      expect(dup.stderr).toContain("already exists");
      expect(cli(["add", "--email", "s@x.gov.uk", "--name", "S", "--password-stdin"], "short\n").status).toBe(2);
      expect(cli(["add", "--admin", "--role", "viewer", "--email", "c@x.gov.uk", "--name", "C"]).status).toBe(2);
      const list = cli(["list", "--json"]);
      expect((JSON.parse(list.stdout) as { email: string }[]).map((u) => u.email)).toEqual(["lead@police.uk", "you@council.gov.uk"]);
    });

    it("creates an API token for a user", async () => {
      const r = cli(["token", "--email", "lead@police.uk", "--name", "nightly"]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(cli(["token", "--email", "ghost@x.gov.uk"]).status).toBe(4);
    });

    it("lists and revokes API tokens (user token --list / --revoke); scope and expiry are set at creation", async () => {
      const made = cli(["token", "--email", "lead@police.uk", "--name", "loader", "--scope", "write", "--expires-days", "7", "--json"]);
      expect(made.status, made.stderr).toBe(0);
      const t = JSON.parse(made.stdout) as { id: number; token: string; scope: string; expiresAt: string };
      expect(t.scope).toBe("write");
      expect(Date.parse(t.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
      expect(Date.parse(t.expiresAt) - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
      expect((await apiTokenUser(store, t.token, new Date()))?.token.scope).toBe("write");
      const bad = cli(["token", "--email", "lead@police.uk", "--scope", "admin", "--expires-days", "0"]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain("Scope must be read or write; got `admin`");
      expect(bad.stderr).toContain("Expiry must be a whole number of days from 1 to 366");
      const list = cli(["token", "--list", "--email", "lead@police.uk"]);
      expect(list.status, list.stderr).toBe(0);
      expect(list.stdout).toMatch(new RegExp(`^${t.id}\tloader\twrite\tcreated \\d{4}-\\d\\d-\\d\\d\tlast used [^\t]+\texpires \\d{4}-\\d\\d-\\d\\d\tactive$`, "m"));
      expect(list.stdout).toMatch(/\tnightly\tread\t/); // the earlier token: read-only by default
      const revoked = cli(["token", "--revoke", String(t.id)]);
      expect(revoked.status, revoked.stderr).toBe(0);
      expect(revoked.stdout).toContain(`Revoked API token ${t.id} (loader)`);
      expect(await apiTokenUser(store, t.token, new Date())).toBeNull();
      expect(cli(["token", "--revoke", String(t.id)]).status).toBe(2); // already revoked
      expect(cli(["token", "--revoke", "99999"]).status).toBe(4);
      expect(cli(["token", "--list", "--email", "lead@police.uk"]).stdout).toMatch(new RegExp(`^${t.id}\tloader\t.*\trevoked \\d{4}-\\d\\d-\\d\\d$`, "m"));
      expect((await listAudit(store, { action: "api_token.revoke" }))[0]).toMatchObject({ actor: "cli:tester", target: "lead@police.uk" });
    });
  });
}
