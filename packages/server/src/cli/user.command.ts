import os from "node:os";
import { AppError } from "@safecity/core";
import type { Command } from "commander";
import type { Actor } from "../services/audit.ts";
import { createApiToken, createUser, listUsers } from "../services/user.service.ts";
import { type CliContext, printJson } from "./context.ts";

interface AddOptions {
  email: string;
  name: string;
  role?: string;
  admin?: boolean;
  org?: string;
  orgKind?: string;
  passwordStdin?: boolean;
  json?: boolean;
}

function cliActor(c: CliContext): Actor {
  return { label: `cli:${c.config.user || os.userInfo().username}`, ip: null };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

export function registerUserCommand(program: Command, ctx: () => CliContext): void {
  const user = program.command("user").description("manage user accounts");

  user
    .command("add")
    .description("create a user; prints a generated password unless --password-stdin")
    .requiredOption("--email <email>", "sign-in email address")
    .requiredOption("--name <name>", "full name")
    .option("--role <role>", "admin | analyst | editor | viewer (default viewer)")
    .option("--admin", "shortcut for --role admin")
    .option("--org <name>", "organisation (created if new)")
    .option("--org-kind <kind>", "council | police | fire | health | probation | voluntary, for a new organisation (default council)")
    .option("--password-stdin", "read the password from standard input instead of generating one")
    .option("--json", "print a machine-readable result")
    .action(async (o: AddOptions) => {
      const c = ctx();
      if (o.admin && o.role && o.role !== "admin") throw new AppError("input.invalid", `--admin conflicts with --role ${o.role}`);
      const role = o.admin ? "admin" : (o.role ?? "viewer");
      const password = o.passwordStdin ? await readStdin() : null;
      const store = await c.store();
      const r = await createUser(
        store,
        { email: o.email, name: o.name, role, organisation: o.org ?? null, organisationKind: o.orgKind ?? null, password },
        cliActor(c),
        new Date(),
      );
      if (o.json) {
        printJson(c, { user: r.user, password: r.generatedPassword, organisationCreated: r.organisationCreated });
        return;
      }
      c.out.write(`Created ${r.user.role} ${r.user.email} (${r.user.name})`);
      c.out.write(r.user.organisation ? ` in ${r.user.organisation.name}${r.organisationCreated ? ` (new ${r.user.organisation.kind} organisation)` : ""}\n` : "\n");
      if (r.generatedPassword) c.out.write(`Password: ${r.generatedPassword}\nIt is not stored anywhere readable: pass it on securely now.\n`);
    });

  user
    .command("list")
    .description("list user accounts")
    .option("--json", "print a machine-readable list")
    .action(async (o: { json?: boolean }) => {
      const c = ctx();
      const users = await listUsers(await c.store());
      if (o.json) {
        printJson(c, users);
        return;
      }
      if (!users.length) c.out.write("No users yet.\n");
      for (const u of users) {
        c.out.write(`${u.email}\t${u.role}${u.disabled ? " (disabled)" : ""}\t${u.name}\t${u.organisation?.name ?? ""}\n`);
      }
    });

  user
    .command("token")
    .description("create an API token for a user (send it as `Authorization: Bearer <token>`)")
    .requiredOption("--email <email>", "the user the token acts as")
    .option("--name <name>", "what the token is for", "script")
    .action(async (o: { email: string; name: string }) => {
      const c = ctx();
      const r = await createApiToken(await c.store(), o.email.toLowerCase(), o.name, cliActor(c), new Date());
      c.out.write(`${r.token}\n`);
    });
}
