/**
 * In-memory sign-in throttle: after `maxFailures` failed attempts for the same key (email + IP)
 * within `windowMs`, further attempts are refused until the oldest failure leaves the window.
 * Defaults: 5 failures per 15 minutes. Per process: a restart forgets (documented limitation).
 */
export class LoginThrottle {
  readonly maxFailures: number;
  readonly windowMs: number;
  private readonly failures = new Map<string, number[]>();

  constructor(opts: { maxFailures?: number; windowMs?: number } = {}) {
    this.maxFailures = opts.maxFailures ?? 5;
    this.windowMs = opts.windowMs ?? 15 * 60_000;
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed now. */
  retryAfter(key: string, now: Date): number {
    const recent = this.recent(key, now.getTime());
    if (recent.length < this.maxFailures) return 0;
    const oldest = recent[recent.length - this.maxFailures]!;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now.getTime()) / 1000));
  }

  fail(key: string, now: Date): void {
    const recent = this.recent(key, now.getTime());
    recent.push(now.getTime());
    this.failures.set(key, recent);
    if (this.failures.size > 10_000) this.sweep(now.getTime());
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, t: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > t - this.windowMs);
  }

  private sweep(t: number): void {
    for (const [key, times] of this.failures) {
      if (!times.some((at) => at > t - this.windowMs)) this.failures.delete(key);
    }
  }
}
