import { createHash } from 'node:crypto';
import type { ApiName } from './api-error';

export interface Quota {
  /** Requests allowed per window. */
  requests: number;
  windowMs: number;
}

/**
 * A token bucket that starts full and refills continuously. `take()` resolves when a token is
 * available, so callers are paced instead of rejected.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly ratePerMs: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly quota: Quota,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!(quota.requests > 0) || !(quota.windowMs > 0)) throw new RangeError('quota must be positive');
    this.tokens = quota.requests;
    this.updatedAt = now();
    this.ratePerMs = quota.requests / quota.windowMs;
  }

  /** Waits for one token. Calls are served in arrival order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.acquire());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Empties the bucket, e.g. after the server answered 429: the real quota is spent. */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  private async acquire(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil((1 - this.tokens) / this.ratePerMs));
    }
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.quota.requests, this.tokens + (now - this.updatedAt) * this.ratePerMs);
    this.updatedAt = now;
  }
}

/**
 * One bucket per API and key within a process, shared by every client built for that key. Buckets are
 * found by a digest of the key, so the registry never holds a credential.
 */
export class TokenBucketRegistry {
  private readonly buckets = new Map<string, TokenBucket>();

  forKey(api: ApiName, apiKey: string, quota: Quota): TokenBucket {
    const id = `${api}:${createHash('sha256').update(apiKey).digest('hex')}`;
    let bucket = this.buckets.get(id);
    if (!bucket) {
      bucket = new TokenBucket(quota);
      this.buckets.set(id, bucket);
    }
    return bucket;
  }
}
