import { AppError, localAuthorityFromLsoaName } from "@safecity/core";
import type { ReferenceArea, ReferenceLsoaGeo, ReferencePayload } from "../../db/repositories/reference.repository.ts";
import { computeIndicators } from "./indicators.ts";
import type { ReferenceData } from "./reference-data.ts";

/**
 * Turns what the readers collected into the rows to write (minus `datasets`, added by the service).
 * - Areas: PFA, CSP, LAD (2024 lookup) with parents; wards and LSOA 2021 with parents; LSOA 2011
 *   codes that do not exist in 2021 (split/merged/irregular) as vintage-2011 LSOAs whose parent is
 *   their successors' common ward, else their local authority. A LAD split across several CSPs
 *   (Cumberland, Buckinghamshire, ...) has its police force area as parent.
 * - lsoa_geo: one row per LSOA 2021 code and per 2011-only code, denormalised up to the PFA.
 *   A 2011 code takes ward and LAD from its 2021 successors when they agree, otherwise the LAD from
 *   the LSOA 2011 lookups, with no ward. In a split LAD the CSP is the one whose name is the LSOA
 *   name's prefix ("Allerdale 001A"), trying the 2011 names of its predecessors too; else null.
 * - Populations as read, plus CSP = Σ of its LADs for each year in which every LAD has a value and
 *   belongs to that CSP only; for 2021, CSP = Σ of the Census 2021 LSOA populations when every LSOA
 *   of its LADs has a CSP; PFA = Σ of its LADs.
 */
