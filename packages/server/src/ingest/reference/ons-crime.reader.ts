import { AppError } from "@safecity/core";
import { type CsvTable, cell, cleanLabel, normaliseHeader, parseNumberCell, readTable, rowError } from "./csv.ts";
import { GSS_RE, type ReferenceData, type ReferenceFile } from "./reference-data.ts";

/*
 * ONS "Police recorded crime by Community Safety Partnership area" tables, saved as CSV: C2 counts,
 * C3 % change, C4 rates per 1,000, C5 previous-year counts, P1 by force. The header row is found
 * below any title lines; numbers may read `"31,345 "`; `[x]`, `[u]`, `[c]`, `[z]` give a null value
 * with the marker kept. Area code: the CSP code, else `name:<normalised name>` for named rows
 * without a code ("Unassigned Hampshire" -> `name:unassigned_hampshire`, "Manchester Airport"),
 * else the force code (force total rows; P1 rows without a code are keyed by name too).
 */
const ID_KEYS = new Set(["pfa", "pfaName", "csp", "cspName", "la", "laName", "area", "areaName"]);

/** The latest "year ending <Month> <yyyy>" of the title lines: C3 compares "year ending December 2023 and year ending December 2024". */
export function yearEndingFrom(text: string): string | null {
  const months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
  let latest: string | null = null;
  for (const m of text.slice(0, 2000).matchAll(/year ending (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})/gi)) {
    const ye = `${m[2]}-${String(months.indexOf(m[1]!.toLowerCase()) + 1).padStart(2, "0")}`;
    if (!latest || ye > latest) latest = ye;
  }
  return latest;
}

export function tableNameFrom(text: string): string | null {
  const m = /^"?Table ([A-Z]\d+)\b/.exec(text.slice(0, 200).replace(/^\ufeff/, ""));
  return m ? m[1]! : null;
}

/** Reads a C-table (by CSP) or, with `byForce`, the P1 table (by force). `tableName`/`yearEnding` come from the manifest unless a title line states them. */
export function readOnsCrimeTable(opts: { tableName: string; yearEnding: string; byForce?: boolean }) {
  return (f: ReferenceFile, data: ReferenceData): number => {
    const tableName = tableNameFrom(f.text) ?? opts.tableName;
    const yearEnding = yearEndingFrom(f.text) ?? opts.yearEnding;
    let t: CsvTable<string>;
    if (opts.byForce) {
      t = readTable(f.path, f.text, {
        area: { label: "Area Code", patterns: [/^area_code$/, /^police_force_area_code$/] },
        areaName: { label: "Area Name", patterns: [/^area_name$/, /^police_force_area_name$/] },
      });
    } else {
      t = readTable(f.path, f.text, {
        pfa: { label: "Police Force Area code", patterns: [/^police_force_area_code$/, /^pfa\d{0,2}_?c(ode|d)$/] },
        pfaName: { label: "Police Force Area name", patterns: [/^police_force_area_name$/] },
        csp: { label: "Community Safety Partnership code", patterns: [/^community_safety_partnership_code$/, /^csp\d{0,2}_?c(ode|d)$/] },
        cspName: { label: "Community Safety Partnership name", patterns: [/^community_safety_partnership_name$/] },
        la: { label: "Local Authority code", patterns: [/^local_authority_code$/], required: false },
        laName: { label: "Local Authority name", patterns: [/^local_authority_name$/], required: false },
      });
    }
    const idColumns = new Set(Object.entries(t.columns).filter(([k, v]) => ID_KEYS.has(k) && v >= 0).map(([, v]) => v));
    const valueColumns = t.header.map((h, i) => ({ i, offence: cleanLabel(h) })).filter((c) => !idColumns.has(c.i) && c.offence !== "");
    if (valueColumns.length === 0) {
      throw new AppError("reference.bad_file", `${f.path}: no offence columns after the area columns`, { problems: [{ file: f.path, line: t.headerLine, message: "header has only area columns" }] });
    }
    const seen = new Set<string>();
    let n = 0;
    for (const r of t.records) {
      let areaCode: string;
      let areaName: string;
      if (opts.byForce) {
        areaName = cleanLabel(cell(t, r, "areaName"));
        const code = cell(t, r, "area");
        if (!areaName && !code) continue;
        areaCode = GSS_RE.test(code) ? code : `name:${normaliseHeader(areaName)}`;
      } else {
        const pfa = cell(t, r, "pfa");
        const csp = cell(t, r, "csp");
        const cspName = cleanLabel(cell(t, r, "cspName"));
        if (!GSS_RE.test(pfa)) continue; // footnotes and blank lines below the table
        if (GSS_RE.test(csp)) {
          areaCode = csp;
          areaName = cspName;
        } else if (cspName) {
          // Rows with a name but no CSP code: "Unassigned Hampshire", "Manchester Airport". Keyed by
          // name, not force code: ONS files "Unassigned Gwent" under South Wales's code.
          areaCode = `name:${normaliseHeader(cspName)}`;
          areaName = cspName;
        } else {
          areaCode = pfa;
          areaName = cleanLabel(cell(t, r, "pfaName"));
        }
      }
      if (seen.has(areaCode)) throw rowError(f.path, r.line, "area code", `area \`${areaCode}\` appears twice in this table`);
      seen.add(areaCode);
      for (const c of valueColumns) {
        const parsed = parseNumberCell(r.cells[c.i]);
        if (parsed === "invalid") throw rowError(f.path, r.line, c.offence, `expected a number or an ONS marker like [x]; got \`${r.cells[c.i]}\``);
        data.onsCrime.push({ tableName, yearEnding, areaCode, areaName, offence: c.offence, value: parsed.value, marker: parsed.marker });
      }
      n++;
    }
    return n;
  };
}
