import { AppError, isRole, type Role, roleAtLeast } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { insertAudit } from "../db/repositories/audit.repository.ts";
import { allGrants, type DatasetGrant, deleteGrant, findDataset, insertGrant, type LocalDataset, listDatasets, listGrants } from "../db/repositories/local-incident.repository.ts";
import { findUserByEmail } from "../db/repositories/user.repository.ts";
import type { Actor } from "./audit.ts";

/**
 * Who is reading local incident data. The CLI is the operator on the server (it holds the
 * database itself), so it reads every dataset, audited all the same; a web user reads a dataset
 * only with a grant to them or to a role at or below theirs (a grant to `analyst` lets admins in).
 */
export type LocalReader = { kind: "cli"; actor: Actor } | { kind: "user"; actor: Actor; userId: number; role: Role };

function granted(reader: LocalReader, grants: readonly Pick<DatasetGrant, "userId" | "role">[]): boolean {
  if (reader.kind === "cli") return true;
  return grants.some((g) => g.userId === reader.userId || (g.role !== null && isRole(g.role) && roleAtLeast(reader.role, g.role)));
}

/** The datasets this reader may see (names and sizes only: listing is not a read of the data). */
export async function readableDatasets(store: Store, reader: LocalReader): Promise<LocalDataset[]> {
  const datasets = await listDatasets(store);
  if (reader.kind === "cli") return datasets;
  const grants = await allGrants(store);
  return datasets.filter((d) => granted(reader, grants.filter((g) => g.datasetId === d.id)));
}

/** True when the user may read at least one dataset (the pages' and API's gate). */
export async function canReadAnyDataset(store: Store, reader: LocalReader): Promise<boolean> {
  return (await readableDatasets(store, reader)).length > 0;
}

/**
 * The dataset to read, after the access check. Unknown and not-granted are the same refusal
 * (auth.forbidden), so the names of datasets one cannot read are not revealed.
 */
export async function datasetForReading(store: Store, reader: LocalReader, name: string | undefined): Promise<LocalDataset> {
  const readable = await readableDatasets(store, reader);
  if (name === undefined || name === "") {
    if (readable.length === 1) return readable[0]!;
    if (readable.length === 0) throw new AppError("auth.forbidden", "You have no access to local incident data: an administrator grants it per dataset (`safecity incidents grant`).");
    throw new AppError("input.invalid", `choose a dataset: ${readable.map((d) => d.name).join(", ")}`, { hint: "give --dataset NAME" });
  }
  const found = readable.find((d) => d.name === name);
  if (!found) {
    if (reader.kind === "cli") throw new AppError("data.missing", `no local incident dataset called ${name}`, { hint: "`safecity incidents list` shows them" });
    throw new AppError("auth.forbidden", `You have no access to the local incident dataset ${name}, or there is none of that name.`);
  }
  return found;
}

/** One audit row per read of a dataset: who, which dataset, what analysis with which parameters. */
export async function auditRead(store: Store, reader: LocalReader, now: Date, dataset: LocalDataset, what: string, parameters: Record<string, unknown>): Promise<void> {
  await insertAudit(store, {
    at: now.toISOString(),
    actor: reader.actor.label,
    action: "local.read",
    target: `dataset:${dataset.name}`,
    before: null,
    after: { what, ...parameters },
    ip: reader.actor.ip,
  });
}

export type Grantee = { email: string } | { role: string };

async function resolveGrantee(store: Store, who: Grantee): Promise<{ userId: number; label: string } | { role: Role; label: string }> {
  if ("role" in who) {
    if (!isRole(who.role)) throw new AppError("input.invalid", `\`${who.role}\` is not a role (admin, analyst, editor, viewer)`);
    return { role: who.role, label: `role:${who.role}` };
  }
  const user = await findUserByEmail(store, who.email.trim().toLowerCase());
  if (!user) throw new AppError("user.not_found", `no user ${who.email}`, { hint: "`safecity user list` shows them" });
  return { userId: user.id, label: `user:${user.email}` };
}

async function requireDataset(store: Store, name: string): Promise<LocalDataset> {
  const d = await findDataset(store, name);
  if (!d) throw new AppError("data.missing", `no local incident dataset called ${name}`, { hint: "`safecity incidents list` shows them" });
  return d;
}

/** Grants a user or a role (and the roles above it) read access to a dataset; audited. Granting twice changes nothing. */
export async function grantDataset(store: Store, name: string, who: Grantee, actor: Actor, now: Date): Promise<{ dataset: string; grantee: string; changed: boolean }> {
  const d = await requireDataset(store, name);
  const g = await resolveGrantee(store, who);
  const existing = await listGrants(store, d.id);
  const already = existing.some((e) => ("userId" in g ? e.userId === g.userId : e.role === g.role));
  if (already) return { dataset: d.name, grantee: g.label, changed: false };
  await insertGrant(store, { datasetId: d.id, userId: "userId" in g ? g.userId : null, role: "role" in g ? g.role : null, grantedBy: actor.label, grantedAt: now.toISOString() });
  await insertAudit(store, { at: now.toISOString(), actor: actor.label, action: "local.grant", target: `dataset:${d.name}`, before: null, after: { grantee: g.label }, ip: actor.ip });
  return { dataset: d.name, grantee: g.label, changed: true };
}

export async function revokeDataset(store: Store, name: string, who: Grantee, actor: Actor, now: Date): Promise<{ dataset: string; grantee: string; changed: boolean }> {
  const d = await requireDataset(store, name);
  const g = await resolveGrantee(store, who);
  const n = await deleteGrant(store, d.id, "userId" in g ? { userId: g.userId } : { role: g.role });
  if (n) await insertAudit(store, { at: now.toISOString(), actor: actor.label, action: "local.revoke", target: `dataset:${d.name}`, before: { grantee: g.label }, after: null, ip: actor.ip });
  return { dataset: d.name, grantee: g.label, changed: n > 0 };
}

export async function datasetGrants(store: Store, name: string): Promise<DatasetGrant[]> {
  return listGrants(store, (await requireDataset(store, name)).id);
}
