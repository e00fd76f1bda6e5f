import type { AppErrorCode } from "@safecity/core";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** HTTP status for each error code: the one place they are mapped. */
const EXACT: Partial<Record<AppErrorCode, ContentfulStatusCode>> = {
  "config.invalid": 500,
  "input.invalid": 400,
  "area.ambiguous": 400,
  "auth.required": 401,
  "auth.invalid_credentials": 401,
  "auth.forbidden": 403,
  "auth.csrf": 403,
  "auth.rate_limited": 429,
  "auth.oidc_failed": 502,
  "user.exists": 409,
  "request.too_large": 413,
  "upload.too_large": 413,
  "upload.unavailable": 503,
  "data.missing": 404,
  "db.unavailable": 503,
  "reference.download_failed": 502,
  "plan.invalid_transition": 409,
  "plan.locked": 409,
  "plan.conflict": 409,
  "plan.forbidden": 403,
  "plan.not_publishable": 409,
  "publication.not_found": 404,
  "grant.over_allocation": 409,
  "demo.refused": 409,
  "indicator.bad_file": 422,
  "consultation.closed": 410,
  "consultation.too_large": 413,
  "consultation.bad_file": 422,
};

export function httpStatusFor(code: AppErrorCode): ContentfulStatusCode {
  const exact = EXACT[code];
  if (exact) return exact;
  if (code.endsWith(".not_found")) return 404;
  if (code.startsWith("import.") || code.startsWith("reference.bad")) return 422;
  return 400;
}
