import type { Command } from "commander";
import { canonicalJson, leftOutPhrase } from "@safecity/core";
import { scopeJson } from "../services/analysis-scope.ts";
import { type PeersResult, assessPeers } from "../services/peers.service.ts";
import { type AnalysisOptions, analysisQuery, fmtNum, scopeLine, textTable, withAnalysisOptions } from "./analysis-options.ts";
import type { CliContext } from "./context.ts";

export function registerPeersCommand(program: Command, ctx: () => CliContext): void {
  withAnalysisOptions(
    program.command("peers").description("position in a peer group (computed similarity group or --peers): police.uk and ONS CSP tables side by side"),
  )
    .option("--peers <codes>", "comma-separated codes of the peer group (e.g. the official Most Similar Group); default: computed")
    .option("--k <n>", "size of a computed group, target included (default 15)")
    .action(async (opts: AnalysisOptions & { peers?: string; k?: string }) => {
      const c = ctx();
      const r = await assessPeers(await c.store(), { ...analysisQuery(opts), ...peerOptions(opts) });
      if (opts.json) c.out.write(canonicalJson(peersJson(r)));
      else printPeers(c, r);
    });
}

export function peerOptions(opts: { peers?: string; k?: string }): { peers?: string[]; k?: number } {
  return {
    ...(opts.peers ? { peers: opts.peers.split(",").map((s) => s.trim()).filter(Boolean) } : {}),
    ...(opts.k !== undefined ? { k: Number(opts.k) } : {}),
  };
}

export function peersJson(r: PeersResult) {
  const { scope, ...rest } = r;
  return { scope: scopeJson(scope), ...rest };
}

function printPeers(c: CliContext, r: PeersResult): void {
  c.out.write(scopeLine(r.scope));
  c.out.write(`peer group (${r.groupSource}, ${r.members.length} areas): ${r.members.map((m) => `${m.name}${m.policeData === "complete" ? "" : ` [police.uk: ${m.policeData}]`}`).join(", ")}\n\n`);
  const rows = r.groups.map((g) => {
    const p = g.policeUk.result?.target;
    const o = g.ons.result?.target;
    return [
      g.group,
      p ? `${p.standing}, ${fmtNum(p.rate, 2)}/1,000` : `– (${g.policeUk.message})`,
      o ? `${o.standing}, ${fmtNum(o.rate, 2)}/1,000` : `– (${g.ons.message})`,
    ];
  });
  c.out.write(textTable(["group", "police.uk", `ONS year ending ${r.params.onsYearEnding}`], rows));
  // who is left out of each source's ranking, and why (the same members for every group)
  const first = r.groups[0];
  for (const [name, side] of [
    ["police.uk", first?.policeUk],
    ["ONS", first?.ons],
  ] as const) {
    const left = side ? leftOutPhrase(side.excluded) : null;
    if (left) c.out.write(`${name}: ${left}\n`);
  }
  c.out.write(`\n${r.sourcesNote}\n`);
  for (const n of r.notes) c.out.write(`note: ${n}\n`);
}
