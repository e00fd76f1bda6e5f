import { AppError } from "@safecity/core";
import type { Store } from "../db/database.ts";
import { clearAccountFailures, countLoginFailures, deleteLoginFailuresBefore, insertLoginFailure } from "../db/repositories/login-failure.repository.ts";

export interface LoginThrottleOptions {
  /** Failures of one account from one client before delays start (default 5). */
  pairFree?: number;
  /** Failures of one account from any client (default 10): slows a distributed guess at one account. */
  accountFree?: number;
  /** Failures from one client across accounts (default 20): slows one address guessing many accounts. */
  clientFree?: number;
  /** First delay once a limit is reached; it doubles with each further failure (default 30 s). */
  baseDelayMs?: number;
  /** Longest delay (default 15 minutes): nobody, attacker or owner, is ever locked out for longer. */
  maxDelayMs?: number;
  /** Failures older than this are forgotten (default 1 hour). */
  windowMs?: number;
  /** Failed sign-ins per minute across the whole service (password spraying) before a brake (default 100). */
  globalPerMinute?: number;
}

/** A sign-in refused for now: the route answers 429 with `Retry-After`. */
export class ThrottledError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super("auth.rate_limited", message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface ThrottleVerdict {
  /** 0 when an attempt is allowed now. */
  retryAfterSeconds: number;
  /** Which limit: `account+client`, `account`, `client` or `global`. */
  scope: string | null;
}

/**
 * Persistent sign-in throttle (table `login_failure`, so it holds across restarts and processes).
 * A progressive delay, never a lock: after a limit is reached each further attempt must wait
 * `base × 2^(failures − limit)` (capped) after the latest failure, so an attacker can slow an
 * account down but never shut its owner out for good; the owner is told how long to wait.
 * Limits apply per account and client, per account, per client, and globally per minute.
 */
export class LoginThrottle {
  readonly pairFree: number;
  readonly accountFree: number;
  readonly clientFree: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly windowMs: number;
  readonly globalPerMinute: number;

  constructor(opts: LoginThrottleOptions = {}) {
    this.pairFree = opts.pairFree ?? 5;
    this.accountFree = opts.accountFree ?? 10;
    this.clientFree = opts.clientFree ?? 20;
    this.baseDelayMs = opts.baseDelayMs ?? 30_000;
    this.maxDelayMs = opts.maxDelayMs ?? 15 * 60_000;
    this.windowMs = opts.windowMs ?? 60 * 60_000;
    this.globalPerMinute = opts.globalPerMinute ?? 100;
  }

  /** The delay for the `failures`-th failure against a limit of `free`, in ms (0 below the limit). */
  delayMs(failures: number, free: number): number {
    if (failures < free) return 0;
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(30, failures - free));
  }

  /** Whether an attempt for `account` from `client` (null: unknown) may be checked now. */
  async check(store: Store, account: string, client: string | null, now: Date): Promise<ThrottleVerdict> {
    const t = now.getTime();
    const since = new Date(t - this.windowMs).toISOString();
    const scopes: { scope: string; free: number; q: { account?: string; client?: string } }[] = [{ scope: "account", free: this.accountFree, q: { account } }];
    if (client) {
      scopes.unshift({ scope: "account+client", free: this.pairFree, q: { account, client } });
      scopes.push({ scope: "client", free: this.clientFree, q: { client } });
    }
    let worst: ThrottleVerdict = { retryAfterSeconds: 0, scope: null };
    for (const s of scopes) {
      const f = await countLoginFailures(store, { since, ...s.q });
      const wait = this.delayMs(f.count, s.free);
      if (!wait || !f.latest) continue;
      const left = Math.ceil((Date.parse(f.latest) + wait - t) / 1000);
      if (left > worst.retryAfterSeconds) worst = { retryAfterSeconds: left, scope: s.scope };
    }
    const minute = await countLoginFailures(store, { since: new Date(t - 60_000).toISOString() });
    if (minute.count >= this.globalPerMinute && minute.oldest) {
      const left = Math.max(1, Math.ceil((Date.parse(minute.oldest) + 60_000 - t) / 1000));
      if (left > worst.retryAfterSeconds) worst = { retryAfterSeconds: left, scope: "global" };
    }
    return worst;
  }

  async fail(store: Store, account: string, client: string | null, now: Date): Promise<void> {
    await insertLoginFailure(store, { at: now.toISOString(), account, client: client ?? "" });
    await deleteLoginFailuresBefore(store, new Date(now.getTime() - this.windowMs).toISOString());
  }

  async succeed(store: Store, account: string): Promise<void> {
    await clearAccountFailures(store, account);
  }
}

/** "Wait 30 seconds" / "Wait 4 minutes". */
export function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
