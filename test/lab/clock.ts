/**
 * The lab's notion of time. Age, TTLs, error caching and Date headers all read this clock, so a test
 * moves time forward with `advance()` instead of sleeping.
 */
export class LabClock {
  #now: number;

  /**
   * Starts at the real time by default: browsers judge freshness from Date and Age, and a Date far in
   * the past would make every copy stale to them.
   */
  constructor(startMs = Math.floor(Date.now() / 1000) * 1000) {
    this.#now = startMs;
  }

  /** Milliseconds since the epoch, as the lab sees it. */
  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('the lab clock only moves forward');
    this.#now += ms;
  }

  /** An HTTP date (RFC 9110 IMF-fixdate) for the lab's now. */
  httpDate(): string {
    return new Date(this.#now).toUTCString();
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
