// The `safecity` command's bundle: src/cli/main.ts and every @safecity/* workspace module compiled by
// esbuild into one ESM file (npm dependencies stay external), so the command starts without tsx
// transpiling ~200 modules through ESM loader hooks (docs/decisions/0003-cli-bundle.md).
//
// The bundle records a fingerprint of its sources (newest mtime and entry count of every file and
// folder under packages/*/src, plus the package manifests and tsconfig files), taken *before* it is
// built. It is used only while the fingerprint still matches, so an edited, added or deleted source
// file is never run from a stale bundle.
//
// `node packages/server/bin/cli-bundle.js` builds it (the root `prepare` script: npm install / npm ci).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SERVER = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
const ROOT = path.resolve(SERVER, "../..");
// Same depth below packages/ as src/cli/, so `new URL("../../../web/…", import.meta.url)` in bundled
// modules (src/http/assets.ts) still points at packages/web.
export const BUNDLE = path.join(SERVER, "dist/cli/safecity.js");
const STAMP = `${BUNDLE}.stamp`;
const ENTRY = path.join(SERVER, "src/cli/main.ts");
const PACKAGES = ["core", "server", "web"];

/** Newest mtime and number of entries over the bundle's inputs. */
export function sourceFingerprint() {
  let newest = 0;
  let count = 0;
  const note = (p) => {
    const s = fs.statSync(p, { throwIfNoEntry: false });
    if (!s) return null;
    count++;
    if (s.mtimeMs > newest) newest = s.mtimeMs;
    return s;
  };
  const walk = (dir) => {
    if (!note(dir)?.isDirectory()) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else note(p);
    }
  };
  for (const pkg of PACKAGES) {
    walk(path.join(ROOT, "packages", pkg, "src"));
    note(path.join(ROOT, "packages", pkg, "package.json"));
  }
  for (const f of ["tsconfig.json", "tsconfig.base.json", "package.json", "packages/server/bin/cli-bundle.js"]) note(path.join(ROOT, f));
  return `${newest}:${count}`;
}

/** The bundle's path when it exists and was built from the sources as they are now, else null. */
export function freshBundle() {
  let stamp;
  try {
    stamp = fs.readFileSync(STAMP, "utf8");
  } catch {
    return null;
  }
  return stamp === sourceFingerprint() && fs.existsSync(BUNDLE) ? BUNDLE : null;
}

/** Builds the bundle (written to a temporary name, then renamed: concurrent runs never see half a file). */
export async function buildBundle() {
  const fingerprint = sourceFingerprint();
  const esbuild = await import("esbuild");
  const tmp = `${BUNDLE}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(BUNDLE), { recursive: true });
  await esbuild.build({
    entryPoints: [ENTRY],
    outfile: tmp,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "inline",
    sourcesContent: false,
    legalComments: "none",
    logLevel: "error",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    plugins: [
      {
        // npm dependencies (better-sqlite3 is native; the others load fine from node_modules) stay
        // external; the workspace's own packages are compiled in.
        name: "externalise-npm",
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@safecity/") ? undefined : { path: args.path, external: true }));
        },
      },
    ],
  });
  fs.renameSync(tmp, BUNDLE);
  fs.writeFileSync(`${STAMP}.${process.pid}.tmp`, fingerprint);
  fs.renameSync(`${STAMP}.${process.pid}.tmp`, STAMP);
  return BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const started = Date.now();
    await buildBundle();
    console.log(`safecity: built ${path.relative(ROOT, BUNDLE)} in ${Date.now() - started} ms`);
  } catch (e) {
    // Never fail `npm install` over this: the command falls back to running the sources through tsx.
    console.warn(`safecity: CLI bundle not built (${e instanceof Error ? e.message : e}); the command will run through tsx`);
  }
}
