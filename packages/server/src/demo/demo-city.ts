import type { GenerateParams } from "../generate/plan.ts";
import { Prng, seedFromString } from "../generate/prng.ts";
import { NAME_HEADS, NAME_TAILS } from "../generate/vocabulary.ts";
import { type GeneratedLsoa, type World, type WorldOptions, buildWorld } from "../generate/world.ts";
import { type ReferenceData, emptyReferenceData } from "../ingest/reference/reference-data.ts";
import { demoBoundaries } from "./demo-boundaries.ts";

/**
 * The demo's synthetic city: one generated police force of seven local authorities, "Demo City"
 * the largest, two years of monthly data, and the reference rows (wards, local authorities, CSPs,
 * the police force area, populations, IMD 2025, urban/rural, land area, outlines for the map) that
 * make rates, peers, priority areas and the map work. Everything is deterministic (fixed seed, fixed months).
 *
 * Codes can never clash with real ONS codes nor with `safecity generate`'s (E01100001 upward):
 * the fourth and fifth characters are `90` (E01900001, E05900001, E06900001, E22900001, E23900001),
 * far above any real code of those types.
 */
export const DEMO = {
  seed: "demo-city",
  rows: 90_000,
  months: 24,
  start: "2024-01",
  end: "2025-12",
  force: { name: "Demo City Police (synthetic)", slug: "demo-city-synthetic" },
  pfaName: "Demo City Police area (synthetic)",
  cityName: "Demo City",
  /** The other six local authorities of the force, in the order they are generated. */
  neighbourNames: ["Demo Northbury", "Demo Eastmere", "Demo Westvale", "Demo Southcombe", "Demo Highfield", "Demo Lowbridge"],
  firstLsoaNumber: 900_001,
  /** Populations are Census 2021 (LSOA) and mid-year 2021-2024 (local authority). */
  populationYears: [2021, 2022, 2023, 2024],
  referenceDataset: { name: "demo.synthetic-city", fileName: "safecity demo (synthetic city, not real data)" },
} as const;

const DEMO_CODE_RE = /^E\d\d90\d{4}$/;

/** True for the codes the demo uses (E01900001, E05900001, E06900001, E22900001, E23900001, …). */
export function isDemoAreaCode(code: string): boolean {
  return DEMO_CODE_RE.test(code);
}

/** SQL LIKE pattern matching every demo area code (and no real one). */
export const DEMO_CODE_LIKE = "E__90%";

const code = (prefix: string, n: number) => `${prefix}${String(900_000 + n).padStart(6, "0")}`;

export interface DemoLocalAuthority {
  index: number;
  name: string;
  ladCode: string;
  cspCode: string;
  lsoas: GeneratedLsoa[];
}

export interface DemoCity {
  world: World;
  worldShape: Pick<WorldOptions, "firstLsoaNumber" | "names">;
  pfaCode: string;
  /** Demo City itself (the partnership's area). */
  city: DemoLocalAuthority;
  localAuthorities: DemoLocalAuthority[];
  reference: ReferenceData;
  /** Ward code of each LSOA. */
  wardOf: Map<string, string>;
}

/** Builds the synthetic city; no I/O. */
export function buildDemoCity(): DemoCity {
  const seed = seedFromString(DEMO.seed);
  // The drawn geography does not depend on the names: draw once to find the largest local
  // authority, which becomes Demo City; the others take the neighbour names in order.
  const drawn = buildWorld({ seed, forces: 1, firstLsoaNumber: DEMO.firstLsoaNumber });
  const sizes = drawn.localAuthorityNames.map((_n, i) => drawn.lsoas.filter((l) => l.localAuthority === i).length);
  const cityIndex = sizes.indexOf(Math.max(...sizes));
  const others = [...DEMO.neighbourNames];
  const names = sizes.map((_s, i) => (i === cityIndex ? DEMO.cityName : (others.shift() ?? `Demo Area ${i + 1}`)));
  const worldShape = { firstLsoaNumber: DEMO.firstLsoaNumber, names: { force: DEMO.force, localAuthorities: names } };
  const world = buildWorld({ seed, forces: 1, ...worldShape });

  const pfaCode = code("E23", 1);
  const localAuthorities: DemoLocalAuthority[] = names.map((name, i) => ({
    index: i,
    name,
    ladCode: code("E06", i + 1),
    cspCode: code("E22", i + 1),
    lsoas: world.lsoas.filter((l) => l.localAuthority === i),
  }));
  const { reference, wardOf } = demoReferenceData(localAuthorities, pfaCode, seed);
  const ladOf = new Map(localAuthorities.flatMap((la) => la.lsoas.map((l) => [l.code, { lad: la.ladCode, csp: la.cspCode }] as const)));
  for (const [areaCode, b] of demoBoundaries(world, { wardOf, ladOf, pfaCode })) reference.boundary.set(areaCode, b);
  return { world, worldShape, pfaCode, city: localAuthorities[cityIndex]!, localAuthorities, reference, wardOf };
}

