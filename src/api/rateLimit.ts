/**
 * Per-key rate limits: one token bucket per API key (refill `ratePerSec`, capacity `burst`), in memory.
 * A request takes one token; with none left it is refused with LH_RATE_LIMITED (HTTP 429, Retry-After).
 */
import { LedgerhoundError } from '../core/index.js';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Takes `cost` tokens from the bucket of `id`.
   * @throws LedgerhoundError LH_RATE_LIMITED with details.retryAfterSec when the bucket is empty
   */
  take(id: string, ratePerSec: number, burst: number, cost = 1): void {
    const t = this.now();
    let b = this.buckets.get(id);
    if (b === undefined) {
      b = { tokens: burst, updatedMs: t };
      this.buckets.set(id, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((t - b.updatedMs) / 1000) * ratePerSec);
      b.updatedMs = t;
    }
    if (b.tokens < cost) {
      const retryAfterSec = Math.max(1, Math.ceil((cost - b.tokens) / ratePerSec));
      throw new LedgerhoundError('LH_RATE_LIMITED', `rate limit of ${ratePerSec} requests/s (burst ${burst}) exceeded for key ${id}`, {
        details: { keyId: id, ratePerSec, burst, retryAfterSec },
      });
    }
    b.tokens -= cost;
  }
}
