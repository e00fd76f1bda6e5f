import fs from "node:fs";
import path from "node:path";
import proj4 from "proj4";
import writeXlsxFile from "write-excel-file/node";
import yazl from "yazl";
import { parseCsv } from "../../src/ingest/reference/csv.ts";
import { type Ring, writeShapefile } from "./shapefile-writer.ts";
import { FIXTURE_REFERENCE_DIR } from "./shared-data.ts";

/*
 * Builds, from the committed fixture mirror (fixtures/reference), the same data as the publishers
 * ship it: lookups under the portal's names, ONS workbooks (.xlsx with title rows and notes
 * sheets), Nomis bulk zips (an entry per geography level, `; measures: Value` headers) and LSOA
 * boundaries as a zipped shapefile in British National Grid. Every value is the fixture's.
 */

const fixture = (rel: string) => fs.readFileSync(path.join(FIXTURE_REFERENCE_DIR, rel), "utf8");
const rowsOf = (text: string) => parseCsv(text).map((r) => r.cells);

/** A CSV cell as a spreadsheet cell: numbers (also `"31,345 "`) as numbers, blanks empty, the rest text. */
function xlCell(s: string): string | number | null {
  const t = s.trim();
  if (t === "") return null;
  if (/^-?[\d,]*\.?\d+(E[-+]?\d+)?$/i.test(t) && !/^0\d/.test(t)) return Number(t.replace(/,/g, ""));
  return s;
}

export async function workbook(sheets: { sheet: string; rows: string[][] }[]): Promise<Buffer> {
  const data = sheets.map((s) => ({ sheet: s.sheet, data: s.rows.map((r) => r.map(xlCell)) }));
  return (await writeXlsxFile(data as never, {}).toBuffer()) as Buffer;
}

export function zip(entries: { name: string; data: Buffer | string }[]): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const e of entries) z.addBuffer(Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, "utf8"), e.name);
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on("data", (c: Buffer) => chunks.push(c));
    z.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    z.outputStream.on("error", reject);
  });
}

const csv = (rows: (string | number)[][]) => `${rows.map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : c)).join(",")).join("\r\n")}\r\n`;

const NOTE_ROW = ["This worksheet contains one table. Some cells refer to notes which can be found on the notes worksheet."];
const CRIME_TITLES: Record<string, string> = {
  C2: "Table C2: Number of police recorded crimes for headline offences by Community Safety Partnership area, England and Wales, year ending December 2024 [note 1][note 2][note 3]",
  C3: "Table C3: Percentage change between recorded crimes for headline offences, by Community Safety Partnership area, England and Wales, for year ending December 2023 and year ending December 2024 [note 1][note 5]",
  C4: "Table C4:  Recorded crime rate per 1,000 population/households for headline offences, by Community Safety Partnership area, England and Wales, year ending December 2024 [note 1][note 6][note 7][note 8]",
  C5: "Table C5:  Number of police recorded crimes for headline offences by Community Safety Partnership area, England and Wales, year ending December 2023 [note 1][note 2][note 3]",
  P1: "Table P1:  Police recorded crime by offence group and police force area, England and Wales, number of offences, year ending December 2024 [note 1]",
};

/** The ONS "Police force area data tables" workbook of YE Dec 2024, from the fixture's CSV copies of its tables. */
export function crimeWorkbook(): Promise<Buffer> {
  const table = (t: string) => ({ sheet: `Table ${t}`, rows: [[CRIME_TITLES[t]!], NOTE_ROW, ...rowsOf(fixture(`ons-crime-tables/policeforceareatablesyedecember2024_Table${t}.csv`))] });
  const p2 = { sheet: "Table P2", rows: [["Table P2:  Police recorded crime by offence group and police force area, percentage change, year ending December 2024 compared with year ending December 2023"], ...rowsOf(fixture("ons-crime-tables/policeforceareatablesyedecember2024_TableP1.csv"))] };
  return workbook([{ sheet: "Cover_sheet", rows: [["Police force area data tables - year ending December 2024"], ["Information", "Useful links"]] }, table("P1"), p2, table("C2"), table("C3"), table("C4"), table("C5")]);
}

