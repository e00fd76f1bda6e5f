import { type DestinationStream, destination, type Logger, pino, stdTimeFunctions } from "pino";

export type { Logger };

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Keys whose values never reach a log line, wherever they sit (two levels deep): credentials,
 * cookies, tokens. Request logs carry no headers or bodies at all; this is the second line.
 */
const SECRET_KEYS = ["password", "newPassword", "currentPassword", "token", "secret", "cookie", "authorization", "set-cookie", "x-csrf-token", "_csrf", "databaseUrl", "DATABASE_URL"];
const prop = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `["${k}"]`);
const REDACT_PATHS = [...SECRET_KEYS.map((k) => prop(k).replace(/^\./, "")), ...SECRET_KEYS.map((k) => `*${prop(k)}`), ...SECRET_KEYS.map((k) => `*.*${prop(k)}`)];

/**
 * The server's structured log: one JSON object per line (pino) on stdout by default, with `time`
 * in ISO form, `level` as a name and secrets redacted.
 */
export function createLogger(opts: { level?: LogLevel; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: opts.level ?? "info",
      base: { service: "safecity" },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    opts.destination ?? destination({ dest: 1, sync: true }),
  );
}

/**
 * A request path safe to log: no query string (it can carry one-time codes) and every long
 * token-like segment (20+ characters of base64url or hex: reset links, invitation codes) replaced.
 */
export function loggablePath(path: string): string {
  const bare = path.split("?")[0] ?? "";
  return bare
    .split("/")
    .map((seg) => (seg.length >= 20 && /^[A-Za-z0-9_\-.~%]+$/.test(seg) ? "[redacted]" : seg))
    .join("/");
}
