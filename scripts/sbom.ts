/**
 * `npm run sbom`: writes the CycloneDX SBOM of the production dependencies (npm's own `npm sbom`)
 * to sbom.cdx.json (or the path given) and checks every component's licence against
 * licence-policy.ts. Exit 1 with one line per offending package when the check fails; CI runs it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { checkLicences, type SbomComponent } from "./licence-policy.ts";

const out = path.resolve(process.argv[2] ?? "sbom.cdx.json");
const json = execFileSync("npm", ["sbom", "--sbom-format", "cyclonedx", "--omit", "dev"], {
  encoding: "utf8",
  maxBuffer: 256 * 1024 * 1024,
});
const sbom = JSON.parse(json) as { components?: SbomComponent[] };
fs.writeFileSync(out, json);
const components = sbom.components ?? [];
const findings = checkLicences(components);
console.log(`SBOM (CycloneDX, production dependencies): ${components.length} components -> ${out}`);
if (findings.length > 0) {
  for (const f of findings) console.error(`licence check: ${f.component}: "${f.licence}" ${f.reason}`);
  console.error(`${findings.length} package(s) need a person to review their licence (scripts/licence-policy.ts lists what is allowed).`);
  process.exit(1);
}
console.log("licence check: every production dependency has an allowed licence");
