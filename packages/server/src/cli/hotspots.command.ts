import { canonicalJson } from "@safecity/core";
import type { Command } from "commander";
import { scopeJson } from "../services/analysis-scope.ts";
import { assessHotspots, type HotspotsResult } from "../services/hotspots.service.ts";
import { type AnalysisOptions, analysisQuery, fmtCount, fmtNum, type HotspotMethodFlags, hotspotMethodQuery, scopeLine, textTable, withAnalysisOptions, withHotspotMethodOptions } from "./analysis-options.ts";
import type { CliContext } from "./context.ts";

export function registerHotspotsCommand(program: Command, ctx: () => CliContext): void {
  withHotspotMethodOptions(withAnalysisOptions(program.command("hotspots").description("Getis-Ord Gi* hotspots (or KDE) on a square or H3 grid")))
    .option("--grid <grid>", "h3:<resolution> or square:<metres> (default square, size chosen automatically)")
    .option("--method <method>", "gistar | kde (default gistar)")
    .action(async (opts: AnalysisOptions & HotspotMethodFlags & { grid?: string; method?: string }) => {
      const c = ctx();
      const r = await assessHotspots(await c.store(), { ...analysisQuery(opts), ...hotspotMethodQuery(opts), ...(opts.grid ? { grid: opts.grid } : {}), ...(opts.method ? { method: opts.method } : {}) });
      if (opts.json) c.out.write(canonicalJson(hotspotsJson(r)));
      else printHotspots(c, r);
    });
}

/** Every cell as `{ id, count, z, p, pAdjusted, class }` (Gi*) or `{ id, count, density }` (KDE), plus the parameters used. */
export function hotspotsJson(r: HotspotsResult) {
  const res = r.gistar ?? r.kde!;
  return {
    scope: scopeJson(r.scope),
    method: r.method,
    params: { ...r.params, analysis: res.params },
    points: res.points ?? null,
    summary: r.gistar?.summary ?? null,
    cells: r.gistar ? r.gistar.cells.map((c) => ({ id: c.id, count: c.count, z: c.z, p: c.p, pAdjusted: c.pAdjusted, class: c.class })) : r.kde!.cells,
    lsoas: r.lsoas,
    notes: r.notes,
  };
}

function printHotspots(c: CliContext, r: HotspotsResult): void {
  c.out.write(scopeLine(r.scope));
  if (r.gistar) {
    const g = r.gistar;
    c.out.write(`Gi* on ${g.kind === "square" ? `${g.cellSize} m squares` : `H3 resolution ${g.resolution}`}: ${fmtCount(g.cells.length)} cells, ${fmtCount(g.points?.counted)} incidents\n`);
    c.out.write(`p-values: ${g.params.inference === "permutation" ? `${g.params.permutations} conditional permutations (seed ${g.params.seed})` : "normal approximation"}, FDR; grid ${r.params.clippedTo ? `clipped to ${r.params.clippedTo}` : "not clipped"}\n`);
    c.out.write(`${Object.entries(g.summary).map(([k, v]) => `${k} ${v}`).join(", ")}\n\n`);
    const hot = g.cells.filter((x) => x.class !== "none").sort((a, b) => (b.z ?? 0) - (a.z ?? 0));
    c.out.write(textTable(["cell", "count", "z", "p (FDR)", "class"], hot.slice(0, 25).map((x) => [x.id, fmtCount(x.count), fmtNum(x.z, 2), fmtNum(x.pAdjusted, 4), x.class])));
    if (hot.length > 25) c.out.write(`… and ${hot.length - 25} more hot or cold cells (use --json for all)\n`);
    const lsoas = r.lsoas.filter((l) => l.hotspot);
    c.out.write(`\nhotspot LSOAs (${lsoas.length}): ${lsoas.map((l) => l.code).join(", ")}\n`);
  } else {
    const k = r.kde!;
    c.out.write(`KDE, bandwidth ${k.params.bandwidth} m, ${fmtCount(k.cells.length)} cells\n\n`);
    const top = [...k.cells].sort((a, b) => b.density - a.density || (a.id < b.id ? -1 : 1)).slice(0, 25);
    c.out.write(textTable(["cell", "count", "per km²"], top.map((x) => [x.id, fmtCount(x.count), fmtNum(x.density, 1)])));
  }
  for (const n of r.notes) c.out.write(`note: ${n}\n`);
}
