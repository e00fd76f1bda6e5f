import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of the Safe City checkout or install this code runs from: the nearest folder above
 * this file whose package.json is the workspace root (`"name": "safecity"` with workspaces). The
 * same from src/ (tsx) and from the CLI bundle in dist/. Null when run from elsewhere (then the
 * working folder is used).
 */
export function projectRoot(from = path.dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from, i = 0; i < 8; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    try {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; workspaces?: unknown };
      if (pkg.name === "safecity" && pkg.workspaces) return dir;
    } catch {
      // no package.json here (or not JSON): keep going up
    }
    if (path.dirname(dir) === dir) break;
  }
  return null;
}
