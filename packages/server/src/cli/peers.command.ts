import { AppError, canonicalJson, DISPERSION_MODELS, FUNNEL_METHODS, leftOutPhrase, QUARTILE_RULES } from "@safecity/core";
import type { Command } from "commander";
import { scopeJson } from "../services/analysis-scope.ts";
import { assessPeers, type PeersResult } from "../services/peers.service.ts";
import { type AnalysisOptions, analysisQuery, fmtNum, scopeLine, textTable, withAnalysisOptions } from "./analysis-options.ts";
import type { CliContext } from "./context.ts";

export function registerPeersCommand(program: Command, ctx: () => CliContext): void {
  const cmd = withAnalysisOptions(
    program.command("peers").description("position in a peer group (computed similarity group or --peers): police.uk and ONS CSP tables side by side"),
  )
    .option("--peers <codes>", "comma-separated codes of the peer group (e.g. the official Most Similar Group); default: the group saved on the Peers page, else computed")
    .option("--k <n>", "size of a computed group, target included (default 15)");
  withPeerMethodOptions(cmd).action(async (opts: AnalysisOptions & PeerMethodFlags & { peers?: string; k?: string }) => {
    const c = ctx();
    const r = await assessPeers(await c.store(), { ...analysisQuery(opts), ...peerOptions(opts) });
    if (opts.json) c.out.write(canonicalJson(peersJson(r)));
    else printPeers(c, r);
  });
}

export interface PeerMethodFlags {
  funnel?: string;
  dispersion?: string;
  quartiles?: string;
  peerSource?: string;
}

/** --funnel, --dispersion, --quartiles: how positions are judged (peers and assess). */
export function withPeerMethodOptions(cmd: Command): Command {
  return cmd
    .option("--funnel <method>", "funnel limits: overdispersed (Spiegelhalter 2005, default) | poisson (exact Poisson)")
    .option("--dispersion <model>", "over-dispersion model: multiplicative (phi, default) | additive (random effects, tau²)")
    .option("--quartiles <rule>", "quartile rule: rank (ceil(4 x rank / N), default) | iquanta (QUARTILE.INC cut points of the rates)")
    .option("--peer-source <source>", "saved: the group saved for the area on the Peers page when there is one (default) | computed: a similarity group, ignoring it");
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) {
    throw new AppError("input.invalid", `${flag} must be one of ${allowed.join(", ")}; got "${value}"`, { hint: `e.g. ${flag} ${allowed[0]}` });
  }
  return v as T;
}

export function peerOptions(opts: PeerMethodFlags & { peers?: string; k?: string }) {
  const funnel = oneOf("--funnel", opts.funnel, FUNNEL_METHODS);
  const dispersionModel = oneOf("--dispersion", opts.dispersion, DISPERSION_MODELS);
  const quartiles = oneOf("--quartiles", opts.quartiles, QUARTILE_RULES);
  const peerSource = oneOf("--peer-source", opts.peerSource, ["saved", "computed"] as const);
  if (peerSource === "computed" && opts.peers) throw new AppError("input.invalid", "--peers and --peer-source computed contradict each other", { hint: "give one of them" });
  return {
    ...(peerSource ? { peerSource } : {}),
    ...(opts.peers ? { peers: opts.peers.split(",").map((s) => s.trim()).filter(Boolean) } : {}),
    ...(opts.k !== undefined ? { k: Number(opts.k) } : {}),
    ...(funnel ? { funnel } : {}),
    ...(dispersionModel ? { dispersionModel } : {}),
    ...(quartiles ? { quartiles } : {}),
  };
}

/** One line per crime group: the target's funnel verdict per source, with the dispersion ratio. */
export function significanceTable(r: PeersResult): string {
  const cell = (side: { result: PeersResult["groups"][number]["policeUk"]["result"] }) => {
    const res = side.result;
    if (!res) return "–";
    const phi = res.dispersion ? `; φ = ${fmtNum(res.dispersion.phi, 1)}${res.funnelMethod.used === "overdispersed-additive" ? `, τ² = ${fmtNum(res.dispersion.tau2, 3)}` : ""}` : "";
    return `${res.target.verdict}${phi}`;
  };
  const m = r.method;
  const head =
    m.funnel === "poisson"
      ? "significance: exact Poisson funnel limits (95%, 99.8%) around the group's pooled rate\n"
      : `significance: over-dispersed funnel limits (Spiegelhalter 2005, ${m.dispersionModel} model; 95%, 99.8%) around the group's pooled rate; φ = how many times more the rates vary than chance alone; exact Poisson limits where φ <= 1\n`;
  return head + textTable(["group", "police.uk", `ONS year ending ${r.params.onsYearEnding}`], r.groups.map((g) => [g.group, cell(g.policeUk), cell(g.ons)]));
}

export function peersJson(r: PeersResult) {
  const { scope, ...rest } = r;
  return { scope: scopeJson(scope), ...rest };
}

function printPeers(c: CliContext, r: PeersResult): void {
  c.out.write(scopeLine(r.scope));
  const source = r.savedGroup ? `saved on the Peers page by ${r.savedGroup.setBy} on ${r.savedGroup.setAt.slice(0, 10)}` : r.groupSource;
  c.out.write(`peer group (${source}, ${r.members.length} areas): ${r.members.map((m) => `${m.name}${m.policeData === "complete" ? "" : ` [police.uk: ${m.policeData}]`}`).join(", ")}\n\n`);
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
  c.out.write(`\n${significanceTable(r)}`);
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
