import type { CountTable, SuppressedTable } from "../repeat/local-incident.types.ts";

/** Primary and secondary suppression of small counts (rules in ../README.md, "Small-count suppression"). */
export function suppressSmallCounts(_table: CountTable, _threshold = 5): SuppressedTable {
  throw new Error("suppressSmallCounts: not implemented yet");
}
