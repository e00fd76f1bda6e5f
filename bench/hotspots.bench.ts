/**
 * Hotspot benchmark: `npx tsx bench/hotspots.bench.ts` (a measurement, not a timed test).
 *
 *   options: --cell-size N (square grid for the Gi* runs, default 500)  --runs N (default 7)  --skip-r
 *
 * 1. Gi* on the Hampshire force area, 2025 (real police.uk rows whose LSOA lies in one of the force's
 *    local authorities): points -> BNG square cells -> Gi* z, p, BH FDR, classes. Timed in-process
 *    (median of warm runs, and the first cold run), as "points -> classes" and "cells -> classes".
 * 2. The same cells in R (spdep): cell2nb (queen) + nb2listw(include.self, style "B") + localG + p +
 *    p.adjust("BH"), timed inside R with proc.time(); R start-up, library loading and reading the CSV
 *    are excluded. R's z is compared with ours (max |difference|).
 * 3. Gi* on an H3 grid (resolution 8) of the same points, and the quartic KDE on the square grid (TypeScript only).
 * 4. Emerging hot spots on a generated cube, 5,000 square cells x 36 months (seeded, deterministic).
 * Prints a table with targets and ratios and the machine (cores, CPU model).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gridH3 } from "../packages/core/src/analytics/hotspot/grid-h3.ts";
import { gridSquare } from "../packages/core/src/analytics/hotspot/grid-square.ts";
import { hotspotEmerging } from "../packages/core/src/analytics/hotspot/hotspot-emerging.ts";
import { hotspotGiStar } from "../packages/core/src/analytics/hotspot/hotspot-gi-star.ts";
import { hotspotKde } from "../packages/core/src/analytics/hotspot/hotspot-kde.ts";
import { HAMPSHIRE_2025, readPolicePoints } from "../packages/core/test/golden/hotspot/police-points.ts";

const ROOT = path.resolve(new URL("..", import.meta.url).pathname);
const LOOKUP = path.resolve(ROOT, "../shared/data/reference/geography/lookup_ltla24_csp24_pfa24.csv");
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const CELL = opt("--cell-size", 500);
const RUNS = opt("--runs", 7);
const SKIP_R = args.includes("--skip-r");
const TARGET = { giStarMs: 200, emergingMs: 1000, rRatio: 10, permutationMs: 2000 };

function timeIt<T>(fn: () => T, runs = RUNS): { first: number; median: number; value: T } {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = fn();
    times.push(performance.now() - t0);
  }
  const warm = times.slice(1).sort((a, b) => a - b);
  return { first: times[0]!, median: warm.length ? warm[Math.floor(warm.length / 2)]! : times[0]!, value };
}

// --- Hampshire force area points ---------------------------------------------------------------
const las = new Set(
  fs
    .readFileSync(LOOKUP, "utf8")
    .split("\n")
    .map((l) => l.split(",").map((f) => f.replace(/^"|"$/g, "")))
    .filter((f) => f[5] === "Hampshire")
    .map((f) => f[1]!),
);
const all = readPolicePoints(HAMPSHIRE_2025);
const points = all.filter((p) => las.has(p.lsoaName.replace(/ \d{3}[A-Z]$/, "")));
console.log(`Hampshire 2025: ${all.length} rows, ${points.length} in the force area's ${las.size} local authorities`);

const pipeline = timeIt(() => hotspotGiStar(gridSquare(points, { cellSize: CELL })));
const grid = gridSquare(points, { cellSize: CELL });
const cellsOnly = timeIt(() => hotspotGiStar(grid));
const result = pipeline.value;
console.log(
  `square ${CELL} m: ${grid.cells.length} cells (${grid.extent.columns} x ${grid.extent.rows}), ${grid.cells.filter((c) => c.count > 0).length} non-empty; classes ${JSON.stringify(result.summary)}`,
);

const h3 = timeIt(() => hotspotGiStar(gridH3(points, { resolution: 8 })));
console.log(`H3 r8: ${h3.value.cells.length} cells; classes ${JSON.stringify(h3.value.summary)}`);

const kde = timeIt(() => hotspotKde(points, { cellSize: CELL }), Math.min(RUNS, 3));
console.log(`KDE: ${kde.value.params.bandwidth} m bandwidth (${kde.value.params.bandwidthSource})`);

// --- R spdep on the same cells ---------------------------------------------------------------------
interface RTimes {
  nb: number;
  listw: number;
  localG: number;
  pFdr: number;
  total: number;
  maxDiff: number;
}
function runR(): RTimes | string {
  try {
    execFileSync("Rscript", ["--version"], { stdio: "ignore" });
  } catch {
    return "R is not installed (Rscript not found)";
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safecity-hotspots-"));
  try {
    const input = path.join(dir, "cells.csv");
    fs.writeFileSync(input, `id,easting,northing,count\n${grid.cells.map((c) => `${c.id},${c.id.replace("_", ",")},${c.count}`).join("\n")}\n`);
    const script = path.join(dir, "gistar.R");
    fs.writeFileSync(
      script,
      `suppressPackageStartupMessages(library(spdep))
a <- commandArgs(TRUE)
d <- read.csv(a[1], colClasses = c("character", "numeric", "numeric", "numeric"))
xs <- sort(unique(d$easting)); ys <- sort(unique(d$northing))
ord <- (match(d$northing, ys) - 1) * length(xs) + match(d$easting, xs)
x <- numeric(nrow(d)); x[ord] <- d$count
t0 <- proc.time()[["elapsed"]]
nb <- cell2nb(length(ys), length(xs), type = "queen")
t1 <- proc.time()[["elapsed"]]
lw <- nb2listw(include.self(nb), style = "B")
t2 <- proc.time()[["elapsed"]]
z <- as.numeric(localG(x, lw))
t3 <- proc.time()[["elapsed"]]
p <- 2 * pnorm(-abs(z)); padj <- p.adjust(p, method = "BH")
cls <- ifelse(padj < 0.1, ifelse(z > 0, "hot", "cold"), "none")
t4 <- proc.time()[["elapsed"]]
writeLines(sprintf("%.17g", z[ord]), a[2])
cat(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0, "\\n")
`,
    );
    const zfile = path.join(dir, "z.txt");
    const out = execFileSync("Rscript", [script, input, zfile], { encoding: "utf8", maxBuffer: 1 << 26 });
    const [nb, listw, localG, pFdr, total] = out.trim().split(/\s+/).map((s) => Number(s) * 1000);
    const zr = fs.readFileSync(zfile, "utf8").trim().split("\n").map(Number);
    let maxDiff = 0;
    cellsOnly.value.cells.forEach((c, i) => {
      if (c.z !== null) maxDiff = Math.max(maxDiff, Math.abs(c.z - zr[i]!));
    });
    return { nb: nb!, listw: listw!, localG: localG!, pFdr: pFdr!, total: total!, maxDiff };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const r = SKIP_R ? "skipped (--skip-r)" : runR();

// --- Emerging hot spots on a generated cube ------------------------------------------------------------
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function poisson(rand: () => number, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}
const rand = mulberry32(20251127);
const COLS = 100;
const ROWS = 50;
const STEPS = 36;
const centres = Array.from({ length: 12 }, () => ({ c: rand() * COLS, r: rand() * ROWS, peak: 2 + rand() * 8, growth: rand() * 2 - 1 }));
const cube = {
  kind: "square" as const,
  cellSize: 500,
  steps: Array.from({ length: STEPS }, (_, t) => `${2023 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`),
  cells: Array.from({ length: COLS * ROWS }, (_, k) => {
    const c = k % COLS;
    const rr = Math.floor(k / COLS);
    return {
      id: `${400000 + c * 500}_${100000 + rr * 500}`,
      counts: Array.from({ length: STEPS }, (_, t) => {
        let lambda = 0.3;
        for (const h of centres) lambda += h.peak * (1 + (h.growth * t) / STEPS) * Math.exp(-((c - h.c) ** 2 + (rr - h.r) ** 2) / 8);
        return poisson(rand, Math.max(0, lambda));
      }),
    };
  }),
};
const emerging = timeIt(() => hotspotEmerging(cube), Math.min(RUNS, 5));
const cats = Object.entries(emerging.value.summary).filter(([, v]) => v > 0);

// --- Gi* with 999 conditional permutations on 5,000 cells (the generated cube's counts summed) ------
const permGrid = { kind: "square" as const, cellSize: 500, cells: cube.cells.map((c) => ({ id: c.id, count: c.counts.reduce((a, b) => a + b, 0) })) };
const permutation = timeIt(() => hotspotGiStar(permGrid, { inference: "permutation", permutations: 999 }), Math.min(RUNS, 5));

// --- Report --------------------------------------------------------------------------------------
const ms = (v: number) => `${v.toFixed(1)} ms`;
const rows: string[][] = [
  ["Gi*, points -> classes (TS)", `${points.length} pts, ${grid.cells.length} cells`, ms(pipeline.median), ms(pipeline.first), `<= ${TARGET.giStarMs} ms`, pipeline.median <= TARGET.giStarMs ? "met" : "missed"],
  ["Gi*, cells -> classes (TS)", `${grid.cells.length} cells`, ms(cellsOnly.median), ms(cellsOnly.first), "", ""],
];
if (typeof r === "string") rows.push(["Gi*, cells -> classes (R spdep)", r, "", "", "", ""]);
else {
  const vsCells = r.total / cellsOnly.median;
  const vsPoints = r.total / pipeline.median;
  rows.push(
    ["  R cell2nb (queen)", "", ms(r.nb), "", "", ""],
    ["  R nb2listw(include.self, B)", "", ms(r.listw), "", "", ""],
    ["  R localG", "", ms(r.localG), "", "", ""],
    ["  R p + p.adjust(BH) + classes", "", ms(r.pFdr), "", "", ""],
    ["Gi*, cells -> classes (R spdep, total)", `${grid.cells.length} cells`, ms(r.total), "", "", ""],
    ["ratio R / TS (cells -> classes)", "", `${vsCells.toFixed(1)}x`, "", `>= ${TARGET.rRatio}x`, vsCells >= TARGET.rRatio ? "met" : "missed"],
    ["ratio R cells / TS points -> classes", "", `${vsPoints.toFixed(1)}x`, "", `>= ${TARGET.rRatio}x`, vsPoints >= TARGET.rRatio ? "met" : "missed"],
    ["max |z TS − z R|", "", r.maxDiff.toExponential(2), "", "<= 1e-6", r.maxDiff <= 1e-6 ? "met" : "missed"],
  );
}
rows.push(
  ["Gi*, points -> classes, H3 r8 (TS)", `${h3.value.cells.length} cells`, ms(h3.median), ms(h3.first), "", ""],
  ["KDE, points -> densities (TS)", `${kde.value.cells.length} cells, r ${kde.value.params.bandwidth} m`, ms(kde.median), ms(kde.first), "", ""],
  ["Emerging, 5,000 cells x 36 months (TS)", `${COLS * ROWS * STEPS} bins`, ms(emerging.median), ms(emerging.first), `<= ${TARGET.emergingMs} ms`, emerging.median <= TARGET.emergingMs ? "met" : "missed"],
  ["Gi*, 999 permutations (TS)", `${permGrid.cells.length} cells`, ms(permutation.median), ms(permutation.first), `<= ${TARGET.permutationMs} ms`, permutation.median <= TARGET.permutationMs ? "met" : "missed"],
);
const head = ["measure", "size", "median (warm)", "first run", "target", ""];
const width = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i]!)).join(" | ")} |`;
console.log();
console.log(`machine: ${os.availableParallelism()} cores (nproc), ${os.cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}; ${RUNS} runs, median of the warm ones`);
console.log(line(head));
console.log(line(width.map((w) => "-".repeat(w))));
for (const row of rows) console.log(line(row));
console.log(`\nemerging categories on the generated cube: ${cats.map(([k, v]) => `${k} ${v}`).join(", ")}`);
