import { AppError, type AreaLevel, levelFromCode } from "@safecity/core";
import { GSS_RE, type ReferenceData, type ReferenceFile } from "./reference-data.ts";

/* The code property varies by release: `LSOA21CD`, `lsoa21_code`, `LAD24CD`, `ltla24_code`, `PFA20CD`, `ward22_code`. */
const CODE_PROP = /^(lsoa|msoa|lad|ltla|utla|ward|wd|csp|pfa)\d{2}_?c(ode|d)$/i;

interface Feature {
  properties?: Record<string, unknown> | null;
  geometry?: unknown;
}

/**
 * GeoJSON boundaries (WGS84), one row per feature keyed by its code property. A code already
 * supplied by an earlier file in the manifest is kept (LSOA 2021 before LSOA 2011, since both
 * vintages share most codes). Returns the number of features read.
 */
export function readBoundaries(f: ReferenceFile, data: ReferenceData): number {
  let doc: { type?: string; features?: Feature[] };
  try {
    doc = JSON.parse(f.text);
  } catch (e) {
    throw new AppError("reference.bad_file", `${f.path}: not valid GeoJSON (${(e as Error).message})`, {
      problems: [{ file: f.path, message: (e as Error).message }],
      hint: "download the boundary file again as GeoJSON from the ONS Open Geography Portal",
    });
  }
  if (doc.type !== "FeatureCollection" || !Array.isArray(doc.features)) {
    throw new AppError("reference.bad_file", `${f.path}: expected a GeoJSON FeatureCollection`, { problems: [{ file: f.path, message: "no `features` array" }] });
  }
  const first = doc.features[0]?.properties ?? {};
  const prop = Object.keys(first).find((k) => CODE_PROP.test(k));
  if (!prop) {
    throw new AppError("reference.bad_file", `${f.path}: no area code property (like LSOA21CD, LAD24CD, PFA20CD, lsoa21_code) on its features`, {
      problems: [{ file: f.path, field: "properties", message: `properties are: ${Object.keys(first).join(", ")}` }],
      hint: "use an ONS boundary file; its features carry the area code",
    });
  }
  // The level follows the property (`ltla24_code` -> lad), so Scottish and Northern Irish codes
  // (S12…, N09…) in a UK-wide file are kept at the right level; codes of another shape are errors.
  const kind = /^[a-z]+/i.exec(prop)![0].toLowerCase();
  const level: AreaLevel | undefined = ({ lsoa: "lsoa", lad: "lad", ltla: "lad", ward: "ward", wd: "ward", csp: "csp", pfa: "pfa" } as Record<string, AreaLevel>)[kind];
  let n = 0;
  doc.features.forEach((feat, i) => {
    const code = String(feat.properties?.[prop] ?? "").trim();
    if (!GSS_RE.test(code)) {
      throw new AppError("reference.bad_file", `${f.path}: feature ${i + 1} has \`${prop}\` = \`${code}\`, not an ONS area code`, {
        problems: [{ file: f.path, line: i + 1, field: prop, message: `not an ONS area code: \`${code}\`` }],
      });
    }
    if (!feat.geometry || !level) return;
    n++;
    if (!data.boundary.has(code)) data.boundary.set(code, { level: levelFromCode(code) ?? level, geometry: JSON.stringify(feat.geometry) });
  });
  return n;
}
