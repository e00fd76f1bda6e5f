import { AppError } from "@safecity/core";
import type { Command } from "commander";
import { listPublications, publishPlan, republish } from "../services/publication.service.ts";
import { type CliContext, printJson } from "./context.ts";

interface PublishOptions {
  plan?: string;
  republish?: string;
  out?: string;
  list?: boolean;
  json?: boolean;
}

function positiveId(value: string, option: string, hint: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new AppError("input.invalid", `${option} must be an id (a whole number); got \`${value}\``, { hint });
  return n;
}

/** `safecity publish`: the public website of an approved plan (docs/decisions/0006-public-site.md). */
export function registerPublishCommand(program: Command, ctx: () => CliContext): void {
  program
    .command("publish")
    .description("write the public static website of an approved plan, rebuild an earlier publication, or list publications")
    .option("--plan <id>", "the plan to publish (`safecity plan list`); it must be approved by Full Council")
    .option("--republish <publication-id>", "rebuild an earlier publication byte for byte from its recorded snapshot")
    .option("--out <dir>", "the folder to write: new, empty, or holding an earlier site (replaced whole)")
    .option("--list", "list the publications (newest first)")
    .option("--json", "print the result as JSON")
    .action(async (o: PublishOptions) => {
      const c = ctx();
      const chosen = [o.plan !== undefined, o.republish !== undefined, o.list === true].filter(Boolean).length;
      if (chosen !== 1)
        throw new AppError("input.invalid", "say what to do: one of --plan <id>, --republish <publication-id> or --list", {
          hint: "safecity publish --plan 1 --out site/   |   safecity publish --republish 3 --out old-site/   |   safecity publish --list",
        });
      const store = await c.store();
      if (o.list) {
        const rows = await listPublications(store, undefined);
        if (o.json) return printJson(c, rows);
        if (rows.length === 0) {
          c.out.write("no publications yet (publish one with `safecity publish --plan <id> --out <dir>`)\n");
          return;
        }
        c.out.write("id  plan  version  number  published at              by                      sha256 (first 16)  files  folder\n");
        for (const r of rows)
          c.out.write(
            `${String(r.id).padEnd(3)} ${String(r.planId).padEnd(5)} ${String(r.planVersion).padEnd(8)} ${String(r.number).padEnd(7)} ${r.publishedAt.padEnd(25)} ${r.publishedBy.padEnd(23)} ${r.contentSha256.slice(0, 16).padEnd(18)} ${String(r.fileCount).padEnd(6)} ${r.outputDir}\n`,
          );
        return;
      }
      if (!o.out) throw new AppError("input.invalid", "--out <dir> is required: the folder to write the site to", { hint: "e.g. --out public-site/" });
      const actor = { label: `cli:${c.config.user}`, ip: null };
      const started = performance.now();
      const result =
        o.plan !== undefined
          ? await publishPlan(store, positiveId(o.plan, "--plan", "`safecity plan list` shows the plans"), { outDir: o.out, actor, now: new Date() })
          : await republish(store, positiveId(o.republish!, "--republish", "`safecity publish --list` shows the publications"), { outDir: o.out, actor, now: new Date() });
      const seconds = (performance.now() - started) / 1000;
      if (o.json) return printJson(c, { ...result, seconds });
      const p = result.publication;
      const what = o.plan !== undefined ? `published plan ${p.planId} (version ${p.planVersion}) as publication ${p.id}, number ${p.number} of the plan` : `rebuilt publication ${p.id} (plan ${p.planId}, number ${p.number}, published ${p.publishedAt})`;
      c.out.write(`${what}: ${result.files} files, ${result.bytes.toLocaleString("en-GB")} bytes, in ${seconds.toFixed(1)} s, to ${result.outDir}\n`);
      c.out.write(`content sha256 ${p.contentSha256}\n`);
      if (o.republish !== undefined)
        c.out.write(
          result.identical
            ? "identical: the rebuilt files match the recorded content hash byte for byte\n"
            : "NOT identical: the rebuilt files differ from the recorded hash (GOV.UK Frontend or the renderer changed since; the site's content is the recorded snapshot)\n",
        );
    });
}
