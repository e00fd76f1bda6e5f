/**
 * Writes knox-points.csv: the burglaries (x, y in BNG metres; t in days since 1970-01-01) of a small
 * synthetic extract from the server's generator (seed "knox-golden", 4,000 rows, near repeats
 * planted). Run from the repository root: `npx tsx packages/core/test/golden/near-repeat/make-points.ts`,
 * then `Rscript knox.R` in this folder.
 */
import { writeFileSync } from "node:fs";
import { generateLocalIncidents, LOCAL_GENERATE_DEFAULTS } from "../../../../server/src/generate/local-incidents.ts";

const cols = generateLocalIncidents({ ...LOCAL_GENERATE_DEFAULTS, rows: 4000, seed: "knox-golden" });
const lines = ["x,y,t"];
for (let i = 0; i < cols.n; i++) if (cols.category[i] === 2) lines.push(`${cols.x[i]},${cols.y[i]},${cols.day[i]}`);
writeFileSync(new URL("knox-points.csv", import.meta.url), `${lines.join("\n")}\n`);
console.log(`${lines.length - 1} points`);
