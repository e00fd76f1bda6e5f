import os from "node:os";
import path from "node:path";
import { type Indicator, formatValue } from "@safecity/core";
import type { Command } from "commander";
import { badIndicatorFileError, importIndicatorFile } from "../services/indicator-import.service.ts";
import { STANDARD_INDICATORS, defineIndicator, indicatorSeries, listIndicators, requireIndicator } from "../services/indicator.service.ts";
import type { Actor } from "../services/audit.ts";
import { type CliContext, printJson } from "./context.ts";

function cliActor(c: CliContext): Actor {
  return { label: `cli:${c.config.user || os.userInfo().username}`, ip: null };
}

interface DefineOptions {
  key: string;
  name: string;
  unit: string;
  polarity: string;
  periodType: string;
  ragRule?: string;
  tolerance?: string;
  area?: string;
  crime?: string;
  measure?: string;
  json?: boolean;
}

export function registerIndicatorsCommand(program: Command, ctx: () => CliContext): void {
  const indicators = program.command("indicators").description("the Partnership Plan's indicators: imported series and series derived from the police data");

  indicators
    .command("import")
    .description("import indicator values from a CSV file with the columns indicator,area,period,value (the whole file or nothing)")
    .argument("<file.csv>", "one row per value, e.g. asb-reports,E06000045,2025-04,431")
    .option("--json", "print a machine-readable report")
    .action(async (file: string, o: { json?: boolean }) => {
      const c = ctx();
      const report = await importIndicatorFile(await c.store(), file, { actor: cliActor(c), now: new Date(), label: path.basename(file) });
      if (o.json) printJson(c, report);
      if (report.errors.length) throw badIndicatorFileError(report);
      if (o.json) return;
      c.out.write(`${report.file}: ${report.imported} imported, ${report.replaced} replaced, ${report.unchanged} unchanged\n`);
      for (const r of report.replacements) c.out.write(`  replaced ${r.indicator} ${r.area} ${r.period}: ${formatValue(r.from)} -> ${formatValue(r.to)}\n`);
    });

  indicators
    .command("list")
    .description("list the indicators: key, unit, polarity, period type and source")
    .option("--json", "print a machine-readable list")
    .action(async (o: { json?: boolean }) => {
      const c = ctx();
      const stored = await listIndicators(await c.store());
      const builtIn = STANDARD_INDICATORS.filter((s) => !stored.some((i) => i.key === s.key)).map((s) => ({ ...s, id: null, stored: false }));
      const all = [...stored.map((i) => ({ ...i, stored: true })), ...builtIn];
      if (o.json) {
        printJson(c, all);
        return;
      }
      const width = Math.max(10, ...all.map((i) => i.key.length));
      for (const i of all) {
        const source = i.source === "derived" && i.derived ? `derived: ${i.derived.crime}, ${i.derived.measure} in ${i.derived.areaCode}` : i.stored ? "imported" : "imported (built in; no values yet)";
        c.out.write(`${i.key.padEnd(width)}  ${i.unit.padEnd(13)}  ${i.polarity.padEnd(16)}  ${i.periodType.padEnd(14)}  ${source}${i.demo ? " [demo]" : ""}\n`);
        c.out.write(`${"".padEnd(width)}  ${i.name}\n`);
      }
    });

  indicators
    .command("show")
    .description("an indicator's series for an area: stored values, or computed now from the roll-up for a derived indicator")
    .argument("<key>", "indicator key, e.g. asb-reports")
    .option("--area <code>", "area code (required for imported indicators; a derived indicator defaults to its own area)")
    .option("--json", "print JSON")
    .action(async (key: string, o: { area?: string; json?: boolean }) => {
      const c = ctx();
      const store = await c.store();
      const series = await indicatorSeries(store, await requireIndicator(store, key), o.area);
      if (o.json) {
        printJson(c, series);
        return;
      }
      const i = series.indicator;
      c.out.write(`${i.name} (${i.key}): ${i.unit}, ${i.polarity.replace(/_/g, " ")}, by ${i.periodType.replace("_", " ")}; ${series.area.name}${series.area.code && series.area.code !== series.area.name ? ` ${series.area.code}` : ""}\n\n`);
      for (const v of series.values) c.out.write(`  ${v.period.padEnd(8)}  ${formatValue(v.value).padStart(10)}\n`);
      for (const l of series.leftOut) c.out.write(`  ${l.period.padEnd(8)}  ${"-".padStart(10)}  left out: ${l.reason}\n`);
      for (const n of series.notes) c.out.write(`note: ${n}\n`);
    });

  indicators
    .command("define")
    .description("define an indicator: an imported series, or one derived from the police data (--area, --crime, --measure)")
    .requiredOption("--key <key>", "lower-case key used in import files, e.g. violence-rate")
    .requiredOption("--name <name>", "what it measures, in words")
    .requiredOption("--unit <unit>", "count | rate_per_1000 | percent | rank | number")
    .requiredOption("--polarity <polarity>", "lower_is_better | higher_is_better")
    .requiredOption("--period-type <type>", "month | quarter | financial_year")
    .option("--rag-rule <rule>", "default | strict (default: default)")
    .option("--tolerance <percent>", "tolerance in percent of the target (default 5)")
    .option("--area <code|name>", "derived: the area (a code or a name, as --area elsewhere)")
    .option("--crime <type or group>", "derived: a police.uk crime type or group, e.g. \"Violence and sexual offences\"")
    .option("--measure <measure>", "derived: count | rate_per_1000 | msg_rank")
    .option("--json", "print JSON")
    .action(async (o: DefineOptions) => {
      const c = ctx();
      const derived = o.area !== undefined || o.crime !== undefined || o.measure !== undefined ? { areaCode: o.area ?? "", crime: o.crime ?? "", measure: o.measure ?? "" } : null;
      const indicator: Indicator = await defineIndicator(
        await c.store(),
        {
          key: o.key,
          name: o.name,
          unit: o.unit,
          polarity: o.polarity,
          periodType: o.periodType,
          ragRule: o.ragRule,
          tolerancePercent: o.tolerance === undefined ? undefined : Number(o.tolerance),
          derived,
        },
        { actor: cliActor(c), now: new Date() },
      );
      if (o.json) printJson(c, indicator);
      else c.out.write(`Defined ${indicator.source} indicator ${indicator.key} (id ${indicator.id})\n`);
    });
}
