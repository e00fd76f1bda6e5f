/**
 * Golden files for the hotspot analytics: CSV, numbers rounded to 6 dp, rows sorted by id.
 * A mismatch beyond the tolerance writes `<name>-changed.csv` next to the golden (Observable Plot
 * style) so the difference can be read and, if right, promoted by renaming.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";

export const GOLDEN_DIR = new URL("./", import.meta.url);

export function readCsv(name: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(new URL(name, GOLDEN_DIR), "utf8").trimEnd().split("\n");
  const cols = head!.split(",");
  return lines.map((l) => {
    const f = l.split(",");
    return Object.fromEntries(cols.map((c, i) => [c, f[i] ?? ""]));
  });
}

export function fmt(v: number | null): string {
  return v === null ? "NA" : v.toFixed(6);
}

/**
 * Compares rows with the golden file: numeric columns within `tol`, others exactly. Returns the
 * problems found (empty when all agree); writes or removes the `-changed` file accordingly.
 */
export function compareGolden(name: string, rows: Record<string, string>[], tol = 1e-6): string[] {
  const golden = readCsv(name);
  const cols = Object.keys(golden[0] ?? rows[0] ?? {});
  const sorted = [...rows].sort((a, b) => (a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0));
  const problems: string[] = [];
  if (golden.length !== sorted.length) problems.push(`${name}: ${golden.length} rows in the golden, ${sorted.length} computed`);
  for (let i = 0; i < Math.min(golden.length, sorted.length); i++) {
    const g = golden[i]!;
    const r = sorted[i]!;
    for (const c of cols) {
      const a = g[c]!;
      const b = r[c] ?? "";
      const na = Number(a);
      const nb = Number(b);
      const same = a === b || (a !== "" && b !== "" && Number.isFinite(na) && Number.isFinite(nb) && Math.abs(na - nb) <= tol + 1e-12);
      if (!same) problems.push(`${name} row ${i + 2} (${g.id}) ${c}: golden ${a}, computed ${b}`);
    }
  }
  const changed = new URL(name.replace(/\.csv$/, "-changed.csv"), GOLDEN_DIR);
  if (problems.length > 0) {
    writeFileSync(changed, `${[cols.join(","), ...sorted.map((r) => cols.map((c) => r[c] ?? "").join(","))].join("\n")}\n`);
  } else {
    rmSync(changed, { force: true });
  }
  return problems;
}
