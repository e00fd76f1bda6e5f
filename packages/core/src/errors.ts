/**
 * The one error catalogue. Every failure the user can act on is an AppError with a stable code;
 * the HTTP status and the CLI exit code for each code are mapped in one place each
 * (server/src/http/error-status.ts, server/src/cli/exit-code.ts).
 */
export type AppErrorCode =
  | "config.invalid"
  | "input.invalid"
  | "area.not_found"
  | "area.ambiguous"
  | "import.bad_header"
  | "import.bad_rows"
  | "import.bad_encoding"
  | "import.bad_archive"
  | "import.unsafe_entry"
  | "import.not_found"
  | "import.unsupported"
  | "import.time_limit"
  | "import.replace_refused"
  | "request.too_large"
  | "upload.too_large"
  | "upload.invalid"
  | "upload.unavailable"
  | "reference.not_found"
  | "reference.bad_file"
  | "reference.download_failed"
  | "fetch.failed"
  | "fetch.not_found"
  | "fetch.bad_archive"
  | "fetch.corrupt_entry"
  | "fetch.unknown_force"
  | "data.missing"
  | "db.unavailable"
  | "auth.required"
  | "auth.invalid_credentials"
  | "auth.forbidden"
  | "auth.csrf"
  | "auth.rate_limited"
  | "auth.oidc_failed"
  | "user.exists"
  | "user.not_found"
  | "plan.not_found"
  | "plan.invalid_transition"
  | "plan.locked"
  | "plan.conflict"
  | "plan.forbidden"
  | "plan.not_publishable"
  | "publication.not_found"
  | "indicator.not_found"
  | "indicator.bad_file"
  | "grant.over_allocation"
  | "demo.refused"
  | "consultation.closed"
  | "consultation.too_large"
  | "consultation.bad_file";

export interface ProblemLine {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly hint: string | undefined;
  readonly problems: ProblemLine[];

  constructor(code: AppErrorCode, message: string, opts: { hint?: string; problems?: ProblemLine[] } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.hint = opts.hint;
    this.problems = opts.problems ?? [];
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** `file:line: message`, the form every problem list is printed in. */
export function formatProblem(p: ProblemLine): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  const field = p.field ? ` (${p.field})` : "";
  return `${where}: ${p.message}${field}`;
}
