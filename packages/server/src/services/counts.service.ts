import { AppError, CRIME_TYPES, type AreaRef, crimeTypeId, crimeTypeName, findCrimeType, monthRange } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { countsByMonthAndType, importedMonths, rowsByForce } from "../db/repositories/rollup.repository.ts";
import { checkPeriod } from "./analysis-scope.ts";
import { resolveArea } from "./area.service.ts";

export interface CountsQuery {
  area: string;
  from?: string;
  to?: string;
  type?: string;
}

export interface CountsResult {
  area: AreaRef;
  from: string | null;
  to: string | null;
  total: number;
  byType: Record<string, number>;
  byMonth: Record<string, number>;
  /** Months in the period with no file from the area's principal force: unknown, not zero. */
  missingMonths: string[];
  principalForce: string | null;
  notes: string[];
}

/** Counts for an area from the roll-up: by type, by month, and which months are missing. */
export async function countByArea(store: Store, query: CountsQuery): Promise<CountsResult> {
  await checkPeriod(store, query);
  let typeIds: number[] | undefined;
  if (query.type !== undefined) {
    const type = findCrimeType(query.type);
    if (!type) throw new AppError("input.invalid", `unknown crime type \`${query.type}\``, { hint: `use one of: ${CRIME_TYPES.join(", ")}` });
    typeIds = [crimeTypeId(type)!];
  }
  const area = await resolveArea(store, query.area);
  const notes = area.note ? [area.note] : [];
  if (area.ref.code === null) notes.push("local authority derived from police.uk LSOA names; install reference data for codes and wards");

  const forces = await rowsByForce(store, area.scope);
  const principalForce = forces[0]?.force || null;
  const imported = principalForce ? await importedMonths(store, principalForce) : [];
  const from = query.from ?? imported[0] ?? null;
  const to = query.to ?? imported.at(-1) ?? null;

  const rows = await countsByMonthAndType(store, area.scope, { from: from ?? undefined, to: to ?? undefined, crimeTypeIds: typeIds });
  const byType: Record<string, number> = {};
  for (const id of typeIds ?? CRIME_TYPES.map((_, i) => i + 1)) byType[crimeTypeName(id)] = 0;
  const byMonth: Record<string, number> = {};
  const months = from && to ? monthRange(from, to) : [];
  const importedSet = new Set(imported);
  const missingMonths = months.filter((m) => !importedSet.has(m));
  for (const m of months) if (importedSet.has(m)) byMonth[m] = 0;
  let total = 0;
  for (const r of rows) {
    total += r.n;
    byType[crimeTypeName(r.crimeTypeId)] = (byType[crimeTypeName(r.crimeTypeId)] ?? 0) + r.n;
    byMonth[r.month] = (byMonth[r.month] ?? 0) + r.n;
  }
  if (!principalForce) notes.push("no police data has been imported for this area yet");
  if (missingMonths.length) notes.push(`${missingMonths.length} month(s) have no ${principalForce} file: their counts are unknown, not zero`);
  return { area: area.ref, from, to, total, byType, byMonth, missingMonths, principalForce, notes };
}
