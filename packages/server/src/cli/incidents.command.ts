import os from "node:os";
import { AppError } from "@safecity/core";
import type { Command } from "commander";
import type { Actor } from "../services/audit.ts";
import { datasetGrants, grantDataset, readableDatasets, revokeDataset } from "../services/local-access.service.ts";
import { importLocalIncidents } from "../services/local-import.service.ts";
import { type CliContext, printJson } from "./context.ts";

export function cliActor(c: CliContext): Actor {
  return { label: `cli:${c.config.user || os.userInfo().username}`, ip: null };
}

function grantee(o: { user?: string; role?: string }): { email: string } | { role: string } {
  if ((o.user === undefined) === (o.role === undefined)) throw new AppError("input.invalid", "give exactly one of --user <email> and --role <role>");
  return o.user !== undefined ? { email: o.user } : { role: o.role! };
}

const day = (d: number | null) => (d === null ? "-" : `${Math.floor(d / 10000)}-${String(Math.floor(d / 100) % 100).padStart(2, "0")}-${String(d % 100).padStart(2, "0")}`);

/** `safecity incidents import|list|grant|revoke|grants`: local (partner) incident datasets, issue 14. */
export function registerIncidentsCommand(program: Command, ctx: () => CliContext): void {
  const incidents = program.command("incidents").description("local incident data from partners (pseudonymised at import, restricted access)");

  incidents
    .command("import")
    .description("import a partner extract with a column mapping: all rows or none; victim and place identifiers are replaced by keyed hashes (SAFECITY_PSEUDONYM_KEY) before anything is written")
    .argument("<file.csv>", "the extract (UTF-8 CSV with a header row)")
    .requiredOption("--mapping <mapping.json>", "which column is what, date format, offence map (see docs/decisions/0018)")
    .option("--dataset <name>", "dataset name (default: the file's name)")
    .option("--replace", "replace the dataset of that name when it holds another file")
    .option("--json", "print a machine-readable report")
    .action(async (file: string, o: { mapping: string; dataset?: string; replace?: boolean; json?: boolean }) => {
      const c = ctx();
      const report = await importLocalIncidents(await c.store(), file, { mappingFile: o.mapping, dataset: o.dataset, replace: o.replace, actor: cliActor(c), now: new Date() });
      if (o.json) return printJson(c, report);
      const what = report.status === "unchanged" ? "already imported, nothing changed" : `${report.status}: ${report.rows} incidents, ${report.firstDay} to ${report.lastDay}`;
      c.out.write(`${report.file} -> dataset ${report.dataset}: ${what}\n`);
      if (report.status !== "unchanged") c.out.write("Nobody can read it until an administrator grants access: safecity incidents grant <dataset> --user <email> | --role <role>\n");
    });

  incidents
    .command("list")
    .description("the local incident datasets (name, file, rows, dates)")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const c = ctx();
      const list = await readableDatasets(await c.store(), { kind: "cli", actor: cliActor(c) });
      if (o.json) return printJson(c, list);
      if (!list.length) c.out.write("No local incident datasets. Import one with `safecity incidents import <file.csv> --mapping <mapping.json>`.\n");
      for (const d of list) c.out.write(`${d.name}  ${d.rows} incidents  ${day(d.firstDay)} to ${day(d.lastDay)}  from ${d.fileName}, ${d.importedAt.slice(0, 10)} by ${d.importedBy}\n`);
    });

  for (const [verb, fn] of [
    ["grant", grantDataset],
    ["revoke", revokeDataset],
  ] as const) {
    incidents
      .command(verb)
      .description(verb === "grant" ? "let a user, or every user of a role or above, read a dataset (audited)" : "take a grant back (audited)")
      .argument("<dataset>", "dataset name")
      .option("--user <email>", "one user")
      .option("--role <role>", "admin | analyst | editor | viewer (and the roles above it)")
      .action(async (dataset: string, o: { user?: string; role?: string }) => {
        const c = ctx();
        const r = await fn(await c.store(), dataset, grantee(o), cliActor(c), new Date());
        c.out.write(`${r.dataset}: ${verb === "grant" ? "granted to" : "revoked from"} ${r.grantee}${r.changed ? "" : " (no change)"}\n`);
      });
  }

  incidents
    .command("grants")
    .description("who may read a dataset")
    .argument("<dataset>", "dataset name")
    .option("--json", "print JSON")
    .action(async (dataset: string, o: { json?: boolean }) => {
      const c = ctx();
      const grants = await datasetGrants(await c.store(), dataset);
      if (o.json) return printJson(c, grants);
      if (!grants.length) c.out.write(`${dataset}: nobody (grant with \`safecity incidents grant ${dataset} --role analyst\`)\n`);
      for (const g of grants) c.out.write(`${g.role ? `role ${g.role} and above` : `user ${g.userEmail}`}  granted ${g.grantedAt.slice(0, 10)} by ${g.grantedBy}\n`);
    });
}
