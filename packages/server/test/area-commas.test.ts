import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCodeList, resolveArea } from "../src/services/area.service.ts";
import { DIALECTS, type TestStore, dialectAvailability, openTestStore } from "./dialects.ts";

// Issue 13 item 9: `--area "Bournemouth, Christchurch and Poole"` was read as a list of LSOA codes.
describe("isCodeList: a name with commas is a name", () => {
  it("codes are lists, names with commas are not", () => {
    expect(isCodeList("Bournemouth, Christchurch and Poole")).toBe(false);
    expect(isCodeList("E01017144,E01017145")).toBe(true);
    expect(isCodeList(" e01017144 , E01017145 ")).toBe(true);
    // a list with a mistyped code is still a list (so the error names the bad code)
    expect(isCodeList("E01017144,E0101714")).toBe(true);
    expect(isCodeList("E01017144")).toBe(false);
  });
});

for (const dialect of DIALECTS) {
  const availability = await dialectAvailability(dialect);
  describe.skipIf(availability.skip)(`resolveArea with commas in names on ${dialect}`, () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      await store.db
        .insertInto("area")
        .values([
          { code: "E06000058", name: "Bournemouth, Christchurch and Poole", level: "lad", vintage: "2024", parent_code: null },
          { code: "E01032442", name: "Bournemouth 001A", level: "lsoa", vintage: "2021", parent_code: "E06000058" },
        ])
        .execute();
      await store.db
        .insertInto("lsoa_geo")
        .values({ lsoa_code: "E01032442", lsoa_name: "Bournemouth 001A", vintage: "2021", ward_code: null, lad_code: "E06000058", lad_name: "Bournemouth, Christchurch and Poole", csp_code: null, pfa_code: null, source: "reference" })
        .execute();
    }, 60_000);
    afterAll(() => store?.destroy());

    it("resolves the name, with or without its level, and the LSOA code list still works", async () => {
      for (const input of ["Bournemouth, Christchurch and Poole", "lad:Bournemouth, Christchurch and Poole", "bournemouth, christchurch and poole"]) {
        const r = await resolveArea(store, input);
        expect(r.ref).toEqual({ code: "E06000058", name: "Bournemouth, Christchurch and Poole", level: "lad" });
        expect(r.scope).toEqual({ column: "lad_code", value: "E06000058" });
      }
      const custom = await resolveArea(store, "E01032442,");
      expect(custom.ref).toEqual({ code: null, name: "custom area of 1 LSOA", level: "custom" });
    });

    it("an unknown name with commas is reported as a name, not as bad codes", async () => {
      await expect(resolveArea(store, "Bournemouth, Christchurch, Poole")).rejects.toThrow(/no area called "Bournemouth, Christchurch, Poole"/);
      await expect(resolveArea(store, "E01032442,E0103244")).rejects.toThrow(/unknown LSOA code: E0103244/);
    });
  });
}
