/**
 * In-memory limit on anonymous submissions (the public consultation form): at most `max`
 * accepted submissions per client key within a sliding `windowMs`. Kept in memory on purpose: no
 * client address is written to the database (an IP address is personal data, and the form asks for
 * none); `safecity serve` is one process, so one map sees every request. A restart forgets the
 * window (documented). Default: 5 per 10 minutes.
 */
export class SubmissionLimiter {
  readonly max: number;
  readonly windowMs: number;
  private readonly times = new Map<string, number[]>();

  constructor(opts: { max?: number; windowMs?: number } = {}) {
    this.max = opts.max ?? 5;
    this.windowMs = opts.windowMs ?? 10 * 60_000;
  }

  /** Seconds until `key` may submit again, or 0 when it may now. */
  retryAfter(key: string, now: Date): number {
    const recent = this.recent(key, now.getTime());
    if (recent.length < this.max) return 0;
    const oldest = recent[recent.length - this.max]!;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now.getTime()) / 1000));
  }

  /** Counts one submission of `key` at `now`. */
  record(key: string, now: Date): void {
    const recent = this.recent(key, now.getTime());
    recent.push(now.getTime());
    this.times.set(key, recent);
    if (this.times.size > 10_000) this.sweep(now.getTime());
  }

  private recent(key: string, t: number): number[] {
    return (this.times.get(key) ?? []).filter((at) => at > t - this.windowMs);
  }

  private sweep(t: number): void {
    for (const [key, times] of this.times) if (!times.some((at) => at > t - this.windowMs)) this.times.delete(key);
  }
}
