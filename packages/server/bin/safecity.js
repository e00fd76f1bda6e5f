#!/usr/bin/env node
// The `safecity` command. Runs the TypeScript sources through tsx: no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv);
