/**
 * Reads located rows from a police.uk street-crime archive (zip of `YYYY-MM/*-street.csv`) with
 * `unzip -p`, for goldens and benchmarks only (the product's own reader is in packages/server).
 */
import { execFileSync } from "node:child_process";

export interface PolicePoint {
  lon: number | null;
  lat: number | null;
  month: string;
  lsoaName: string;
  crimeType: string;
}

/** Splits one CSV line, honouring double quotes. */
function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function readPolicePoints(zipPath: string): PolicePoint[] {
  const text = execFileSync("unzip", ["-p", zipPath, "*-street.csv"], { maxBuffer: 1 << 30, encoding: "utf8" });
  const out: PolicePoint[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === "" || line.startsWith("Crime ID,")) continue;
    const f = splitCsv(line);
    const lon = f[4] === "" ? null : Number(f[4]);
    const lat = f[5] === "" ? null : Number(f[5]);
    out.push({ lon, lat, month: f[1]!, lsoaName: f[8] ?? "", crimeType: f[9] ?? "" });
  }
  return out;
}

/** The full Hampshire 2025 archive the goldens were computed from (../shared/data, beside the project). */
export { HAMPSHIRE_2025, needsSharedData } from "../../../../../fixtures/test-data.ts";
