import os from "node:os";
import type { Command } from "commander";
import type { Actor } from "../services/audit.ts";
import { type DemoLoadReport, type DemoRemoveReport, loadDemo, removeDemo } from "../services/demo.service.ts";
import { type CliContext, printJson } from "./context.ts";

export function registerDemoCommand(program: Command, ctx: () => CliContext): void {
  program
    .command("demo")
    .description("load a synthetic city and its partnership plan into an empty store (refused when it holds real data); --remove takes all of it away")
    .option("--remove", "remove every demo record, and nothing else")
    .option("--json", "print a machine-readable report")
    .action(async (o: { remove?: boolean; json?: boolean }) => {
      const c = ctx();
      const store = await c.store();
      const actor: Actor = { label: `cli:${c.config.user || os.userInfo().username}`, ip: null };
      if (o.remove) {
        const report = await removeDemo(store, { actor });
        if (o.json) printJson(c, report);
        else c.out.write(removedText(report));
        return;
      }
      const report = await loadDemo(store, { actor });
      if (o.json) printJson(c, report);
      else c.out.write(loadedText(report));
    });
}

function loadedText(r: DemoLoadReport): string {
  const n = (x: number) => x.toLocaleString("en-GB");
  const lines = [
    `loaded the demo: ${r.city.name} (${r.city.ladCode}), a synthetic city; every page labels it as demo data`,
    `  police data: ${n(r.police.rows)} rows in ${r.police.files} monthly files, ${r.police.months.from} to ${r.police.months.to}, force ${r.city.force}`,
    `  reference: ${r.city.localAuthorities.length} local authorities, ${n(r.reference.wards)} wards, ${n(r.reference.lsoas)} LSOAs with populations and IMD 2025 deciles`,
  ];
  lines.push(`  partnership plan ${r.plan.planId}: ${planLine(r)}`);
  lines.push(`  ${(r.elapsedMs / 1000).toFixed(1)} s; remove it all with \`safecity demo --remove\``);
  return `${lines.join("\n")}\n`;
}

function planLine(r: DemoLoadReport): string {
  const p = r.plan;
  const rag = ["green", "amber", "red", "no_data"].filter((c) => p.rag[c]).map((c) => `${c} ${p.rag[c]}`);
  return (
    `${p.state}, ${p.priorities} priorities, ${p.actions} key actions, ${p.targets} targets (${rag.join(", ")}), ` +
    `£${(p.grantsPence / 100).toLocaleString("en-GB")} across ${p.allocations} grants, ${p.organisations} partner organisations`
  );
}

function removedText(r: DemoRemoveReport): string {
  const entries = Object.entries(r.removed);
  if (!entries.length) return "no demo data was loaded: nothing removed\n";
  const total = entries.reduce((s, [, n]) => s + n, 0);
  return `removed the demo: ${total.toLocaleString("en-GB")} rows (${entries.map(([t, n]) => `${t} ${n.toLocaleString("en-GB")}`).join(", ")})\n`;
}