/** Nomis bulk layout (`date,geography,geography code,<category>; measures: Value`) of a fixture Census table, with a country-level entry beside the LSOA one. */
async function nomisZip(table: string): Promise<Buffer> {
  const text = fixture(`population/census2021-${table}-lsoa.csv`);
  let lsoa: (string | number)[][];
  if (text.startsWith("date,")) {
    const [header, ...rows] = rowsOf(text).filter((r) => r.some((c) => c !== ""));
    lsoa = [header!.map((h, i) => (i >= 3 ? `${h}; measures: Value` : h)), ...rows];
  } else {
    // Nomis extract (title lines, `E01011954 : Hartlepool 001A`): the first value column is the count.
    const rows = rowsOf(text).filter((r) => /^[EW]01\d{6} : /.test(r[0] ?? ""));
    const category = table === "ts021" ? "Ethnic group: Total: All usual residents" : "Household composition: Single family household: Lone parent family";
    lsoa = [["date", "geography", "geography code", `${category}; measures: Value`], ...rows.map((r) => [2021, r[0]!.split(" : ")[1]!, r[0]!.split(" : ")[0]!, r[1]!.replace(/,/g, "")])];
  }
  const ctry = [lsoa[0]!, [2021, "England", "E92000001", ...lsoa[0]!.slice(3).map(() => 1)]];
  return zip([
    { name: `census2021-${table}-ctry.csv`, data: csv(ctry) },
    { name: `census2021-${table}-lsoa.csv`, data: csv(lsoa) },
  ]);
}

const BNG = "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs";
export const BNG_PRJ =
  'PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936",SPHEROID["Airy_1849",6377563.396,299.3249646]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",400000.0],PARAMETER["False_Northing",-100000.0],PARAMETER["Central_Meridian",-2.0],PARAMETER["Scale_Factor",0.9996012717],PARAMETER["Latitude_Of_Origin",49.0],UNIT["Meter",1.0]]';

/** A GeoJSON file of the fixture as the portal's zipped shapefile in British National Grid (codes renamed to LSOA21CD / LSOA21NM). */
export async function bngShapefileZip(rel: string, codeProp: string, nameProp: string, stem: string): Promise<Buffer> {
  const doc = JSON.parse(fixture(rel)) as { features: { properties: Record<string, string>; geometry: { type: string; coordinates: unknown } }[] };
  const toBng = proj4("WGS84", BNG);
  const records = doc.features.map((f) => {
    const polys = (f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates) as [number, number][][][];
    return {
      polygons: polys.map((p) => p.map((ring) => ring.map((pt) => toBng.forward([pt[0], pt[1]]) as [number, number]) as Ring)),
      attributes: { LSOA21CD: f.properties[codeProp]!, LSOA21NM: f.properties[nameProp]! },
    };
  });
  const shp = writeShapefile(records, ["LSOA21CD", "LSOA21NM"]);
  return zip([
    { name: `${stem}.shp`, data: shp.shp },
    { name: `${stem}.shx`, data: shp.shx },
    { name: `${stem}.dbf`, data: shp.dbf },
    { name: `${stem}.prj`, data: BNG_PRJ },
    { name: `${stem}.cpg`, data: "UTF-8" },
  ]);
}

function put(dir: string, name: string, data: Buffer | string): void {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), data);
}

/**
 * Writes the fixture's data in the publishers' formats into `dir`, under the file names of
 * official-sources.json (so the folder can also play the official sources over HTTP). With
 * `shapefile`, the LSOA 2021 boundaries are a BNG shapefile zip instead of GeoJSON, and the
 * files no official source lists (mid-2019/2020 populations, ward and LSOA 2011 boundaries) are added.
 */
