import { AREA_LEVEL_NAMES, AREA_QUERY_MAX_LENGTH, AppError, type AreaLevel } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { inTransaction } from "../db/transaction.ts";
import { type StoredDefaultArea, deleteDefaultArea, findDefaultArea, saveDefaultArea } from "../db/repositories/user-default-area.repository.ts";
import { type Actor, audit } from "./audit.ts";
import { resolveArea } from "./area.service.ts";

/**
 * A user's default area (issue 12 item 6): the Community Safety Partnership or local authority the
 * analysis pages open on when no area is asked for. Saved as the level-qualified name the area field
 * takes (`csp:Southampton`), so it resolves to the same one area later; set and removed with an audit row.
 */
export type { StoredDefaultArea };

export function defaultAreaOf(store: Store, userId: number): Promise<StoredDefaultArea | null> {
  return findDefaultArea(store, userId);
}

/**
 * Resolves `input` to one CSP or local authority and saves it as the user's default. An unknown or
 * ambiguous area throws the area service's error (area.not_found / area.ambiguous); a ward, force
 * area or list of LSOAs is refused (input.invalid). Nothing is saved or audited when it fails.
 */
export async function setDefaultArea(store: Store, user: { id: number; email: string }, input: string, actor: Actor, now: Date): Promise<StoredDefaultArea> {
  const text = input.trim();
  if (!text) throw new AppError("input.invalid", "Enter an area: a Community Safety Partnership or local authority, for example csp:Southampton");
  if (text.length > AREA_QUERY_MAX_LENGTH) throw new AppError("input.invalid", `Enter an area name or code of at most ${AREA_QUERY_MAX_LENGTH} characters (you entered ${text.length})`);
  const { ref } = await resolveArea(store, text);
  if (ref.level !== "csp" && ref.level !== "lad") {
    const what = ref.level === "custom" ? "a list of LSOAs" : `${article(AREA_LEVEL_NAMES[ref.level as AreaLevel])} (${ref.name})`;
    throw new AppError("input.invalid", `A default area is a Community Safety Partnership or local authority; "${text}" is ${what}`);
  }
  const saved: StoredDefaultArea = { area: `${ref.level}:${ref.name}`, code: ref.code, level: ref.level, updatedAt: now.toISOString() };
  await inTransaction(store, async (tx) => {
    const before = await findDefaultArea(tx, user.id);
    await saveDefaultArea(tx, user.id, saved);
    await audit(tx, actor, now, "user.default_area", user.email, { before: before ? { area: before.area, code: before.code } : null, after: { area: saved.area, code: saved.code } });
  });
  return saved;
}

/** Removes the user's default area (audited when there was one); the analysis pages then open on the area picker. */
export async function clearDefaultArea(store: Store, user: { id: number; email: string }, actor: Actor, now: Date): Promise<boolean> {
  return inTransaction(store, async (tx) => {
    const before = await findDefaultArea(tx, user.id);
    if (!before) return false;
    await deleteDefaultArea(tx, user.id);
    await audit(tx, actor, now, "user.default_area_removed", user.email, { before: { area: before.area, code: before.code } });
    return true;
  });
}

function article(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;
}
