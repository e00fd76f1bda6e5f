import { type Assessment, canonicalJson } from "@safecity/core";
import type { Command } from "commander";
import { assessArea } from "../services/assessment.service.ts";
import { type AnalysisOptions, analysisQuery, type EmergingMethodFlags, emergingMethodQuery, type HotspotMethodFlags, hotspotMethodQuery, withAnalysisOptions, withEmergingMethodOptions, withHotspotMethodOptions } from "./analysis-options.ts";
import type { CliContext } from "./context.ts";
import { type PeerMethodFlags, peerOptions, withPeerMethodOptions } from "./peers.command.ts";
import { PRIORITY_DEPRIVATION_HELP, PRIORITY_RATES_HELP, priorityDeprivationQuery, priorityRatesQuery } from "./priority-areas.command.ts";

export function registerAssessCommand(program: Command, ctx: () => CliContext): void {
  withEmergingMethodOptions(withHotspotMethodOptions(withPeerMethodOptions(withAnalysisOptions(program.command("assess").description("the Strategic Assessment: every analysis for an area and period in one document")))))
    .option("--peers <codes>", "comma-separated codes of the peer group (default: the group saved on the Peers page, else a computed similarity group)")
    .option("--k <n>", "size of a computed peer group, target included (default 15)")
    .option("--period <period>", "trend period: month | quarter | financialYear | calendarYear (default quarter)")
    .option("--grid <grid>", "hotspot grid: h3:<resolution> or square:<metres> (default square, automatic size)")
    .option("--step <step>", "emerging hot spot step: month | quarter (default month)")
    .option("--top <n>", "priority areas listed (default 10)")
    .option("--deprivation <measure>", PRIORITY_DEPRIVATION_HELP)
    .option("--rates <rates>", PRIORITY_RATES_HELP)
    .action(async (opts: AnalysisOptions & PeerMethodFlags & HotspotMethodFlags & EmergingMethodFlags & { peers?: string; k?: string; period?: string; grid?: string; step?: string; top?: string; rates?: string; deprivation?: string }) => {
      const c = ctx();
      const doc = await assessArea(await c.store(), {
        ...analysisQuery(opts),
        ...peerOptions(opts),
        ...hotspotMethodQuery(opts),
        ...emergingMethodQuery(opts),
        ...(opts.period ? { period: opts.period } : {}),
        ...(opts.grid ? { grid: opts.grid } : {}),
        ...(opts.step ? { step: opts.step } : {}),
        ...(opts.top ? { top: Number(opts.top) } : {}),
        ...priorityDeprivationQuery(opts),
        ...priorityRatesQuery(opts),
      });
      if (opts.json) c.out.write(canonicalJson(doc));
      else printAssessment(c, doc);
    });
}

function printAssessment(c: CliContext, d: Assessment): void {
  c.out.write(`Strategic Assessment: ${d.area.name} (${d.area.level}${d.area.code ? ` ${d.area.code}` : ""}), ${d.period.from} to ${d.period.to}\n`);
  if (d.vintage.missingMonths.length) c.out.write(`missing months (unknown, not zero): ${d.vintage.missingMonths.join(", ")}\n`);
  c.out.write("\nKey messages\n");
  for (const m of d.keyMessages.messages) c.out.write(`  - ${m.text}\n`);
  c.out.write("\nSections\n");
  for (const k of ["trends", "seasonality", "peers", "hotspots", "emerging", "concentration", "priorityAreas"] as const) {
    const s = d[k];
    c.out.write(`  ${k.padEnd(14)} ${s.status}${s.message ? `: ${s.message}` : ""}\n`);
  }
  c.out.write(`\n${d.attribution}\n(full document: --json)\n`);
}
