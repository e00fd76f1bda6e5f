import type { OrganisationKind, Role } from "@safecity/core";
import type { Store } from "../database.ts";

/** A user as services see it (no password hash). */
export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  organisation: { id: number; name: string; kind: OrganisationKind } | null;
  createdAt: string;
  disabled: boolean;
}

export interface Organisation {
  id: number;
  name: string;
  kind: OrganisationKind;
}

const userColumns = [
  "app_user.id",
  "app_user.email",
  "app_user.name",
  "app_user.role",
  "app_user.created_at",
  "app_user.disabled",
  "organisation.id as org_id",
  "organisation.name as org_name",
  "organisation.kind as org_kind",
] as const;

interface UserRow {
  id: number;
  email: string;
  name: string;
  role: string;
  created_at: string;
  disabled: number;
  org_id: number | null;
  org_name: string | null;
  org_kind: string | null;
}

function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role as Role,
    organisation: r.org_id === null ? null : { id: r.org_id, name: r.org_name ?? "", kind: r.org_kind as OrganisationKind },
    createdAt: r.created_at,
    disabled: Number(r.disabled) === 1,
  };
}

function selectUsers(store: Store) {
  return store.db
    .selectFrom("app_user")
    .leftJoin("organisation", "organisation.id", "app_user.organisation_id")
    .select(userColumns);
}

export async function countUsers(store: Store): Promise<number> {
  const r = await store.db.selectFrom("app_user").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listUsers(store: Store): Promise<User[]> {
  const rows = await selectUsers(store).orderBy("app_user.email").execute();
  return rows.map(toUser);
}

export async function findUserById(store: Store, id: number): Promise<User | null> {
  const r = await selectUsers(store).where("app_user.id", "=", id).executeTakeFirst();
  return r ? toUser(r) : null;
}

export async function findUserByEmail(store: Store, email: string): Promise<User | null> {
  const r = await selectUsers(store).where("app_user.email", "=", email.toLowerCase()).executeTakeFirst();
  return r ? toUser(r) : null;
}

/** The user and their password hash, for sign-in only. */
export async function findCredentials(store: Store, email: string): Promise<{ user: User; passwordHash: string | null } | null> {
  const r = await selectUsers(store)
    .select("app_user.password_hash")
    .where("app_user.email", "=", email.toLowerCase())
    .executeTakeFirst();
  return r ? { user: toUser(r), passwordHash: r.password_hash } : null;
}

export async function insertUser(
  store: Store,
  u: { email: string; name: string; role: Role; organisationId: number | null; passwordHash: string | null; createdAt: string },
): Promise<number> {
  const r = await store.db
    .insertInto("app_user")
    .values({
      email: u.email.toLowerCase(),
      name: u.name,
      role: u.role,
      organisation_id: u.organisationId,
      password_hash: u.passwordHash,
      created_at: u.createdAt,
      disabled: 0,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function updateUserRole(store: Store, id: number, role: Role): Promise<void> {
  await store.db.updateTable("app_user").set({ role }).where("id", "=", id).execute();
}

export async function updateUserDisabled(store: Store, id: number, disabled: boolean): Promise<void> {
  await store.db.updateTable("app_user").set({ disabled: disabled ? 1 : 0 }).where("id", "=", id).execute();
}

export async function updateUserPassword(store: Store, id: number, passwordHash: string): Promise<void> {
  await store.db.updateTable("app_user").set({ password_hash: passwordHash }).where("id", "=", id).execute();
}

export async function countActiveAdmins(store: Store): Promise<number> {
  const r = await store.db
    .selectFrom("app_user")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "admin")
    .where("disabled", "=", 0)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listOrganisations(store: Store): Promise<Organisation[]> {
  const rows = await store.db.selectFrom("organisation").select(["id", "name", "kind"]).orderBy("name").execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as OrganisationKind }));
}

export async function findOrganisationByName(store: Store, name: string): Promise<Organisation | null> {
  const r = await store.db.selectFrom("organisation").select(["id", "name", "kind"]).where("name", "=", name).executeTakeFirst();
  return r ? { id: r.id, name: r.name, kind: r.kind as OrganisationKind } : null;
}

/** `demo`: an organisation of the demo partnership (`safecity demo`), removed with it. */
export async function insertOrganisation(store: Store, o: { name: string; kind: OrganisationKind; createdAt: string; demo?: boolean }): Promise<number> {
  const r = await store.db
    .insertInto("organisation")
    .values({ name: o.name, kind: o.kind, created_at: o.createdAt, demo: o.demo ? 1 : 0 })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}