/** The reference rows of the city, as the reference readers would have collected them. */
function demoReferenceData(las: DemoLocalAuthority[], pfaCode: string, seed: number): { reference: ReferenceData; wardOf: Map<string, string> } {
  const rng = new Prng(seed, 7);
  const data = emptyReferenceData();
  const wardOf = new Map<string, string>();
  data.pfa.set(pfaCode, { name: DEMO.pfaName, parent: null });

  // Deprivation follows crime volume loosely: rank LSOAs on weight, then blend in noise.
  const all = las.flatMap((la) => la.lsoas);
  const byWeight = [...all].sort((a, b) => a.weight - b.weight || (a.code < b.code ? -1 : 1));
  const weightRank = new Map(byWeight.map((l, i) => [l.code, (i + 0.5) / byWeight.length]));
  const propensity = new Map(all.map((l) => [l.code, 0.65 * weightRank.get(l.code)! + 0.35 * rng.float()]));
  const byPropensity = [...all].sort((a, b) => propensity.get(a.code)! - propensity.get(b.code)! || (a.code < b.code ? -1 : 1));
  const propensityRank = new Map(byPropensity.map((l, i) => [l.code, i]));
  const NATIONAL_LSOAS = 33_755;

  const usedWardNames = new Set<string>();
  let wardNumber = 1;
  for (const la of las) {
    data.csp.set(la.cspCode, { name: la.name, parent: pfaCode });
    data.lad.set(la.ladCode, { name: la.name, parent: la.cspCode });
    data.ladCsps.set(la.ladCode, [la.cspCode]);

    // Wards: slices of ~7 LSOAs around the local authority's centre, so each is one patch.
    const cx = la.lsoas.reduce((s, l) => s + l.lon, 0) / la.lsoas.length;
    const cy = la.lsoas.reduce((s, l) => s + l.lat, 0) / la.lsoas.length;
    const around = [...la.lsoas].sort((a, b) => Math.atan2(a.lat - cy, a.lon - cx) - Math.atan2(b.lat - cy, b.lon - cx) || (a.code < b.code ? -1 : 1));
    const wards = Math.max(1, Math.round(around.length / 7));
    for (let w = 0; w < wards; w++) {
      const wardCode = code("E05", wardNumber++);
      let wardName: string;
      do wardName = `${rng.pick(NAME_HEADS)}${rng.pick(NAME_TAILS)}`;
      while (usedWardNames.has(wardName));
      usedWardNames.add(wardName);
      data.ward.set(wardCode, { name: wardName, parent: la.ladCode });
      for (const l of around.slice(Math.floor((w * around.length) / wards), Math.floor(((w + 1) * around.length) / wards))) {
        wardOf.set(l.code, wardCode);
        data.lsoa21.set(l.code, { name: l.name, parent: wardCode });
      }
    }

    const isCity = la.name === DEMO.cityName;
    const urbanShare = isCity ? 0.97 : 0.5 + 0.45 * rng.float();
    let km2 = 0;
    let persons = 0;
    let scoreSum = 0;
    for (const l of la.lsoas) {
      const p = 1_250 + rng.int(1_100);
      const urban = rng.float() < urbanShare;
      km2 += urban ? 0.25 + 0.5 * rng.float() : 3 + 12 * rng.float();
      persons += p;
      data.population.set(`${l.code}|2021`, { code: l.code, year: 2021, persons: p, source: "synthetic (demo): Census 2021 usual residents" });
      data.urban.set(l.code, urban);
      // Share of England's LSOAs less deprived than this one: 0.05 .. 0.95.
      const deprived = 0.05 + (0.9 * (propensityRank.get(l.code)! + 0.5)) / byPropensity.length;
      const rank = Math.max(1, Math.round((1 - deprived) * NATIONAL_LSOAS));
      const score = Math.round((3 + 60 * deprived ** 1.6) * 1000) / 1000;
      scoreSum += score * p;
      data.imd.set(l.code, {
        lsoaCode: l.code,
        edition: "2025",
        decile: Math.min(10, Math.floor(((rank - 1) * 10) / NATIONAL_LSOAS) + 1),
        rank,
        score,
        crimeDecile: Math.min(10, Math.max(1, Math.round(10.5 - 10 * deprived + rng.normal()))),
        // No synthetic domains: the demo's priority areas use the published-style IMD, with the note.
        domainRanks: { income: null, employment: null, education: null, health: null, crime: null, barriers: null, environment: null },
        scoreExCrime: null,
        rankExCrime: null,
        decileExCrime: null,
      });
    }
    DEMO.populationYears.forEach((year, i) => {
      const value = i === 0 ? persons : Math.round(persons * 1.006 ** i);
      data.population.set(`${la.ladCode}|${year}`, { code: la.ladCode, year, persons: value, source: `synthetic (demo): mid-${year} estimate` });
    });
    data.ladAreaKm2.set(la.ladCode, Math.round(km2 * 100) / 100);
    data.ladImd2025Score.set(la.ladCode, Math.round((scoreSum / persons) * 1000) / 1000);
  }
  return { reference: data, wardOf };
}

/** The `safecity generate` parameters of the demo's police data. */
export function demoGenerateParams(): Partial<GenerateParams> & { rows: number } {
  return { rows: DEMO.rows, seed: DEMO.seed, months: DEMO.months, start: DEMO.start, forces: 1 };
}
