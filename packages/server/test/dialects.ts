import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Store, openStore } from "../src/db/database.ts";

/**
 * Every storage test runs on both databases. PostgreSQL comes from TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test); each store gets its own schema, dropped afterwards.
 * When PostgreSQL is unreachable its tests are skipped with the reason, unless
 * SAFECITY_REQUIRE_PG=1 (set by .ci/run), which turns the skip into a failure.
 */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

let pgProbe: Promise<string | null> | undefined;

/** null when PostgreSQL is reachable, otherwise why not. */
export function postgresUnavailable(): Promise<string | null> {
  pgProbe ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("select 1");
      return null;
    } catch (e) {
      return `PostgreSQL at ${TEST_PG_URL} is unreachable (${(e as Error).message})`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgProbe;
}

export const DIALECTS = ["sqlite", "postgres"] as const;
export type TestDialect = (typeof DIALECTS)[number];

export interface TestStore extends Store {
  /** Remove the database (SQLite file or PostgreSQL schema). */
  destroy(): Promise<void>;
  /** Settings for a child process (the CLI) to open the same store. */
  env: Record<string, string>;
}

export async function openTestStore(dialect: TestDialect): Promise<TestStore> {
  if (dialect === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-test-"));
    const store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, "safecity.db") });
    return Object.assign(store, {
      env: { SAFECITY_DATA_DIR: dir, DATABASE_URL: "" },
      destroy: async () => {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    });
  }
  const schema = `t_${crypto.randomBytes(6).toString("hex")}`;
  const store = await openStore({ databaseUrl: TEST_PG_URL, sqlitePath: "" }, { pgSchema: schema });
  const url = new URL(TEST_PG_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return Object.assign(store, {
    env: { DATABASE_URL: url.toString() },
    destroy: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  });
}

/**
 * Wraps `describe` per dialect: `describe.each` style, skipping PostgreSQL with its reason when it
 * is unreachable and not required.
 */
export async function dialectAvailability(dialect: TestDialect): Promise<{ skip: boolean; reason?: string }> {
  if (dialect === "sqlite") return { skip: false };
  const why = await postgresUnavailable();
  if (!why) return { skip: false };
  if (process.env.SAFECITY_REQUIRE_PG === "1") throw new Error(`${why}; SAFECITY_REQUIRE_PG=1 makes PostgreSQL tests mandatory`);
  console.warn(`skipping PostgreSQL tests: ${why}`);
  return { skip: true, reason: why };
}
