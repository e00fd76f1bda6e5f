import type { AppError } from "@safecity/core";
import { audit } from "../services/audit.ts";
import type { AppContext } from "./env.ts";

/**
 * Records a refused request (403: a role, organisation or CSRF refusal) in the audit log with the
 * client's address, so an administrator sees probing on the Audit page. The target is the method
 * and path only: query strings can carry search text, and bodies are never read here. Best effort:
 * a failure to write the row never changes the answer the client gets.
 */
export async function auditRefusal(c: AppContext, err: AppError): Promise<void> {
  const deps = c.var.deps;
  if (!deps) return;
  const action = err.code === "auth.csrf" ? "access.csrf_refused" : "access.forbidden";
  try {
    await audit(
      deps.store,
      { label: c.var.user?.email ?? "anonymous", ip: deps.clientIp(c) },
      deps.now(),
      action,
      `${c.req.method} ${c.req.path.slice(0, 200)}`,
      { after: { code: err.code } },
    );
  } catch {
    // the refusal stands whether or not it could be recorded
  }
}
