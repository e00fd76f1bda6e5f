import type { DerivedIndicatorSpec, Indicator, IndicatorUnit, IndicatorValue, PeriodType, Polarity, RagRule } from "@safecity/core";
import type { Selectable } from "kysely";
import type { Store } from "../database.ts";
import type { IndicatorTable } from "../schema.ts";

/*
 * The Partnership Plan's indicators (migration 0005): definitions in `indicator`, imported series
 * in `indicator_value`. Not the Census area indicators of `indicator.repository.ts`.
 */

export type NewIndicator = Omit<Indicator, "id">;

function toIndicator(r: Selectable<IndicatorTable>): Indicator {
  const derived: DerivedIndicatorSpec | null =
    r.source === "derived" && r.derived_area_code && r.derived_crime && r.derived_measure
      ? { areaCode: r.derived_area_code, crime: r.derived_crime, measure: r.derived_measure as DerivedIndicatorSpec["measure"] }
      : null;
  return {
    id: Number(r.id),
    key: r.key,
    name: r.name,
    unit: r.unit as IndicatorUnit,
    polarity: r.polarity as Polarity,
    periodType: r.period_type as PeriodType,
    ragRule: r.rag_rule as RagRule,
    tolerancePercent: Number(r.tolerance_percent),
    source: r.source as Indicator["source"],
    derived,
    demo: Number(r.demo) === 1,
  };
}

/** Every indicator, by key. */
export async function listIndicators(store: Store): Promise<Indicator[]> {
  const rows = await store.db.selectFrom("indicator").selectAll().orderBy("key").execute();
  return rows.map(toIndicator);
}

export async function indicatorByKey(store: Store, key: string): Promise<Indicator | null> {
  const row = await store.db.selectFrom("indicator").selectAll().where("key", "=", key).executeTakeFirst();
  return row ? toIndicator(row) : null;
}

export async function indicatorsByIds(store: Store, ids: readonly number[]): Promise<Map<number, Indicator>> {
  if (ids.length === 0) return new Map();
  const rows = await store.db.selectFrom("indicator").selectAll().where("id", "in", [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [Number(r.id), toIndicator(r)]));
}

export async function insertIndicator(store: Store, i: NewIndicator): Promise<number> {
  const row = await store.db
    .insertInto("indicator")
    .values({
      key: i.key,
      name: i.name,
      unit: i.unit,
      polarity: i.polarity,
      period_type: i.periodType,
      rag_rule: i.ragRule,
      tolerance_percent: i.tolerancePercent,
      source: i.source,
      derived_area_code: i.derived?.areaCode ?? null,
      derived_crime: i.derived?.crime ?? null,
      derived_measure: i.derived?.measure ?? null,
      demo: i.demo ? 1 : 0,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Stored values of one indicator for one area, periods ascending (text order is time order for each period type). */
export async function indicatorValues(store: Store, indicatorId: number, areaCode: string): Promise<IndicatorValue[]> {
  const rows = await store.db
    .selectFrom("indicator_value")
    .select(["period", "value"])
    .where("indicator_id", "=", indicatorId)
    .where("area_code", "=", areaCode)
    .orderBy("period")
    .execute();
  return rows.map((r) => ({ period: r.period, value: Number(r.value) }));
}

/** Area codes that have values of an indicator, with how many periods each. */
export async function indicatorAreas(store: Store, indicatorId: number): Promise<{ areaCode: string; periods: number }[]> {
  const rows = await store.db
    .selectFrom("indicator_value")
    .select(["area_code", (eb) => eb.fn.countAll<number>().as("n")])
    .where("indicator_id", "=", indicatorId)
    .groupBy("area_code")
    .orderBy("area_code")
    .execute();
  return rows.map((r) => ({ areaCode: r.area_code, periods: Number(r.n) }));
}

export interface StoredValueKey {
  indicatorId: number;
  areaCode: string;
  period: string;
}

/** Values already stored for these indicators and areas: `indicatorId|area|period` -> value. */
export async function storedValues(store: Store, indicatorIds: readonly number[], areaCodes: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (indicatorIds.length === 0 || areaCodes.length === 0) return out;
  const areas = [...new Set(areaCodes)];
  for (let i = 0; i < areas.length; i += 500) {
    const rows = await store.db
      .selectFrom("indicator_value")
      .select(["indicator_id", "area_code", "period", "value"])
      .where("indicator_id", "in", [...new Set(indicatorIds)])
      .where("area_code", "in", areas.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(valueKey({ indicatorId: Number(r.indicator_id), areaCode: r.area_code, period: r.period }), Number(r.value));
  }
  return out;
}

export function valueKey(k: StoredValueKey): string {
  return `${k.indicatorId}|${k.areaCode}|${k.period}`;
}

/** Inserts values, replacing the value (and its file and time) of a key already stored. */
export async function upsertIndicatorValues(store: Store, rows: readonly (StoredValueKey & { value: number })[], file: string, importedAt: string): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await store.db
      .insertInto("indicator_value")
      .values(
        rows.slice(i, i + 500).map((r) => ({ indicator_id: r.indicatorId, area_code: r.areaCode, period: r.period, value: r.value, file, imported_at: importedAt })),
      )
      .onConflict((oc) =>
        oc.columns(["indicator_id", "area_code", "period"]).doUpdateSet((eb) => ({
          value: eb.ref("excluded.value"),
          file: eb.ref("excluded.file"),
          imported_at: eb.ref("excluded.imported_at"),
        })),
      )
      .execute();
  }
}

/** Which of these codes are areas (any level) or LSOAs the store knows. */
export async function knownAreaCodes(store: Store, codes: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const unique = [...new Set(codes)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const areas = await store.db.selectFrom("area").select("code").where("code", "in", chunk).execute();
    for (const r of areas) out.add(r.code);
    const lsoas = await store.db.selectFrom("lsoa_geo").select("lsoa_code").where("lsoa_code", "in", chunk).execute();
    for (const r of lsoas) out.add(r.lsoa_code);
  }
  return out;
}
