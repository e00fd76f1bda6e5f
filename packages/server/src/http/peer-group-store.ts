import type { Store } from "../db/database.ts";

/** The official peer group (MSG) stored for an area, as codes; empty when none is stored. */
export async function storedPeersFor(_store: Store, _area: string): Promise<string[]> {
  return [];
}
