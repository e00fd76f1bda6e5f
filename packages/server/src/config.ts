import fs from "node:fs";
import path from "node:path";
import { AppError } from "@safecity/core";
import { LOG_LEVELS, type LogLevel } from "./log.ts";
import { projectRoot } from "./project-root.ts";

/** Everything the process reads from its environment, validated once at start-up. */
export interface Config {
  readonly dataDir: string;
  /** `postgres://…` selects PostgreSQL; otherwise SQLite at `<dataDir>/safecity.db`. */
  readonly databaseUrl: string | null;
  readonly sqlitePath: string;
  readonly port: number;
  readonly host: string;
  readonly user: string;
  /** Where uploaded police.uk files are written before import: `<dataDir>/uploads`. */
  readonly uploadDir: string;
  /** Largest upload accepted, in bytes (SAFECITY_UPLOAD_LIMIT_MB, default 500 MB). */
  readonly uploadLimitBytes: number;
  /** Map background tiles (SAFECITY_TILE_URL, `https://…/{z}/{x}/{y}.png` or a same-origin path; unset: OpenStreetMap); null: `none`, no tiles. */
  readonly tiles: MapTiles | null;
  /** SAFECITY_PUBLISH_DIR: the folder the admin's "Publish the public website" button writes to (a site per plan in `plan-<id>/`); null: the button is off. */
  readonly publishDir: string | null;
  /** SAFECITY_LOG_LEVEL (default info): the server's JSON log level (fatal, error, warn, info, debug, trace, silent). */
  readonly logLevel: LogLevel;
  /** SAFECITY_SHUTDOWN_TIMEOUT_S (default 20): on SIGTERM/SIGINT, how long requests in flight may take to finish. */
  readonly shutdownTimeoutMs: number;
  /** Accounts and sign-in (docs/web.md, Accounts). */
  readonly accounts: AccountsConfig;
}

export interface AccountsConfig {
  /** SAFECITY_PUBLIC_URL: the address people use (reset links; `Secure` cookies when https); null: the request's own. */
  publicUrl: string | null;
  /** SAFECITY_CLIENT_IP_HEADER: the header a trusted reverse proxy sets to the client address (e.g. X-Forwarded-For); null: the socket address. */
  clientIpHeader: string | null;
  /** SAFECITY_SESSION_HOURS (default 12): a session's absolute lifetime. */
  sessionTtlMs: number;
  /** SAFECITY_SESSION_IDLE_MINUTES (default 30): a session ends after this long without a request. */
  sessionIdleMs: number;
  /** SAFECITY_REAUTH_MINUTES (default 15): admin actions need the password entered this recently. */
  reauthMs: number;
}

export interface MapTiles {
  url: string;
  attribution: string;
}

/** Default upload limit in MB: room for several years of national police.uk archives (one month for 41 forces zipped is 15.6 MB). */
export const DEFAULT_UPLOAD_LIMIT_MB = 500;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Readonly<Config> {
  const problems: string[] = [];
  // one default data folder whatever folder a command runs from: <project>/data (issue 12 item 6)
  const dataDir = env.SAFECITY_DATA_DIR ? path.resolve(cwd, env.SAFECITY_DATA_DIR) : path.join(projectRoot() ?? cwd, "data");
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with postgres:// (got \`${redactUrl(databaseUrl)}\`); unset it to use SQLite`);
  }
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be a port number; got \`${env.PORT}\``);
  const uploadLimitMb = Number(env.SAFECITY_UPLOAD_LIMIT_MB || DEFAULT_UPLOAD_LIMIT_MB);
  if (!Number.isFinite(uploadLimitMb) || uploadLimitMb <= 0) {
    problems.push(`SAFECITY_UPLOAD_LIMIT_MB must be a positive number of megabytes; got \`${env.SAFECITY_UPLOAD_LIMIT_MB}\``);
  }
  const tiles = tilesOf(env, problems);
  const accounts = accountsConfig(env, problems);
  const logLevel = (env.SAFECITY_LOG_LEVEL?.trim().toLowerCase() || "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`SAFECITY_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}; got \`${env.SAFECITY_LOG_LEVEL}\``);
  const shutdownS = Number(env.SAFECITY_SHUTDOWN_TIMEOUT_S?.trim() || 20);
  if (!Number.isFinite(shutdownS) || shutdownS < 1 || shutdownS > 3600) {
    problems.push(`SAFECITY_SHUTDOWN_TIMEOUT_S must be a number of seconds from 1 to 3600; got \`${env.SAFECITY_SHUTDOWN_TIMEOUT_S}\``);
  }
  const publishDir = publishDirOf(env, cwd, problems);
  if (problems.length) {
    throw new AppError("config.invalid", `configuration is invalid:\n  - ${problems.join("\n  - ")}`);
  }
  return Object.freeze({
    dataDir,
    databaseUrl,
    sqlitePath: path.join(dataDir, "safecity.db"),
    port,
    host: env.HOST || "127.0.0.1",
    user: env.SAFECITY_USER || env.USER || "cli",
    uploadDir: path.join(dataDir, "uploads"),
    uploadLimitBytes: Math.round(uploadLimitMb * 1024 * 1024),
    tiles,
    publishDir,
    logLevel,
    shutdownTimeoutMs: Math.round(shutdownS * 1000),
    accounts,
  });
}

