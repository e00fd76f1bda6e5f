import type { Command } from "commander";
import { type LocalScope, localRepeats, type RepeatsResult } from "../services/local-analysis.service.ts";
import { releaseRepeats, suppressionThreshold } from "../services/local-release.ts";
import { textTable } from "./analysis-options.ts";
import { type CliContext, printJson } from "./context.ts";
import { cliActor } from "./incidents.command.ts";

export interface LocalCliOptions {
  dataset?: string;
  area?: string;
  from: string;
  to: string;
  flag?: string;
  offence?: string;
  publishable?: boolean;
  json?: boolean;
}

export function withLocalOptions(cmd: Command): Command {
  return cmd
    .option("--dataset <name>", "the local incident dataset (default: the only one)")
    .option("--area <area>", "an area code or name (its LSOAs; incidents without an LSOA are left out and counted); default: the whole dataset")
    .requiredOption("--from <date>", "first day, YYYY-MM-DD (or YYYY-MM: its first day)")
    .requiredOption("--to <date>", "last day, YYYY-MM-DD (or YYYY-MM: its last day)")
    .option("--flag <flag>", "only incidents with this flag: domestic | alcohol | night-time-economy | hate | vulnerable")
    .option("--offence <type or group>", "only this police.uk crime type or group")
    .option("--publishable", "small counts suppressed (SAFECITY_SUPPRESSION_THRESHOLD, default 5) for output that leaves restricted scope")
    .option("--json", "print JSON");
}

export function scopeText(s: LocalScope): string {
  const filters = [s.flag ? `flag ${s.flag}` : null, s.offence ? `offence ${s.offence}` : null].filter(Boolean).join(", ");
  return `Dataset ${s.dataset}, ${s.area ? `${s.area.name}${s.area.code ? ` (${s.area.code})` : ""}` : "whole dataset"}, ${s.from} to ${s.to}${filters ? `, ${filters}` : ""}\n${
    s.leftOutWithoutLsoa ? `note: ${s.leftOutWithoutLsoa} incidents of the period have no LSOA code and are left out of the area\n` : ""
  }`;
}

const pct = (v: number | null) => (v === null ? "-" : `${(v * 100).toFixed(1)}%`);

/** `safecity repeats`: repeat victimisation measures of a local dataset (restricted; every run audited). */
export function registerRepeatsCommand(program: Command, ctx: () => CliContext): void {
  withLocalOptions(program.command("repeats").description("repeat victimisation in local incident data: incidence, prevalence, concentration, repeats within 12 months, time to repeat, repeat locations"))
    .option("--window <days>", "a repeat is within this many days of the victim's previous incident (default 365, the Marac definition)")
    .action(async (o: LocalCliOptions & { window?: string }) => {
      const c = ctx();
      const r = await localRepeats(await c.store(), { kind: "cli", actor: cliActor(c) }, { ...o, ...(o.window ? { repeatWindowDays: Number(o.window) } : {}) });
      if (o.publishable) {
        const release = releaseRepeats(r.scope, r.measures, suppressionThreshold());
        if (o.json) return printJson(c, release);
        c.out.write(scopeText(r.scope));
        c.out.write(`Small counts (under ${release.threshold}) suppressed: shown as -\n`);
        c.out.write(`incidents ${release.incidents ?? "-"}, victims ${release.victims ?? "-"}, repeat victims ${release.repeatVictims ?? "-"} (${pct(release.repeatVictimShare)})\n`);
        return;
      }
      if (o.json) return printJson(c, r);
      printRepeats(c, r);
    });
}

function printRepeats(c: CliContext, r: RepeatsResult): void {
  const m = r.measures;
  c.out.write(scopeText(r.scope));
  c.out.write(`Restricted: this output holds small counts; use --publishable for anything that leaves the granted users.\n\n`);
  c.out.write(`incidents ${m.incidents} (${m.withoutVictimKey} without a victim identifier)\n`);
  c.out.write(`incidence ${m.incidence.value} [${m.incidence.low.toFixed(1)}, ${m.incidence.high.toFixed(1)}], prevalence ${m.prevalence} victims, concentration ${m.concentration === null ? "-" : m.concentration.toFixed(2)} incidents per victim\n`);
  c.out.write(`repeat incidents ${m.repeatIncidents.count} of ${m.repeatIncidents.total} (${pct(m.repeatIncidents.share)})\n`);
  c.out.write(`victims with a repeat within ${m.repeatWindowDays} days ${m.repeatVictims.count} of ${m.repeatVictims.total} (${pct(m.repeatVictims.share)} [${pct(m.repeatVictims.low)}, ${pct(m.repeatVictims.high)}])\n\n`);
  c.out.write(textTable(["time to repeat", "repeats", "share"], m.timeToRepeat.map((b) => [b.label, b.count, pct(b.share.share)])));
  c.out.write(`\n${textTable(["month", "incidents", "repeats", "repeat share"], m.monthly.map((x) => [x.month, x.incidents, x.repeats, pct(x.repeatShare.share)]))}`);
  if (m.repeatLocations.length) c.out.write(`\n${textTable(["location (pseudonym)", "incidents", "repeats", "share"], m.repeatLocations.map((l) => [l.locationKey.slice(0, 12), l.incidents, l.repeats, pct(l.share.share)]))}`);
}
