import { AppError, type KnoxMetric } from "@safecity/core";
import type { Command } from "commander";
import { localNearRepeat, parseBands } from "../services/local-analysis.service.ts";
import { releaseNearRepeat, suppressionThreshold } from "../services/local-release.ts";
import { textTable } from "./analysis-options.ts";
import { type CliContext, printJson } from "./context.ts";
import { cliActor } from "./incidents.command.ts";
import { type LocalCliOptions, scopeText, withLocalOptions } from "./repeats.command.ts";

/** `safecity near-repeat`: the Knox test over distance x time bands on a local dataset (restricted; audited). */
export function registerNearRepeatCommand(program: Command, ctx: () => CliContext): void {
  withLocalOptions(program.command("near-repeat").description("near repeats in local incident data: the Knox test with Monte-Carlo significance (seeded)"))
    .requiredOption("--distance-bands <metres>", "break points, e.g. 0,100,200,300,400 (bands [0,100), [100,200), ...: R NearRepeat's convention)")
    .requiredOption("--time-bands <days>", "break points, e.g. 0,7,14,21,28")
    .option("--permutations <n>", "Monte-Carlo permutations (default 99)", "99")
    .option("--seed <n>", "random seed: the same seed gives the same p-values (default 1)", "1")
    .option("--metric <metric>", "euclidean | manhattan (default euclidean)", "euclidean")
    .action(async (o: LocalCliOptions & { distanceBands: string; timeBands: string; permutations: string; seed: string; metric: string }) => {
      const c = ctx();
      if (o.metric !== "euclidean" && o.metric !== "manhattan") throw new AppError("input.invalid", `--metric must be euclidean or manhattan; got \`${o.metric.slice(0, 20)}\``);
      const r = await localNearRepeat(
        await c.store(),
        { kind: "cli", actor: cliActor(c) },
        {
          ...o,
          distanceBands: parseBands(o.distanceBands, "--distance-bands"),
          timeBands: parseBands(o.timeBands, "--time-bands"),
          permutations: Number(o.permutations),
          seed: Number(o.seed),
          metric: o.metric as KnoxMetric,
        },
      );
      if (o.publishable) {
        const release = releaseNearRepeat(r.scope, r.knox, suppressionThreshold());
        if (o.json) return printJson(c, release);
        c.out.write(scopeText(r.scope));
        c.out.write(`Small counts (under ${release.threshold}) suppressed: shown as -\n`);
        c.out.write(textTable(["distance \\ time", ...release.observed.columns], release.observed.rows.map((row, i) => [row, ...release.observed.cells[i]!.map((v) => (v === null ? "-" : v))])));
        return;
      }
      if (o.json) return printJson(c, r);
      const k = r.knox;
      c.out.write(scopeText(r.scope));
      c.out.write(`${k.n} incidents with a point${r.leftOutWithoutPoint ? ` (${r.leftOutWithoutPoint} without one left out)` : ""}, ${k.metric} distance, ${k.permutations} permutations, seed ${k.seed}\n`);
      c.out.write("Each cell: observed pairs, Knox ratio (observed / expected), p-value\n\n");
      c.out.write(
        textTable(
          ["distance \\ time", ...k.timeBands.map((b) => b.label)],
          k.distanceBands.map((d, i) => [d.label, ...k.timeBands.map((_, j) => `${k.observed[i]![j]} ${k.knoxRatio[i]![j] === null ? "-" : k.knoxRatio[i]![j]!.toFixed(2)} p=${k.pValue[i]![j]!.toFixed(3)}`)]),
        ),
      );
    });
}
