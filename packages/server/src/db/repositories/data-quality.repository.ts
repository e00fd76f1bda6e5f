import type { ForceMonthCounts, RepeatedCrimeIds } from "@safecity/core";
import { crimeTypeName } from "@safecity/core";
import { sql } from "kysely";
import type { Store } from "../database.ts";

/**
 * What the data quality checks read (decision 0016): per force-month of the current imports, counts by
 * crime type, rows without an LSOA and rows in another force area, all from the roll-up; rows without
 * a location from the import register. Only Crime IDs need the incidents.
 */
export async function forceMonthCounts(store: Store, forces?: readonly string[]): Promise<ForceMonthCounts[]> {
  if (forces && forces.length === 0) return [];
  let byType = store.db
    .selectFrom("rollup as r")
    .innerJoin("import_file as i", "i.id", "r.import_id")
    .select(["i.force_slug as force", "i.month as month", "r.crime_type_id as type", sql<number>`sum(r.n)`.as("n"), sql<number>`sum(case when r.lsoa_code = '' then r.n else 0 end)`.as("no_lsoa")])
    .where("i.status", "=", "imported")
    .where("i.force_slug", "is not", null)
    .where("i.month", "is not", null)
    .groupBy(["i.force_slug", "i.month", "r.crime_type_id"]);
  if (forces) byType = byType.where("i.force_slug", "in", [...forces]);
  let files = store.db
    .selectFrom("import_file")
    .select(["force_slug as force", "month", "rows", "no_location_rows"])
    .where("status", "=", "imported")
    .where("force_slug", "is not", null)
    .where("month", "is not", null);
  if (forces) files = files.where("force_slug", "in", [...forces]);
  const [typeRows, fileRows, areaRows] = await Promise.all([byType.execute(), files.execute(), rowsByPoliceArea(store, forces)]);

  const out = new Map<string, ForceMonthCounts & { byType: Record<string, number> }>();
  const key = (force: string, month: string) => `${force}\u0000${month}`;
  for (const f of fileRows) {
    // One current file per force-month; two would be summed.
    const k = key(f.force!, f.month!);
    const prev = out.get(k);
    out.set(k, {
      force: f.force!,
      month: f.month!,
      byType: prev?.byType ?? {},
      rows: (prev?.rows ?? 0) + Number(f.rows),
      noLocation: (prev?.noLocation ?? 0) + Number(f.no_location_rows),
      noLsoa: 0,
      outsideForce: null,
    });
  }
  for (const r of typeRows) {
    const fm = out.get(key(r.force!, r.month!));
    if (!fm) continue;
    const name = crimeTypeName(Number(r.type));
    fm.byType[name] = (fm.byType[name] ?? 0) + Number(r.n);
    fm.noLsoa += Number(r.no_lsoa);
  }
  // The force's own area is the police force area holding most of its rows; rows in any other are outside.
  const home = new Map<string, { pfa: string; n: number }>();
  const totals = new Map<string, Map<string, number>>();
  for (const a of areaRows) {
    const t = totals.get(a.force) ?? new Map<string, number>();
    t.set(a.pfa, (t.get(a.pfa) ?? 0) + a.n);
    totals.set(a.force, t);
  }
  for (const [force, t] of totals) {
    const [pfa, n] = [...t].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]!;
    home.set(force, { pfa, n });
  }
  for (const a of areaRows) {
    const fm = out.get(key(a.force, a.month));
    if (!fm) continue;
    fm.outsideForce ??= 0;
    if (a.pfa !== home.get(a.force)!.pfa) fm.outsideForce += a.n;
  }
  return [...out.values()].sort((a, b) => a.force.localeCompare(b.force) || a.month.localeCompare(b.month));
}

