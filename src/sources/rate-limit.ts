/**
 * Client-side rate limiting for remote data APIs (FRED allows 120 requests per minute per key and
 * answers 429 beyond it). A sliding-window log: a request is granted only when fewer than `limit`
 * requests were granted in the last `windowMs`, for every window. Unlike a token bucket (whose
 * burst allowance lets ~122 requests into some 60 s windows at 2/s refill), this guarantees each
 * limit in *every* window, so FRED's own counter can never see more than we promise.
 * Time is injected (`now`, `sleep`) so tests run on a fake clock in microseconds.
 */

export interface Clock {
  /** Milliseconds, monotone non-decreasing. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateWindow {
  /** Most requests allowed in any window of `windowMs`. */
  limit: number;
  windowMs: number;
}

export class RateLimiter {
  private readonly windows: RateWindow[];
  private readonly clock: Clock;
  /** Grant times, oldest first; only the last max(limit) are needed. */
  private readonly granted: number[] = [];
  private readonly keep: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(windows: RateWindow[], clock: Clock = systemClock) {
    for (const w of windows) {
      if (!(Number.isInteger(w.limit) && w.limit >= 1 && w.windowMs > 0)) {
        throw new RangeError(
          `rate window needs an integer limit >= 1 and windowMs > 0, got ${JSON.stringify(w)}`,
        );
      }
    }
    this.windows = windows;
    this.clock = clock;
    this.keep = Math.max(1, ...windows.map((w) => w.limit));
  }

  /** Resolves when a request may be sent; concurrent callers are served in call order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Milliseconds until the next request could be granted (0 = now). */
  private waitMs(now: number): number {
    let wait = 0;
    for (const w of this.windows) {
      if (this.granted.length < w.limit) continue;
      // the limit-th most recent grant must have left the window
      const oldest = this.granted[this.granted.length - w.limit];
      wait = Math.max(wait, oldest + w.windowMs - now);
    }
    return wait;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const wait = this.waitMs(now);
      if (wait <= 0) {
        this.granted.push(now);
        if (this.granted.length > this.keep) this.granted.splice(0, this.granted.length - this.keep);
        return;
      }
      await this.clock.sleep(wait);
    }
  }
}
