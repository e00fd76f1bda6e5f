import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`store on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
    });
    afterAll(() => store?.destroy());

    it("migrates to an empty schema with every table", async () => {
      const tables = (await store.db.introspection.getTables()).map((t) => t.name).sort();
      expect(tables).toEqual(expect.arrayContaining(["area", "import_file", "incident", "lsoa_geo", "rollup"]));
      const count = await store.db.selectFrom("incident").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
    });

    it("assigns import ids in order", async () => {
      const row = { file_name: "a.csv", sha256: "x", status: "running", started_at: "2025-01-01T00:00:00Z", imported_by: "t" };
      const a = await store.db.insertInto("import_file").values(row).returning("id").executeTakeFirstOrThrow();
      const b = await store.db.insertInto("import_file").values(row).returning("id").executeTakeFirstOrThrow();
      expect(b.id).toBe(a.id + 1);
    });
  });
}
