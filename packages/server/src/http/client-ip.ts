import net from "node:net";
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

/**
 * The client address for audit and the sign-in throttle. Without configuration: the socket's
 * address (a client cannot choose it). With `SAFECITY_CLIENT_IP_HEADER` set (only behind a
 * reverse proxy that sets that header and that is the only way in): that header, taking the
 * last entry of a list (`X-Forwarded-For: <spoofed>, <what our proxy saw>`), since only the
 * entry our proxy appended can be trusted; a missing or malformed value falls back to the socket.
 */
export function clientIpResolver(header: string | null): (c: Context) => string | null {
  if (!header) return socketIp;
  return (c) => {
    const raw = c.req.header(header);
    const last = raw?.split(",").pop()?.trim().replace(/^\[(.*)\]$/, "$1");
    return last && net.isIP(last) ? last : socketIp(c);
  };
}