export function buildReferencePayload(data: ReferenceData): Omit<ReferencePayload, "datasets"> {
  const pfaOfLad = (lad: string): string | null => {
    const csps = data.ladCsps.get(lad) ?? [];
    const pfas = [...new Set(csps.map((c) => data.csp.get(c)?.parent ?? null))];
    return pfas.length === 1 ? pfas[0]! : null;
  };

  const areas: ReferenceArea[] = [];
  for (const [code, v] of data.pfa) areas.push({ code, name: v.name, level: "pfa", vintage: "2024", parentCode: null });
  for (const [code, v] of data.csp) areas.push({ code, name: v.name, level: "csp", vintage: "2024", parentCode: v.parent });
  for (const [code, v] of data.lad) areas.push({ code, name: v.name, level: "lad", vintage: "2024", parentCode: v.parent ?? pfaOfLad(code) });
  for (const [code, v] of data.ward) areas.push({ code, name: v.name, level: "ward", vintage: "2024", parentCode: v.parent });
  for (const [code, v] of data.lsoa21) areas.push({ code, name: v.name, level: "lsoa", vintage: "2021", parentCode: v.parent });

  const predecessors = new Map<string, string[]>();
  const successors = new Map<string, string[]>();
  for (const m of data.map11to21) {
    successors.set(m.lsoa11, [...(successors.get(m.lsoa11) ?? []), m.lsoa21]);
    predecessors.set(m.lsoa21, [...(predecessors.get(m.lsoa21) ?? []), m.lsoa11]);
  }
  const common = <T>(values: (T | null | undefined)[]): T | null => (values.length > 0 && values.every((x) => x && x === values[0]) ? (values[0] ?? null) : null);

  /** CSP of an LSOA in a LAD: the LAD's only CSP, or the CSP named like one of the name prefixes. */
  const cspFor = (ladCode: string | null, prefixes: (string | null | undefined)[]): string | null => {
    if (!ladCode) return null;
    const csps = data.ladCsps.get(ladCode) ?? [];
    if (csps.length <= 1) return csps[0] ?? null;
    for (const prefix of prefixes) {
      if (!prefix) continue;
      // "Daventry" matches the CSP "Daventry and South Northamptonshire".
      const named = (c: string) => (data.csp.get(c)?.name ?? "").toLowerCase().split(/,\s*|\s+and\s+/);
      const hit = csps.filter((c) => named(c).includes(prefix.toLowerCase()));
      if (hit.length === 1) return hit[0]!;
    }
    return null;
  };
  const geoFor = (ladCode: string | null, wardCode: string | null, lsoaName: string, olderPrefix: string | null = null): Omit<ReferenceLsoaGeo, "lsoaCode" | "lsoaName" | "vintage"> => {
    const lad = ladCode ? data.lad.get(ladCode) : undefined;
    const ownPrefix = localAuthorityFromLsoaName(lsoaName) ?? null;
    const csp = cspFor(ladCode, [ownPrefix, olderPrefix]);
    const pfa = csp ? (data.csp.get(csp)?.parent ?? null) : ladCode ? pfaOfLad(ladCode) : null;
    return { wardCode, ladCode, ladName: lad?.name ?? ownPrefix ?? "", cspCode: csp, pfaCode: pfa };
  };

  const lsoaGeo: ReferenceLsoaGeo[] = [];
  for (const [code, v] of data.lsoa21) {
    const lad = v.parent ? (data.ward.get(v.parent)?.parent ?? null) : null;
    const older = (predecessors.get(code) ?? []).map((p) => data.lsoa11.get(p)?.name ?? "");
    const olderPrefix = common(older.map((n) => localAuthorityFromLsoaName(n) ?? null));
    lsoaGeo.push({ lsoaCode: code, lsoaName: v.name, vintage: "2021", ...geoFor(lad, v.parent, v.name, olderPrefix) });
  }
  for (const [code, v] of data.lsoa11) {
    if (data.lsoa21.has(code)) continue; // same code in both vintages: the 2021 row stands for it
    const next = successors.get(code) ?? [];
    const ward = common(next.map((s) => data.lsoa21.get(s)?.parent));
    const lad = common(next.map((s) => data.ward.get(data.lsoa21.get(s)?.parent ?? "")?.parent)) ?? v.lad;
    areas.push({ code, name: v.name, level: "lsoa", vintage: "2011", parentCode: ward ?? lad });
    lsoaGeo.push({ lsoaCode: code, lsoaName: v.name, vintage: "2011", ...geoFor(lad, ward, v.name) });
  }

  const population = [...data.population.values()].map((p) => ({ areaCode: p.code, year: p.year, persons: p.persons, source: p.source }));
  const addPopulation = (code: string, year: number, persons: number, source: string) => {
    if (data.population.has(`${code}|${year}`)) return;
    data.population.set(`${code}|${year}`, { code, year, persons, source });
    population.push({ areaCode: code, year, persons, source });
  };
  const ladYears = [...new Set([...data.population.values()].filter((p) => data.lad.has(p.code)).map((p) => p.year))].sort();
  const ladsOf = (parentOf: (lad: string) => string | null) => {
    const parts = new Map<string, string[]>();
    for (const lad of data.lad.keys()) {
      const parent = parentOf(lad);
      if (parent) parts.set(parent, [...(parts.get(parent) ?? []), lad]);
    }
    return parts;
  };
  const exclusiveLads = ladsOf((lad) => data.lad.get(lad)?.parent ?? null);
  const pfaLads = ladsOf(pfaOfLad);
  for (const year of ladYears) {
    for (const [parents, level, what] of [
      [exclusiveLads, "csp", "local authorities"],
      [pfaLads, "pfa", "local authorities"],
    ] as const) {
      for (const [parent, lads] of parents) {
        if (level === "csp" && [...data.ladCsps.entries()].some(([lad, csps]) => csps.includes(parent) && !lads.includes(lad))) continue;
        const values = lads.map((l) => data.population.get(`${l}|${year}`)?.persons);
        if (values.some((x) => x === undefined)) continue;
        addPopulation(parent, year, values.reduce<number>((a, b) => a + (b ?? 0), 0), `sum of ${what} ${year}`);
      }
    }
  }
  // Census 2021: CSP = Σ of its LSOAs, when every LSOA of its LADs has a CSP and a population.
  const cspOfLsoa = new Map<string, string | null>();
  for (const g of lsoaGeo) if (g.vintage === "2021") cspOfLsoa.set(g.lsoaCode, g.cspCode);
  const censusPopulation = new Map<string, number>();
  for (const code of data.lsoa21.keys()) {
    const p = data.population.get(`${code}|2021`);
    if (p) censusPopulation.set(code, p.persons);
  }
  if (censusPopulation.size > 0) {
    const sums = new Map<string, number>();
    const broken = new Set<string>();
    for (const g of lsoaGeo) {
      if (g.vintage !== "2021") continue;
      const csps = g.ladCode ? (data.ladCsps.get(g.ladCode) ?? []) : [];
      const p = censusPopulation.get(g.lsoaCode);
      if (!g.cspCode || p === undefined) for (const c of csps) broken.add(c);
      else sums.set(g.cspCode, (sums.get(g.cspCode) ?? 0) + p);
    }
    for (const [csp, persons] of sums) if (!broken.has(csp)) addPopulation(csp, 2021, persons, "sum of LSOAs (Census 2021)");
  }

  // Two table files claiming the same table and year (e.g. a C2 whose title says another year).
  const onsKeys = new Set<string>();
  for (const r of data.onsCrime) {
    const key = `${r.tableName}|${r.yearEnding}|${r.areaCode}|${r.offence}`;
    if (onsKeys.has(key)) {
      throw new AppError("reference.bad_file", `two ONS crime table files both give table ${r.tableName}, year ending ${r.yearEnding} (area ${r.areaCode}, \`${r.offence}\`)`, {
        hint: "check the title line (`Table C2: … year ending June 2025`) of the files under ons-crime-tables/: each table and year must come from one file",
      });
    }
    onsKeys.add(key);
  }

  return {
    areas,
    lsoaGeo,
    lsoaMap: data.map11to21,
    population,
    imd: [...data.imd.values()],
    boundaries: [...data.boundary].map(([areaCode, b]) => ({ areaCode, level: b.level, geometry: b.geometry })),
    onsCrime: data.onsCrime,
    indicators: computeIndicators(data, censusPopulation, cspOfLsoa),
  };
}
