import { type IodDomain, DOMAINS_WITHOUT_CRIME, IOD_DOMAINS, completeRanking, deprivationWithoutCrime } from "@safecity/core";
import { cell, numberAt, readTable } from "./csv.ts";
import { LSOA11_CODE, LSOA21_CODE } from "./geography.reader.ts";
import { GSS_RE, type ImdValue, type ReferenceData, type ReferenceFile } from "./reference-data.ts";

const LSOA_ANY = [...LSOA21_CODE, ...LSOA11_CODE];
/* IMD columns: `IMD_decile` (mirror), `Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)` (official). */
export const IMD_DECILE = [/^imd_decile$/, /^index_of_multiple_deprivation_imd_decile/];
export const IMD_RANK = [/^imd_rank$/, /^index_of_multiple_deprivation_imd_rank/];
export const IMD_SCORE = [/^imd_score$/, /^index_of_multiple_deprivation_imd_score$/];
const CRIME_DECILE = [/^crime_decile$/, /^crime_decile_where/];
/*
 * Published national domain ranks (1 = most deprived): the mirror's `Income_rank` ...
 * `Housing_and_Services_rank` (2025) / `Housing_and_Access_rank` (2019 mirror), and the official
 * IoD2019 File_2's `Income Rank (where 1 is most deprived)`, `Education, Skills and Training Rank
 * (...)`, `Barriers to Housing and Services Rank (...)`, `Living Environment Rank (...)`.
 */
const DOMAIN_RANK: Record<IodDomain, RegExp[]> = {
  income: [/^income_(domain_)?rank($|_where)/],
  employment: [/^employment_(domain_)?rank($|_where)/],
  education: [/^education(_skills_and_training)?_(domain_)?rank($|_where)/],
  health: [/^health(_deprivation_and_disability)?_(domain_)?rank($|_where)/],
  crime: [/^crime_(domain_)?rank($|_where)/],
  barriers: [/^(barriers_to_)?housing_and_(services|access)_(domain_)?rank($|_where)/],
  environment: [/^(living_)?environment_(domain_)?rank($|_where)/],
};

/**
 * English Indices of Deprivation by LSOA (2025 on LSOA 2021; 2019 and 2015 on LSOA 2011): IMD
 * decile, rank, score where published, the Crime domain decile, and the seven domain ranks where
 * published. Reads the mirror's tidy files and the official IoD2019 File_1/File_2 (BOM, `"29,199"`).
 *
 * The IMD without its Crime domain (decision 0023, core `deprivationWithoutCrime`) is computed here
 * over the file's rows when they are the whole national ranking of the six other domains (ranks
 * 1..N of N rows); a subset (the test fixture) cannot give national ranks, so its ex-crime columns
 * stay null and the priority areas fall back to the published IMD, saying so.
 */
export function readImd(edition: string) {
  return (f: ReferenceFile, data: ReferenceData): number => {
    const t = readTable(f.path, f.text, {
      lsoa: { label: "LSOA code (`lsoa21_code` / `LSOA code (2011)`)", patterns: LSOA_ANY },
      decile: { label: "IMD decile", patterns: IMD_DECILE, required: false },
      rank: { label: "IMD rank", patterns: IMD_RANK, required: false },
      score: { label: "IMD score", patterns: IMD_SCORE, required: false },
      crime: { label: "Crime decile", patterns: CRIME_DECILE, required: false },
      ...domainRankColumns(),
    });
    if (t.columns.decile < 0 && t.columns.rank < 0 && t.columns.score < 0) {
      // At least one measure is needed; report it like any other missing column.
      readTable(f.path, f.text, { lsoa: { label: "LSOA code", patterns: LSOA_ANY }, any: { label: "IMD decile, rank or score", patterns: [...IMD_DECILE, ...IMD_RANK, ...IMD_SCORE] } });
    }
    const values: ImdValue[] = [];
    for (const r of t.records) {
      const code = cell(t, r, "lsoa");
      if (!GSS_RE.test(code)) continue;
      const domainRanks = Object.fromEntries(IOD_DOMAINS.map((d) => [d, numberAt(t, r, `rank_${d}`)])) as Record<IodDomain, number | null>;
      const v: ImdValue = {
        lsoaCode: code,
        edition,
        decile: numberAt(t, r, "decile"),
        rank: numberAt(t, r, "rank"),
        score: numberAt(t, r, "score"),
        crimeDecile: numberAt(t, r, "crime"),
        domainRanks,
        scoreExCrime: null,
        rankExCrime: null,
        decileExCrime: null,
      };
      data.imd.set(`${code}|${edition}`, v);
      values.push(v);
    }
    addImdWithoutCrime(values);
    return values.length;
  };
}

function domainRankColumns(): Record<`rank_${IodDomain}`, { label: string; patterns: RegExp[]; required: false }> {
  return Object.fromEntries(IOD_DOMAINS.map((d) => [`rank_${d}`, { label: `${d} domain rank`, patterns: DOMAIN_RANK[d], required: false }])) as Record<
    `rank_${IodDomain}`,
    { label: string; patterns: RegExp[]; required: false }
  >;
}

/**
 * Fills the ex-crime score, national rank and decile when `values` are one whole national ranking
 * of the six non-crime domains; otherwise leaves them null (a subset cannot give national ranks).
 * Returns whether they were computed.
 */
export function addImdWithoutCrime(values: ImdValue[]): boolean {
  const rows = values.map((v) => ({ code: v.lsoaCode, ranks: v.domainRanks }));
  if (rows.length === 0 || completeRanking(rows, DOMAINS_WITHOUT_CRIME) !== null) return false;
  const out = deprivationWithoutCrime(rows);
  out.forEach((x, i) => {
    const v = values[i]!;
    v.scoreExCrime = x.score;
    v.rankExCrime = x.rank;
    v.decileExCrime = x.decile;
  });
  return true;
}

/** `imd2025_england_ltla24.csv`: local-authority summary; the average score feeds the area indicators. */
export function readImdLadSummary(f: ReferenceFile, data: ReferenceData): number {
  const t = readTable(f.path, f.text, {
    lad: { label: "LAD code (`ltla24_code` / `LAD24CD`)", patterns: [/^(lad|ltla)\d{2}_?c(ode|d)$/, /^local_authority_district_code/] },
    score: { label: "IMD average score (`imd_average_score` / `IMD - Average score`)", patterns: [/^imd_average_score$/, /^imd_2025_average_score$/, /^imd_average_score_/] },
  });
  let n = 0;
  for (const r of t.records) {
    const code = cell(t, r, "lad");
    const v = numberAt(t, r, "score");
    if (!GSS_RE.test(code) || v === null) continue;
    data.ladImd2025Score.set(code, v);
    n++;
  }
  return n;
}
