import type { MapTiles } from "../config.ts";
import type { Context } from "hono";
import type { Store } from "../db/database.ts";
import type { User } from "../db/repositories/user.repository.ts";
import type { SessionInfo, SetupCode } from "../services/account.service.ts";
import type { StoredDefaultArea } from "../services/default-area.service.ts";
import type { LoginThrottle } from "../services/login-throttle.ts";
import type { ImportJobs } from "../services/import-job.service.ts";
import type { OidcClient } from "../services/oidc.service.ts";
import type { OpsDeps } from "./request-log.ts";

/** What `createApp` needs. Only `store` is required. */
export interface AppDeps {
  store: Store;
  /** Map background tiles (config `tiles`); default none: the map draws boundaries and cells only. */
  tiles?: MapTiles | null;
  /** Clock (default: the system clock). Tests move it to expire sessions and throttles. */
  now?: () => Date;
  /** Sign-in throttle (default: 5 failures per email + address per 15 minutes, in memory). */
  throttle?: LoginThrottle;
  /** Session length in ms (default 12 hours). */
  sessionTtlMs?: number;
  /** A session ends after this long without a request, in ms (default 30 minutes). */
  sessionIdleMs?: number;
  /** Admin pages and actions need the password entered within this many ms (default 15 minutes). */
  reauthMs?: number;
  /** The address people use (`SAFECITY_PUBLIC_URL`): reset links; cookies are `Secure` when it is https. */
  publicUrl?: string | null;
  /** The first-run setup code printed by `safecity serve` when there are no accounts; default none. */
  setup?: SetupCode | null;
  /**
   * Mark cookies `Secure`: `"auto"` (default) when the request URL is https. Set `true` behind a
   * TLS-terminating proxy that forwards plain http.
   */
  secureCookies?: boolean | "auto";
  /** The client's address for audit and throttling (default: the socket's remote address). */
  clientIp?: (c: Context) => string | null;
  /** OpenID Connect sign-in, when configured (`oidcSettingsFromEnv`); default none. */
  oidc?: OidcClient | null;
  /** Background imports of uploaded files (the Data page); default none: uploads are refused. */
  imports?: ImportJobs | null;
  /** Where the admin's "Publish the public website" button writes (config `publishDir`); default none: the button says how to set it. */
  publishDir?: string | null;
  /** JSON request log with request ids, and the shutdown flag `/readyz` reports (`safecity serve`); default none. */
  ops?: OpsDeps | null;
}

export interface ResolvedDeps {
  store: Store;
  tiles: MapTiles | null;
  now: () => Date;
  throttle: LoginThrottle;
  sessionTtlMs: number;
  sessionIdleMs: number;
  reauthMs: number;
  publicUrl: string | null;
  setup: SetupCode | null;
  secureCookies: boolean | "auto";
  clientIp: (c: Context) => string | null;
  oidc: OidcClient | null;
  imports: ImportJobs | null;
  publishDir: string | null;
}

/** Per-request values every handler can read with `c.var`. */
export interface AppEnv {
  Variables: {
    deps: ResolvedDeps;
    /** The signed-in user, or null on public pages. */
    user: User | null;
    /** How the user was identified: a session cookie or an API token (API tokens skip CSRF). */
    authVia: "session" | "token" | null;
    /** The raw session token (only to sign out). */
    sessionToken: string | null;
    /** The session (times, address) when signed in with a cookie. */
    session: SessionInfo | null;
    /** The CSRF token every form must send back (`<CsrfField />`). */
    csrfToken: string;
    /** Demo data is loaded: every page shows the "Demo data" banner (demo.routes.tsx). */
    demo: boolean;
    /** The signed-in user's default area, loaded on the analysis pages only (analysis-kit.tsx `loadDefaultArea`). */
    defaultArea?: StoredDefaultArea | null;
  };
}

export type AppContext = Context<AppEnv>;