/** The default base map: OpenStreetMap's standard tiles (decision 0025), with the credit its licence requires. */
export const OSM_TILES: MapTiles = { url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png", attribution: "© OpenStreetMap contributors" };

/**
 * SAFECITY_TILE_URL: unset = OpenStreetMap's tiles; `none` = no base map (boundaries and cells only);
 * else an http(s) URL or a same-origin path with {z}, {x} and {y}, which then needs
 * SAFECITY_TILE_ATTRIBUTION (every map and export credits its source). The URL may carry an API key:
 * a problem quotes only its origin and path, never its query.
 */
function tilesOf(env: NodeJS.ProcessEnv, problems: string[]): MapTiles | null {
  const url = env.SAFECITY_TILE_URL?.trim() || null;
  const attribution = env.SAFECITY_TILE_ATTRIBUTION?.trim() || "";
  if (url === null) return OSM_TILES;
  if (url.toLowerCase() === "none") return null;
  if (!/^(https?:\/\/[^/?#\s]+)?\/[^\s]*\{z\}[^\s]*\{x\}[^\s]*\{y\}/.test(url)) {
    problems.push(`SAFECITY_TILE_URL must be an http(s) URL or a path with {z}, {x} and {y}, or \`none\` for no base map; got \`${withoutQuery(url)}\``);
    return null;
  }
  if (!attribution) {
    problems.push(`SAFECITY_TILE_ATTRIBUTION must credit the map tiles of SAFECITY_TILE_URL (e.g. "Contains OS data © Crown copyright and database rights 2025"); it is shown on the map and in every export`);
    return null;
  }
  return { url, attribution };
}

/** A URL without its query string or fragment (tile URLs carry API keys there). */
export function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : `${url.slice(0, cut)}?…`;
}

function accountsConfig(env: NodeJS.ProcessEnv, problems: string[]): AccountsConfig {
  const publicUrl = env.SAFECITY_PUBLIC_URL?.trim().replace(/\/+$/, "") || null;
  if (publicUrl && !/^https?:\/\/[^/\s]+$/.test(publicUrl)) {
    problems.push(`SAFECITY_PUBLIC_URL must be the site's origin like https://safecity.council.gov.uk (no path); got \`${publicUrl}\``);
  }
  const clientIpHeader = env.SAFECITY_CLIENT_IP_HEADER?.trim().toLowerCase() || null;
  if (clientIpHeader && !/^[a-z0-9-]+$/.test(clientIpHeader)) {
    problems.push(`SAFECITY_CLIENT_IP_HEADER must be a header name like X-Forwarded-For; got \`${env.SAFECITY_CLIENT_IP_HEADER}\``);
  }
  const positive = (name: string, fallback: number, max: number): number => {
    const raw = env[name]?.trim();
    const n = Number(raw || fallback);
    if (!Number.isFinite(n) || n <= 0 || n > max) {
      problems.push(`${name} must be a number from 1 to ${max}; got \`${raw}\``);
      return fallback;
    }
    return n;
  };
  return {
    publicUrl,
    clientIpHeader,
    sessionTtlMs: positive("SAFECITY_SESSION_HOURS", 12, 24 * 30) * 3_600_000,
    sessionIdleMs: positive("SAFECITY_SESSION_IDLE_MINUTES", 30, 24 * 60) * 60_000,
    reauthMs: positive("SAFECITY_REAUTH_MINUTES", 15, 24 * 60) * 60_000,
  };
}

/** SAFECITY_PUBLISH_DIR resolved against `cwd`: an existing folder, or one whose parent exists (made on first publish). */
function publishDirOf(env: NodeJS.ProcessEnv, cwd: string, problems: string[]): string | null {
  const raw = env.SAFECITY_PUBLISH_DIR?.trim();
  if (!raw) return null;
  const dir = path.resolve(cwd, raw);
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) problems.push(`SAFECITY_PUBLISH_DIR must be a folder; ${dir} is a file`);
  else if (!stat && !fs.existsSync(path.dirname(dir))) problems.push(`SAFECITY_PUBLISH_DIR: neither ${dir} nor its parent folder exists; create it, or unset SAFECITY_PUBLISH_DIR`);
  return dir;
}

/** Which database a command reads, for messages: the SQLite file, or the PostgreSQL URL without its password. */
export function storeDescription(config: Pick<Config, "databaseUrl" | "sqlitePath">): string {
  return config.databaseUrl ? `PostgreSQL ${redactUrl(config.databaseUrl)}` : `SQLite ${config.sqlitePath} (set SAFECITY_DATA_DIR or DATABASE_URL to read another)`;
}

/** A URL with its password replaced, safe for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<unparseable URL>";
  }
}
