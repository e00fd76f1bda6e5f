/** Roles, most powerful first. Each role can do everything the roles after it can. */
export const ROLES = ["admin", "analyst", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: "Administrator",
  analyst: "Analyst",
  editor: "Editor (partner lead)",
  viewer: "Viewer",
};

/** The kinds of partner organisation in a Community Safety Partnership. */
export const ORGANISATION_KINDS = ["council", "police", "fire", "health", "probation", "voluntary"] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function isOrganisationKind(value: unknown): value is OrganisationKind {
  return typeof value === "string" && (ORGANISATION_KINDS as readonly string[]).includes(value);
}

/** True when `role` carries at least the rights of `minimum` (admin > analyst > editor > viewer). */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) <= ROLES.indexOf(minimum);
}
