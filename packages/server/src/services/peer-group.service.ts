import { AppError, type AreaRef } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { areasByCode } from "../db/repositories/indicator.repository.ts";
import { type StoredPeerGroup, deletePeerGroup, findPeerGroup, savePeerGroupRow } from "../db/repositories/peer-group.repository.ts";
import { resolveArea } from "./area.service.ts";
import { type Actor, audit } from "./audit.ts";

export type { StoredPeerGroup };

/** The stored (official) peer group of an area, or null (then peers are computed). */
export function storedPeerGroup(store: Store, areaCode: string): Promise<StoredPeerGroup | null> {
  return findPeerGroup(store, areaCode);
}

/** `E06000044, E06000026\nE07000148` → unique upper-case codes in the order given. */
export function parsePeerCodes(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter(Boolean))];
}

async function peerTarget(store: Store, area: string): Promise<AreaRef & { code: string; level: "lad" | "csp" }> {
  const { ref } = await resolveArea(store, area);
  if ((ref.level !== "lad" && ref.level !== "csp") || !ref.code) {
    throw new AppError("input.invalid", `a peer group is kept for a local authority or a Community Safety Partnership; ${ref.name} is a ${ref.level}`);
  }
  return ref as AreaRef & { code: string; level: "lad" | "csp" };
}

/**
 * Stores an analyst's peer group for an area (e.g. the official Most Similar Group): every code
 * must be a known area at the area's level; the area itself is dropped from the list. Audited as
 * `peer_group.save` with the list before and after.
 */
export async function savePeerGroup(store: Store, actor: Actor, now: Date, input: { area: string; codes: string; note?: string }): Promise<StoredPeerGroup> {
  const target = await peerTarget(store, input.area);
  const codes = parsePeerCodes(input.codes).filter((c) => c !== target.code);
  if (codes.length < 2) throw new AppError("input.invalid", "enter at least 2 peer codes (ONS codes such as E06000044), separated by commas, spaces or new lines");
  const bad = codes.filter((c) => !/^[EW]\d{8}$/.test(c));
  if (bad.length) throw new AppError("input.invalid", `these are not ONS area codes: ${bad.join(", ")}`, { hint: "codes look like E06000044" });
  const found = await areasByCode(store, codes);
  const unknown = codes.filter((c) => !found.some((f) => f.code === c));
  if (unknown.length) throw new AppError("area.not_found", `unknown peer code(s): ${unknown.join(", ")}`, { hint: "install reference data, or check the codes" });
  const wrong = found.filter((f) => f.level !== target.level);
  if (wrong.length) throw new AppError("input.invalid", `peers must be ${target.level === "lad" ? "local authorities" : "CSPs"} like ${target.name}; ${wrong.map((w) => `${w.code} is a ${w.level}`).join(", ")}`);
  const before = await findPeerGroup(store, target.code);
  const group: StoredPeerGroup = { areaCode: target.code, codes, note: input.note?.trim() || null, updatedAt: now.toISOString(), updatedBy: actor.label };
  await savePeerGroupRow(store, group);
  await audit(store, actor, now, "peer_group.save", target.code, { before: before?.codes ?? null, after: codes });
  return group;
}

/** Removes the stored group (peers are computed again). Audited as `peer_group.clear`. */
export async function clearPeerGroup(store: Store, actor: Actor, now: Date, area: string): Promise<void> {
  const target = await peerTarget(store, area);
  const before = await findPeerGroup(store, target.code);
  if (!before) return;
  await deletePeerGroup(store, target.code);
  await audit(store, actor, now, "peer_group.clear", target.code, { before: before.codes, after: null });
}
