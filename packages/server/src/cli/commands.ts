import type { Command } from "commander";
import type { CliContext } from "./context.ts";
import { registerServeCommand } from "./serve.command.ts";
import { registerUserCommand } from "./user.command.ts";
import { registerCountsCommand } from "./counts.command.ts";
import { registerImportCommand } from "./import.command.ts";
import { registerImportJobCommand } from "./import-job.command.ts";
import { registerGenerateCommand } from "./generate.command.ts";
import { registerReferenceCommand } from "./reference.command.ts";
import { registerTrendsCommand } from "./trends.command.ts";
import { registerSeasonalityCommand } from "./seasonality.command.ts";
import { registerPeersCommand } from "./peers.command.ts";
import { registerHotspotsCommand } from "./hotspots.command.ts";
import { registerEmergingCommand } from "./emerging.command.ts";
import { registerPriorityAreasCommand } from "./priority-areas.command.ts";
import { registerAssessCommand } from "./assess.command.ts";
import { registerPlanCommand } from "./plan.command.ts";
import { registerAuditCommand } from "./audit.command.ts";
import { registerPlanProposeCommand } from "./plan-propose.command.ts";
import { registerIndicatorsCommand } from "./indicators.command.ts";
import { registerGrantsCommand } from "./grants.command.ts";
import { registerDemoCommand } from "./demo.command.ts";
import { registerReportCommand } from "./report.command.ts";

/** One line per command; each command lives in its own file. */
export function registerCommands(program: Command, ctx: () => CliContext): void {
  registerServeCommand(program, ctx);
  registerUserCommand(program, ctx);
  registerImportCommand(program, ctx);
  registerImportJobCommand(program, ctx);
  registerCountsCommand(program, ctx);
  registerGenerateCommand(program, ctx);
  registerReferenceCommand(program, ctx);
  registerTrendsCommand(program, ctx);
  registerSeasonalityCommand(program, ctx);
  registerPeersCommand(program, ctx);
  registerHotspotsCommand(program, ctx);
  registerEmergingCommand(program, ctx);
  registerPriorityAreasCommand(program, ctx);
  registerAssessCommand(program, ctx);
  registerPlanCommand(program, ctx);
  registerAuditCommand(program, ctx);
  registerPlanProposeCommand(program, ctx);
  registerIndicatorsCommand(program, ctx);
  registerGrantsCommand(program, ctx);
  registerDemoCommand(program, ctx);
  registerReportCommand(program, ctx);
  registerPublishCommand(program, ctx);
}
