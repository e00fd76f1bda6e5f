import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/** The socket's remote address; null when there is no socket (e.g. `app.request()` in tests). */
export function socketIp(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}
