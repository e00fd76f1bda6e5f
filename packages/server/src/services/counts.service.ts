import { AppError, CRIME_TYPES, type AreaRef, crimeTypeId, crimeTypeName, findCrimeType, monthRange, parseOtherForces } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { countsByMonthAndType } from "../db/repositories/rollup.repository.ts";
import { areaForces, checkPeriod, decideOtherForces, loadedMonths, otherForcesJson } from "./analysis-scope.ts";
import { resolveArea } from "./area.service.ts";

export interface CountsQuery {
  area: string;
  from?: string;
  to?: string;
  type?: string;
  /** Rows from other forces' files: complete (default), all or none (decision 0022). */
  otherForces?: string;
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
  /** Which other forces' rows were counted or left out (decision 0022). */
  otherForces: ReturnType<typeof otherForcesJson>;
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

  const rule = parseOtherForces(query.otherForces);
  const { home, forceMonths } = await areaForces(store, area.scope);
  if (home.note) notes.push(home.note);
  const principalForce = home.home[0] || null;
  const imported = loadedMonths(home.home, forceMonths);
  const from = query.from ?? imported[0] ?? null;
  const to = query.to ?? imported.at(-1) ?? null;
  const importedSet = new Set(imported);
  const months = from && to ? monthRange(from, to) : [];
  const decision = await decideOtherForces(store, area.scope, rule, home.home, forceMonths, months.filter((m) => importedSet.has(m)));

  const rows = await countsByMonthAndType(store, area.scope, { from: from ?? undefined, to: to ?? undefined, crimeTypeIds: typeIds, excludeForces: decision.excludeForces });
  const byType: Record<string, number> = {};
  for (const id of typeIds ?? CRIME_TYPES.map((_, i) => i + 1)) byType[crimeTypeName(id)] = 0;
  const byMonth: Record<string, number> = {};
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
  notes.push(...decision.notes);
  return { area: area.ref, from, to, total, byType, byMonth, missingMonths, principalForce, otherForces: otherForcesJson(decision), notes };
}
