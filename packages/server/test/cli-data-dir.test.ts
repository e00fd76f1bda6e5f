import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig, storeDescription } from "../src/config.ts";
import { projectRoot } from "../src/project-root.ts";
import { runCli } from "./support/cli.ts";

/** Issue 12 item 6: one default data folder whatever folder a command runs from; a missing area names the database read. */
const ROOT = path.resolve(fileURLToPath(new URL("../../..", import.meta.url)));

describe("the default data folder", () => {
  it("is <project>/data from any working folder; SAFECITY_DATA_DIR still wins, relative to the working folder", () => {
    expect(projectRoot()).toBe(ROOT);
    for (const cwd of [ROOT, path.join(ROOT, "packages", "server"), os.tmpdir()]) expect(loadConfig({}, cwd).dataDir).toBe(path.join(ROOT, "data"));
    expect(loadConfig({ SAFECITY_DATA_DIR: "here" }, "/srv").dataDir).toBe("/srv/here");
    // a folder outside any checkout has no project root
    expect(projectRoot(os.tmpdir())).toBeNull();
  });
  it("says which database was read, the password hidden", () => {
    expect(storeDescription({ databaseUrl: "postgres://u:secret@db:5432/safecity", sqlitePath: "/x/safecity.db" })).toBe("PostgreSQL postgres://u:***@db:5432/safecity");
    expect(storeDescription({ databaseUrl: null, sqlitePath: "/x/safecity.db" })).toMatch(/^SQLite \/x\/safecity\.db/);
  });
});

describe("an area not found", () => {
  it("names the database the CLI opened", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-dir-"));
    try {
      const r = await runCli(["counts", "--area", "Narnia"], { SAFECITY_DATA_DIR: dir, DATABASE_URL: "" });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`database: SQLite ${path.join(dir, "safecity.db")}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
