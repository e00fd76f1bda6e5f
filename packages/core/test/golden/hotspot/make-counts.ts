/**
 * Regenerates the cell-count inputs of the hotspot goldens from real police.uk data
 * (../shared/data/police/hampshire-2025.zip, Southampton rows: LSOA name "Southampton ...").
 * Run from the repo root: `npx tsx packages/core/test/golden/hotspot/make-counts.ts`,
 * then `Rscript packages/core/test/golden/hotspot/gi-star.R` and `.../emerging.R`.
 */
import { writeFileSync } from "node:fs";
import { cellToLatLng } from "h3-js";
import { toBng } from "../../../src/analytics/hotspot/bng.ts";
import { gridCube } from "../../../src/analytics/hotspot/grid-cube.ts";
import { gridH3 } from "../../../src/analytics/hotspot/grid-h3.ts";
import { gridSquare } from "../../../src/analytics/hotspot/grid-square.ts";
import { parseSquareId } from "../../../src/analytics/hotspot/neighbours.ts";
import { HAMPSHIRE_2025, readPolicePoints } from "./police-points.ts";

const here = new URL("./", import.meta.url);
const southampton = readPolicePoints(HAMPSHIRE_2025).filter((p) => p.lsoaName.startsWith("Southampton "));

function write(name: string, lines: string[]): void {
  writeFileSync(new URL(name, here), `${lines.join("\n")}\n`);
  console.log(`${name}: ${lines.length - 1} rows`);
}

const square = gridSquare(southampton, { cellSize: 250 });
write("square-southampton-250m.counts.csv", [
  "id,easting,northing,count",
  ...square.cells.map((c) => `${c.id},${parseSquareId(c.id).join(",")},${c.count}`),
]);

const h3 = gridH3(southampton, { resolution: 9 });
write("h3-southampton-r9.counts.csv", [
  "id,easting,northing,count",
  ...h3.cells.map((c) => {
    const [lat, lon] = cellToLatLng(c.id);
    const [e, n] = toBng(lon, lat);
    return `${c.id},${e.toFixed(2)},${n.toFixed(2)},${c.count}`;
  }),
]);

const cube = gridCube(
  southampton.map((p) => ({ lon: p.lon, lat: p.lat, step: p.month })),
  { cellSize: 500 },
);
write("cube-southampton-500m.counts.csv", [
  `id,easting,northing,${cube.steps.join(",")}`,
  ...cube.cells.map((c) => `${c.id},${parseSquareId(c.id).join(",")},${c.counts.join(",")}`),
]);

const cubeH3 = gridCube(
  southampton.map((p) => ({ lon: p.lon, lat: p.lat, step: p.month })),
  { grid: "h3", resolution: 8 },
);
write("cube-southampton-h3r8.counts.csv", [
  `id,easting,northing,${cubeH3.steps.join(",")}`,
  ...cubeH3.cells.map((c) => {
    const [lat, lon] = cellToLatLng(c.id);
    const [e, n] = toBng(lon, lat);
    return `${c.id},${e.toFixed(2)},${n.toFixed(2)},${c.counts.join(",")}`;
  }),
]);
