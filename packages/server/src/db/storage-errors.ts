import path from "node:path";
import { AppError } from "@safecity/core";

/** Error codes of a data folder that cannot be written: read-only, no permission, or full. */
const READ_ONLY = new Set(["EROFS", "EACCES", "EPERM", "SQLITE_READONLY", "SQLITE_READONLY_DIRECTORY", "SQLITE_READONLY_DBMOVED", "SQLITE_CANTOPEN", "SQLITE_IOERR_SHMOPEN"]);
const FULL = new Set(["ENOSPC", "EDQUOT", "SQLITE_FULL"]);

function codeOf(e: unknown): string {
  return typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : "";
}

/** True when `e` says the disk or folder cannot take writes (read-only, no permission, full). */
export function isStorageProblem(e: unknown): boolean {
  const code = codeOf(e);
  return READ_ONLY.has(code) || code.startsWith("SQLITE_READONLY") || FULL.has(code) || code.startsWith("SQLITE_IOERR");
}

/**
 * A one-line `db.unavailable` error for a data folder that is read-only, not writable by this
 * account, or full, instead of a driver stack trace. `where` is the folder (shown to the operator
 * at the command line; never put in a web response). Null for any other error.
 */
export function storageProblem(e: unknown, where: string): AppError | null {
  const code = codeOf(e);
  if (FULL.has(code)) {
    return new AppError("db.unavailable", `The data folder ${where} is full (${code}): nothing was written.`, {
      hint: "free disk space or move SAFECITY_DATA_DIR to a larger disk, then try again",
    });
  }
  if (READ_ONLY.has(code) || code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_IOERR")) {
    return new AppError("db.unavailable", `The data folder ${where} cannot be written (${code}: read-only or no permission for this account).`, {
      hint: "give the account running Safe City write access to it, or set SAFECITY_DATA_DIR to a folder it can write",
    });
  }
  return null;
}

/** The folder a SQLite file lives in. */
export function folderOf(file: string): string {
  return path.dirname(path.resolve(file));
}