/** Rows by force, month and the police force area of their LSOA (LSOAs with a known force area only). */
async function rowsByPoliceArea(store: Store, forces?: readonly string[]): Promise<{ force: string; month: string; pfa: string; n: number }[]> {
  let q = store.db
    .selectFrom("rollup as r")
    .innerJoin("import_file as i", "i.id", "r.import_id")
    .innerJoin("lsoa_geo as g", "g.lsoa_code", "r.lsoa_code")
    .select(["i.force_slug as force", "i.month as month", "g.pfa_code as pfa", sql<number>`sum(r.n)`.as("n")])
    .where("i.status", "=", "imported")
    .where("i.force_slug", "is not", null)
    .where("i.month", "is not", null)
    .where("g.pfa_code", "is not", null)
    .groupBy(["i.force_slug", "i.month", "g.pfa_code"]);
  if (forces) q = q.where("i.force_slug", "in", [...forces]);
  const rows = await q.execute();
  return rows.map((r) => ({ force: r.force!, month: r.month!, pfa: r.pfa!, n: Number(r.n) }));
}

/**
 * Crime IDs found in the current files of more than one month of a force, by month: the one check
 * that reads incidents (each current file's rows by their id range, no index needed). `months`
 * limits the files read (and so the cost) to those months.
 */
export async function repeatedCrimeIds(store: Store, forces?: readonly string[], months?: readonly string[], maxExamples = 3): Promise<RepeatedCrimeIds[]> {
  let files = store.db
    .selectFrom("import_file")
    .select(["force_slug as force", "first_incident_id as first", "last_incident_id as last"])
    .where("status", "=", "imported")
    .where("force_slug", "is not", null)
    .where("first_incident_id", "is not", null);
  if (forces) files = files.where("force_slug", "in", [...forces]);
  if (months) files = files.where("month", "in", months.length ? [...months] : [""]);
  const byForce = new Map<string, { first: number; last: number }[]>();
  for (const f of await files.execute()) {
    const list = byForce.get(f.force!) ?? [];
    list.push({ first: Number(f.first), last: Number(f.last) });
    byForce.set(f.force!, list);
  }
  const out: RepeatedCrimeIds[] = [];
  for (const [force, ranges] of [...byForce].sort(([a], [b]) => a.localeCompare(b))) {
    const inRanges = sql.join(
      ranges.map((r) => sql`(i.id between ${r.first} and ${r.last})`),
      sql` or `,
    );
    const idText = store.dialect === "postgres" ? sql`i.crime_id` : sql`case when typeof(i.crime_id) = 'blob' then lower(hex(i.crime_id)) else i.crime_id end`;
    const monthText = store.dialect === "postgres" ? sql`i.month::text` : sql`cast(i.month as text)`;
    const rows = await sql<{ crime_id: string; months: string }>`
      select ${idText} as crime_id, ${store.dialect === "postgres" ? sql`string_agg(distinct ${monthText}, ',')` : sql`group_concat(distinct ${monthText})`} as months
      from incident i
      where i.crime_id is not null and (${inRanges})
      group by i.crime_id
      having count(distinct i.month) > 1`.execute(store.db);
    const byMonth = new Map<string, { ids: number; other: Set<string>; examples: string[] }>();
    for (const r of rows.rows) {
      const months = String(r.months)
        .split(",")
        .map((m) => `${m.slice(0, 4)}-${m.slice(4, 6)}`)
        .sort();
      for (const m of months) {
        const e = byMonth.get(m) ?? { ids: 0, other: new Set<string>(), examples: [] };
        e.ids++;
        for (const o of months) if (o !== m) e.other.add(o);
        if (e.examples.length < maxExamples) e.examples.push(String(r.crime_id));
        byMonth.set(m, e);
      }
    }
    for (const [month, e] of [...byMonth].sort(([a], [b]) => a.localeCompare(b))) {
      out.push({ force, month, ids: e.ids, otherMonths: [...e.other].sort(), examples: e.examples });
    }
  }
  return out;
}

/** Display names of forces by slug, from the force table (`Hampshire Constabulary`). */
export async function forceNames(store: Store): Promise<Record<string, string>> {
  const rows = await store.db.selectFrom("force").select(["slug", "name"]).execute();
  return Object.fromEntries(rows.filter((r) => r.name).map((r) => [r.slug, r.name!]));
}
