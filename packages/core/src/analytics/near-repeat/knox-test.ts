import type { KnoxOptions, KnoxPoint, KnoxResult } from "../repeat/local-incident.types.ts";

/** The Knox test with Monte-Carlo significance (rules in ../README.md, "Near repeats"). */
export function knoxTest(_points: readonly KnoxPoint[], _options: KnoxOptions): KnoxResult {
  throw new Error("knoxTest: not implemented yet");
}
