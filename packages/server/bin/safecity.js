#!/usr/bin/env node
// The `safecity` command. Runs the esbuild bundle of src/cli/main.ts when it was built from the
// sources as they are now (rebuilding it first when a source changed), else the TypeScript sources
// through tsx. SAFECITY_CLI_BUNDLE=0 always uses tsx. See docs/decisions/0003-cli-bundle.md.
import { buildBundle, freshBundle } from "./cli-bundle.js";

async function loadMain() {
  if (process.env.SAFECITY_CLI_BUNDLE !== "0") {
    try {
      const bundle = freshBundle() ?? (await buildBundle());
      // Stack traces name the TypeScript sources (the bundle carries an inline source map).
      process.setSourceMapsEnabled(true);
      return (await import(bundle)).main;
    } catch {
      // No esbuild, a read-only install or a source that does not compile: tsx reports it properly.
    }
  }
  const { register } = await import("tsx/esm/api");
  register();
  return (await import("../src/cli/main.ts")).main;
}

const main = await loadMain();
process.exitCode = await main(process.argv);
