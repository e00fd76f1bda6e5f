import type { LocalIncident, RepeatMeasures, RepeatOptions } from "./local-incident.types.ts";

/** Repeat victimisation measures (rules in ../README.md, "Repeat victimisation"). */
export function repeatMeasures(_incidents: readonly LocalIncident[], _options: RepeatOptions): RepeatMeasures {
  throw new Error("repeatMeasures: not implemented yet");
}
