import type { Command } from "commander";
import type { CliContext } from "./context.ts";

/** One line per command; each command lives in its own file. */
export function registerCommands(program: Command, ctx: () => CliContext): void {
  void program;
  void ctx;
}
