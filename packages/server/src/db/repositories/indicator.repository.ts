import type { Store } from "../database.ts";

export interface AreaIndicators {
  code: string;
  name: string;
  indicators: Record<string, number>;
}

/** Every area of a level ("lad" or "csp") with its open indicators (area_indicator), by code. */
export async function indicatorsByLevel(store: Store, level: string): Promise<AreaIndicators[]> {
  const rows = await store.db
    .selectFrom("area_indicator as i")
    .innerJoin("area as a", "a.code", "i.area_code")
    .select(["a.code", "a.name", "i.indicator", "i.value"])
    .where("a.level", "=", level)
    .orderBy("a.code")
    .orderBy("i.indicator")
    .execute();
  const out = new Map<string, AreaIndicators>();
  for (const r of rows) {
    let a = out.get(r.code);
    if (!a) {
      a = { code: r.code, name: r.name, indicators: {} };
      out.set(r.code, a);
    }
    a.indicators[r.indicator] = Number(r.value);
  }
  return [...out.values()];
}

/** Areas by code (code, name, level, parent), for user-given peer lists. */
export async function areasByCode(store: Store, codes: readonly string[]): Promise<{ code: string; name: string; level: string; parentCode: string | null }[]> {
  if (codes.length === 0) return [];
  const rows = await store.db.selectFrom("area").select(["code", "name", "level", "parent_code"]).where("code", "in", [...codes]).orderBy("code").execute();
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code }));
}

/** Children of areas (e.g. the LADs of CSPs): parent code -> child codes. */
export async function childrenOf(store: Store, parentCodes: readonly string[], level: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (parentCodes.length === 0) return out;
  const rows = await store.db
    .selectFrom("area")
    .select(["code", "parent_code"])
    .where("parent_code", "in", [...parentCodes])
    .where("level", "=", level)
    .orderBy("code")
    .execute();
  for (const r of rows) out.set(r.parent_code!, [...(out.get(r.parent_code!) ?? []), r.code]);
  return out;
}