export async function writePublisherFolder(dir: string, opts: { shapefile: boolean }): Promise<void> {
  put(dir, "LAD24_CSP24_PFA24_EW_LU.csv", fixture("geography/lookup_ltla24_csp24_pfa24.csv"));
  put(dir, "LSOA21_WD24_LAD24_EW_LU.csv", fixture("geography/lookup_lsoa21_ward24_ltla24.csv"));
  put(dir, "LSOA11_LSOA21_LAD22_EW_LU.csv", fixture("geography/lookup_lsoa11_lsoa21_ltla22.csv"));
  put(dir, "LSOA11_LAD21_EW_LU.csv", fixture("geography/lookup_lsoa11_ltla21.csv"));
  put(dir, "RUC21_LSOA21_EW.csv", fixture("geography/ruc21_lsoa21.csv"));
  const mye5 = rowsOf(fixture("population/mye22final_MYE5_density.csv"));
  const mye4 = rowsOf(fixture("population/mye22final_MYE4_summary_mid2011_and_mid2022.csv"));
  // MYE2 Males has the MYE2 persons columns: it must never be taken for the population.
  const males = [["Code", "Name", "Geography", "All ages"], ...mye5.slice(1).map((r) => [r[0]!, r[1]!, r[2]!, "1"])];
  put(
    dir,
    "mye22final.xlsx",
    await workbook([
      { sheet: "Cover sheet", rows: [["Population estimates for the UK, mid-2022"]] },
      { sheet: "MYE2 - Males", rows: [["Mid-2022 population estimates by single year of age: males"], ...males] },
      { sheet: "MYE4", rows: [["MYE4: Population estimates: Summary for the UK, mid-1971 to mid-2022"], ["Source: Office for National Statistics"], ...mye4] },
      { sheet: "MYE5", rows: [["MYE5: Population estimates: Population density for the local authorities in the UK, mid-2011 and mid-2022"], ...mye5] },
    ]),
  );
  for (const t of ["ts021", "ts003", "ts045", "ts062", "ts067"]) put(dir, `census2021-${t}.zip`, await nomisZip(t));
  put(dir, "File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv", fixture("imd/imd2025_england_lsoa21.csv"));
  put(dir, "File_10_IoD2025_Local_Authority_District_Summaries_lower-tier.xlsx", await workbook([{ sheet: "IMD", rows: rowsOf(fixture("imd/imd2025_england_ltla24.csv")) }]));
  put(dir, "File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv", fixture("imd/imd2019_england_lsoa11.csv"));
  put(dir, "File_1_ID_2015_Index_of_Multiple_Deprivation.xlsx", await workbook([{ sheet: "Notes", rows: [["English Indices of Deprivation 2015"]] }, { sheet: "IMD 2015", rows: rowsOf(fixture("imd/imd2015_england_lsoa11.csv")) }]));
  put(dir, "policeforceareatablesyedecember2024.xlsx", await crimeWorkbook());
  put(dir, "policeforceareatablesyejune25final.xlsx", await workbook([{ sheet: "Table C2", rows: rowsOf(fixture("ons-crime-tables/policeforceareatablesyejune25final.csv")) }]));
  put(dir, "LAD_DEC_2024_UK_BUC.geojson", fixture("boundaries/boundaries_ltla24.geojson"));
  put(dir, "PFA_DEC_2023_EW_BUC.geojson", fixture("boundaries/Police_Force_Areas.geojson"));
  if (!opts.shapefile) {
    put(dir, "LSOA_2021_EW_BGC.geojson", fixture("boundaries/boundaries_lsoa21_hampshire_pfa.geojson"));
    return;
  }
  put(dir, "LSOA_2021_EW_BSC_V4.zip", await bngShapefileZip("boundaries/boundaries_lsoa21_hampshire_pfa.geojson", "lsoa21_code", "lsoa21_name", "LSOA_2021_EW_BSC_V4"));
  put(dir, "downloads/WD_DEC_2022_UK_BGC.geojson", fixture("boundaries/boundaries_wards22_hampshire_pfa.geojson"));
  put(dir, "downloads/LSOA_2011_EW_BGC.geojson", fixture("boundaries/boundaries_lsoa11_hampshire_pfa.geojson"));
  put(dir, "downloads/ukpopestimatesmid2020on2021geography.csv", fixture("population/population20_ltla21.csv"));
  put(dir, "downloads/ukpopestimatesmid2019on2020geography.csv", fixture("population/population19_ltla20.csv"));
  put(dir, "downloads/README.txt", "notes are left alone");
}
