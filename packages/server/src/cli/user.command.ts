import os from "node:os";
import { AppError } from "@safecity/core";
import type { Command } from "commander";
import type { Actor } from "../services/audit.ts";
import { myTokens, revokeToken } from "../services/account.service.ts";
import { createApiToken, createUser, DEFAULT_TOKEN_DAYS, findUserByEmail, listUsers, MAX_TOKEN_DAYS } from "../services/user.service.ts";
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
    .description("create an API token (send it as `Authorization: Bearer <token>`), list a user's tokens, or revoke one")
    .option("--email <email>", "the user the token acts as (to create or --list)")
    .option("--name <name>", "what the token is for", "script")
    .option("--scope <scope>", "read (GET only, the default) or write (may also change data)", "read")
    .option("--expires-days <n>", `days until it stops working (default ${DEFAULT_TOKEN_DAYS}, at most ${MAX_TOKEN_DAYS})`)
    .option("--list", "list the user's tokens (id, name, scope, created, last used, expires, status)")
    .option("--revoke <id>", "revoke the token with this id (from --list or the Your account page)")
    .option("--json", "print a machine-readable result")
    .action(async (o: { email?: string; name: string; scope: string; expiresDays?: string; list?: boolean; revoke?: string; json?: boolean }) => {
      const c = ctx();
      const modes = [o.list, o.revoke !== undefined].filter(Boolean).length;
      if (modes > 1) throw new AppError("input.invalid", "--list and --revoke cannot be used together");
      if (o.revoke !== undefined) {
        const id = Number(o.revoke);
        if (!/^\d+$/.test(o.revoke) || !Number.isSafeInteger(id) || id < 1) throw new AppError("input.invalid", `--revoke needs a token id (a whole number); got \`${o.revoke}\``);
        const t = await revokeToken(await c.store(), id, null, cliActor(c), new Date());
        if (o.json) printJson(c, t);
        else c.out.write(`Revoked API token ${t.id} (${t.name}). Scripts using it are refused from now on.\n`);
        return;
      }
      if (!o.email) throw new AppError("input.invalid", "--email is required (the user whose token to create or list), or --revoke <id>");
      const store = await c.store();
      if (o.list) {
        const u = await findUserByEmail(store, o.email.toLowerCase());
        if (!u) throw new AppError("user.not_found", `No user with email ${o.email}`, { hint: "list users with `safecity user list`" });
        const tokens = await myTokens(store, u);
        if (o.json) {
          printJson(c, tokens);
          return;
        }
        if (!tokens.length) c.out.write(`${u.email} has no API tokens.\n`);
        const now = new Date().toISOString();
        for (const t of tokens) {
          const status = t.revokedAt ? `revoked ${t.revokedAt.slice(0, 10)}` : t.expiresAt && t.expiresAt <= now ? "expired" : "active";
          c.out.write(`${t.id}\t${t.name}\t${t.scope}\tcreated ${t.createdAt.slice(0, 10)}\tlast used ${t.lastUsedAt?.slice(0, 16) ?? "never"}\texpires ${t.expiresAt?.slice(0, 10) ?? "never"}\t${status}\n`);
        }
        return;
      }
      const days = o.expiresDays === undefined ? null : /^\d+$/.test(o.expiresDays) ? Number(o.expiresDays) : Number.NaN;
      const r = await createApiToken(store, o.email.toLowerCase(), o.name, cliActor(c), new Date(), { scope: o.scope, expiresInDays: days });
      if (o.json) {
        printJson(c, { id: r.id, token: r.token, scope: r.scope, expiresAt: r.expiresAt, user: r.user.email });
        return;
      }
      c.out.write(`${r.token}\n`);
      process.stderr.write(`API token ${r.id} for ${r.user.email}: ${r.scope === "write" ? "read and write" : "read only"}, expires ${r.expiresAt.slice(0, 10)}. It is shown only now.\n`);
    });
}
