import { cell, numberAt, readTable } from "./csv.ts";
import { LSOA11_CODE, LSOA21_CODE } from "./geography.reader.ts";
import { GSS_RE, type ReferenceData, type ReferenceFile } from "./reference-data.ts";

const LSOA_ANY = [...LSOA21_CODE, ...LSOA11_CODE];
/* IMD columns: `IMD_decile` (mirror), `Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)` (official). */
export const IMD_DECILE = [/^imd_decile$/, /^index_of_multiple_deprivation_imd_decile/];
export const IMD_RANK = [/^imd_rank$/, /^index_of_multiple_deprivation_imd_rank/];
export const IMD_SCORE = [/^imd_score$/, /^index_of_multiple_deprivation_imd_score$/];
const CRIME_DECILE = [/^crime_decile$/, /^crime_decile_where/];

/**
 * English Indices of Deprivation by LSOA (2025 on LSOA 2021; 2019 and 2015 on LSOA 2011): IMD
 * decile, rank, score where published, and the Crime domain decile. Reads the mirror's tidy files
 * and the official IoD2019 File_1/File_2 (BOM, `"29,199"`).
 */
export function readImd(edition: string) {
  return (f: ReferenceFile, data: ReferenceData): number => {
    const t = readTable(f.path, f.text, {
      lsoa: { label: "LSOA code (`lsoa21_code` / `LSOA code (2011)`)", patterns: LSOA_ANY },
      decile: { label: "IMD decile", patterns: IMD_DECILE, required: false },
      rank: { label: "IMD rank", patterns: IMD_RANK, required: false },
      score: { label: "IMD score", patterns: IMD_SCORE, required: false },
      crime: { label: "Crime decile", patterns: CRIME_DECILE, required: false },
    });
    if (t.columns.decile < 0 && t.columns.rank < 0 && t.columns.score < 0) {
      // At least one measure is needed; report it like any other missing column.
      readTable(f.path, f.text, { lsoa: { label: "LSOA code", patterns: LSOA_ANY }, any: { label: "IMD decile, rank or score", patterns: [...IMD_DECILE, ...IMD_RANK, ...IMD_SCORE] } });
    }
    let n = 0;
    for (const r of t.records) {
      const code = cell(t, r, "lsoa");
      if (!GSS_RE.test(code)) continue;
      data.imd.set(`${code}|${edition}`, {
        lsoaCode: code,
        edition,
        decile: numberAt(t, r, "decile"),
        rank: numberAt(t, r, "rank"),
        score: numberAt(t, r, "score"),
        crimeDecile: numberAt(t, r, "crime"),
      });
      n++;
    }
    return n;
  };
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
