import fs from "node:fs";
import path from "node:path";
import { type Recognised, recognise } from "./recognise.ts";
import type { ReferenceFile } from "./reference-data.ts";
import { shapefileToGeoJson } from "./shapefile.ts";
import { fileFromBytes, sha256Of } from "./source.ts";
import { readWorkbookSheets } from "./xlsx.ts";
import { readZipEntries } from "./zip-entries.ts";

/*
 * A folder of the publishers' own files, as downloaded: CSV (also `.csv.gz`), `.xlsx` workbooks
 * (every sheet is a candidate table), zips (Nomis bulk census tables; zipped shapefiles), GeoJSON
 * and shapefiles. Each candidate table is recognised by its columns (recognise.ts); files named in
 * the mirror layout are left to the mirror manifest. The sha256 recorded is the file's as stored
 * (the workbook's or zip's, for a sheet or an entry).
 */

export interface FoundDataset extends Recognised {
  file: ReferenceFile;
  /** The file on disk, relative to the folder (the workbook or zip of a sheet or entry). */
  source: string;
}

export interface FolderScan {
  found: FoundDataset[];
  /** Files (or sheets, entries) read but not recognised, with why. */
  ignored: { file: string; why: string }[];
}

const TABLE_EXT = /\.(csv|csv\.gz)$/i;
const GEOJSON_EXT = /\.(geo)?json$/i;

function walk(root: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".")) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    const isDir = e.isDirectory() || (e.isSymbolicLink() && fs.statSync(path.join(root, r)).isDirectory());
    if (isDir) out.push(...walk(root, r));
    else out.push(r);
  }
  return out;
}

type Candidate = { file: ReferenceFile; sheet?: string };

/** The shapefiles in a set of named buffers (`x.shp` with `x.dbf`, `x.prj`, `x.cpg`), as GeoJSON candidates. */
async function shapefiles(label: string, files: Map<string, Buffer>, sha256: string): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const [name, shp] of files) {
    if (!/\.shp$/i.test(name)) continue;
    const stem = name.slice(0, -4);
    const part = (ext: string) => [...files].find(([n]) => n.toLowerCase() === `${stem}.${ext}`.toLowerCase())?.[1];
    const where = label === name ? name : `${label}!${name}`;
    const text = await shapefileToGeoJson({ shp, dbf: part("dbf"), prj: part("prj")?.toString("utf8"), cpg: part("cpg")?.toString("utf8") }, where);
    out.push({ file: { path: where, text, sha256 } });
  }
  return out;
}

async function candidatesOf(root: string, rel: string, raw: Buffer): Promise<Candidate[]> {
  const sha256 = sha256Of(raw);
  if (TABLE_EXT.test(rel) || GEOJSON_EXT.test(rel)) return [{ file: fileFromBytes(rel, raw) }];
  if (/\.xlsx$/i.test(rel)) return (await readWorkbookSheets(raw, rel)).map((s) => ({ file: { path: `${rel} [${s.sheet}]`, text: s.text, sha256 }, sheet: s.sheet }));
  if (/\.zip$/i.test(rel)) {
    const entries = await readZipEntries(raw, rel, (n) => !/(^|\/)(__MACOSX|\.)/.test(n));
    const out: Candidate[] = [];
    for (const e of entries) {
      const label = `${rel}!${e.name}`;
      if (TABLE_EXT.test(e.name) || GEOJSON_EXT.test(e.name)) out.push({ file: fileFromBytes(label, e.bytes, sha256) });
      else if (/\.xlsx$/i.test(e.name)) out.push(...(await readWorkbookSheets(e.bytes, label)).map((s) => ({ file: { path: `${label} [${s.sheet}]`, text: s.text, sha256 }, sheet: s.sheet })));
    }
    out.push(...(await shapefiles(rel, new Map(entries.map((e) => [e.name, e.bytes])), sha256)));
    return out;
  }
  if (/\.shp$/i.test(rel)) {
    const dir = path.dirname(path.join(root, rel));
    const stem = path.basename(rel).slice(0, -4).toLowerCase();
    const siblings = new Map<string, Buffer>();
    for (const n of fs.readdirSync(dir)) if (n.toLowerCase().startsWith(`${stem}.`)) siblings.set(n, fs.readFileSync(path.join(dir, n)));
    return shapefiles(rel, siblings, sha256);
  }
  return [];
}

/** Reads and recognises every file of `root` except `skip` (mirror paths handled elsewhere). */
export async function scanPublisherFolder(root: string, skip: ReadonlySet<string>): Promise<FolderScan> {
  const found: FoundDataset[] = [];
  const ignored: FolderScan["ignored"] = [];
  for (const rel of walk(root)) {
    if (skip.has(rel) || /\.(dbf|prj|cpg|shx|sbn|sbx|xml|qmd|md|pdf|txt|json\.meta)$/i.test(rel)) continue;
    const candidates = await candidatesOf(root, rel, fs.readFileSync(path.join(root, rel)));
    if (candidates.length === 0) {
      ignored.push({ file: rel, why: "not a format Safe City reads (CSV, .xlsx, .zip, GeoJSON, shapefile)" });
      continue;
    }
    let any = false;
    const whys: string[] = [];
    for (const c of candidates) {
      const r = recognise(c.file, c.sheet);
      if ("ok" in r) {
        found.push({ ...r.ok, file: c.file, source: rel });
        any = true;
      } else if (!c.sheet) whys.push(`${c.file.path}: ${r.ignored}`);
    }
    if (!any && whys.length === 0) ignored.push({ file: rel, why: "no sheet of the workbook was recognised" });
    for (const w of whys) ignored.push({ file: rel, why: w });
  }
  return { found, ignored };
}
