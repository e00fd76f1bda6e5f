import crypto from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { TEST_PG_URL, dialectAvailability, openTestStore } from "./dialects.ts";

/**
 * Stores in throw-away schemas migrate while other schemas are created and dropped (parallel test
 * workers, CI runs side by side). Kysely's default introspector listed every schema's tables and
 * failed ours with `schema "t_…" does not exist` when another was dropped mid-query.
 */
const availability = await dialectAvailability("postgres");
describe.skipIf(availability.skip)("PostgreSQL stores migrate while other schemas come and go", () => {
  it("opens 6 stores while 20 other schemas with tables are created and dropped around them", async () => {
    const churn = new pg.Client({ connectionString: TEST_PG_URL });
    await churn.connect();
    let stop = false;
    const churning = (async () => {
      while (!stop) {
        const names = Array.from({ length: 20 }, () => `churn_${crypto.randomBytes(5).toString("hex")}`);
        for (const n of names) await churn.query(`create schema "${n}"; create table "${n}".t (id serial primary key, v text)`);
        for (const n of names) await churn.query(`drop schema "${n}" cascade`);
      }
    })();
    try {
      for (let i = 0; i < 6; i++) {
        const store = await openTestStore("postgres");
        expect(await store.db.selectFrom("plan").select("id").execute()).toEqual([]);
        await store.destroy();
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
    }
  }, 240_000);
});
