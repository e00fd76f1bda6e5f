import { Hono } from "hono";
import type { Kysely } from "kysely";
import type { Store } from "../db/database.ts";
import { KNOWN_MIGRATIONS } from "../db/migrate.ts";
import { appliedMigrations, migrationLevel } from "../db/migration-level.ts";
import type { AppEnv } from "./env.ts";
import type { OpsDeps } from "./request-log.ts";

/**
 * Probes, public (no sign-in), never cached. `/healthz`: the process answers and the database
 * answers a query (liveness). `/readyz`: the database is reachable and migrated to this version's
 * level, and the server is not shutting down (readiness: 200 or 503 with the reason).
 */
export function healthRoutes(store: Store, ops: OpsDeps | null): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/healthz", async (c) => {
    c.header("Cache-Control", "no-store");
    await store.db.selectFrom("app_user").select("id").limit(1).execute();
    return c.json({ ok: true, store: store.dialect });
  });
  app.get("/readyz", async (c) => {
    c.header("Cache-Control", "no-store");
    const expected = migrationLevel(KNOWN_MIGRATIONS);
    if (ops?.draining()) return c.json({ ready: false, reason: "shutting down" }, 503);
    let applied: string[] | null;
    try {
      applied = await appliedMigrations(store.db as unknown as Kysely<unknown>);
    } catch (e) {
      ops?.log?.warn({ err: e }, "readiness: database unreachable");
      return c.json({ ready: false, reason: "database unreachable" }, 503);
    }
    const missing = KNOWN_MIGRATIONS.filter((m) => !applied?.includes(m));
    if (missing.length) return c.json({ ready: false, reason: `database not migrated: missing ${missing.join(", ")}`, migration: migrationLevel(applied ?? []), expected }, 503);
    return c.json({ ready: true, store: store.dialect, migration: migrationLevel(applied ?? []) });
  });
  return app;
}
