import { formatProblem, isAppError } from "@safecity/core";
import { Command, CommanderError } from "commander";
import { storeDescription } from "../config.ts";
import { type CliContext, createCliContext } from "./context.ts";
import { exitCodeFor } from "./exit-code.ts";
import { registerCommands } from "./commands.ts";

/** Runs the CLI and returns the exit code. Errors are printed once, here, with what to do next. */
export async function main(argv: string[]): Promise<number> {
  // `safecity counts … | head`: a reader that stops early is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  let ctx: CliContext | undefined;
  const program = new Command()
    .name("safecity")
    .description("Safe City: crime and disorder analysis for Community Safety Partnerships")
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program, () => {
    ctx ??= createCliContext();
    return ctx;
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isAppError(e)) {
      process.stderr.write(`error: ${e.message}\n`);
      const shown = e.problems.slice(0, 100);
      for (const p of shown) process.stderr.write(`  ${formatProblem(p)}\n`);
      if (e.problems.length > shown.length) process.stderr.write(`  … and ${e.problems.length - shown.length} more\n`);
      if (e.hint) process.stderr.write(`hint: ${e.hint}\n`);
      // "no such area" in the wrong database is the usual cause: say which one was read
      if (e.code === "area.not_found" && ctx) process.stderr.write(`database: ${storeDescription(ctx.config)}\n`);
      return exitCodeFor(e.code);
    }
    process.stderr.write(`unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  } finally {
    await ctx?.close();
  }
}
