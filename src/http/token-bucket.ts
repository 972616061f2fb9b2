import { createHash } from 'node:crypto';
import type { ApiName } from './api-error';

export interface Quota {
  /** Requests allowed per window. */
  requests: number;
  windowMs: number;
  /**
   * Calls that may go at once (default: the whole window's quota). 1 spaces every call evenly, for a
   * quota that several processes share on a schedule.
   */
  burst?: number;
}

/** Share of the quota the pacing uses, so evenly spaced calls stay inside any window of the API's. */
const QUOTA_SHARE = 0.995;

/**
 * Paces one API key's calls in this process: `take()` resolves when the next call may go, so callers
 * wait instead of being refused. It refills at 99.5 % of the quota and holds at most `quota.burst`
 * calls. Shopkit's bucket holds one call: the store's workflows space its calls evenly across every
 * process (quota-pacer.ts), and a process that bursts — webhook registration, a call that went late
 * beside the next one — would spend the slots of the others. ShopiMind's 600 a minute may be spent in
 * bursts.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly ratePerMs: number;
  private readonly capacity: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    quota: Quota,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!(quota.requests > 0) || !(quota.windowMs > 0)) throw new RangeError('quota must be positive');
    this.ratePerMs = (QUOTA_SHARE * quota.requests) / quota.windowMs;
    this.capacity = Math.max(1, Math.min(quota.requests, quota.burst ?? quota.requests));
    this.tokens = this.capacity;
    this.updatedAt = now();
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
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.ratePerMs);
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
