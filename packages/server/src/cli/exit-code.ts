import type { AppErrorCode } from "@safecity/core";

/** CLI exit codes by error family: 2 bad input, 3 rejected data, 4 missing data, 5 environment. */
export function exitCodeFor(code: AppErrorCode): number {
  if (code.startsWith("import.") || code === "fetch.bad_archive" || code === "fetch.corrupt_entry" || code.startsWith("reference.bad") || code === "indicator.bad_file" || code === "consultation.bad_file") return 3;
  if (code === "data.missing" || code.endsWith("not_found")) return 4;
  if (code === "config.invalid" || code === "db.unavailable" || code === "reference.download_failed" || code === "fetch.failed") return 5;
  return 2;
}
