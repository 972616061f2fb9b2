import { backoffDelay, classifyStatus, parseRetryAfter, TokenBucket, TokenBucketRegistry } from '../../src/http';
import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { slots } from '../../src/activities/activity-pacing';
import { PACED_ACTIVITY_ATTEMPTS, pacedRetryDelayMs, retryablePacedFailure } from '../../src/workflows/paced-retry';
import { compressedShopkitQuota } from '../../src/sandbox/shopkit-simulator';
import { MAX_PAGES_IN_FLIGHT } from '../../src/contracts/import';
import { pacedQuota, QuotaPacer } from '../../src/workflows/quota-pacer';

describe('TokenBucket', () => {
  it('serves a full bucket at once, then paces callers just under the quota rate', async () => {
    let now = 0;
    const slept: number[] = [];
    const bucket = new TokenBucket(
      { requests: 2, windowMs: 1_000 },
      () => now,
      (ms) => {
        slept.push(ms);
        now += ms;
        return Promise.resolve();
      },
    );
    await bucket.take();
    await bucket.take();
    expect(now).toBe(0);
    await bucket.take();
    expect(now).toBe(503);
    bucket.drain();
    await bucket.take();
    expect(now).toBe(1_006);
    expect(slept).toEqual([503, 503]);
  });

  it('with a burst of one, spaces every call: six calls on an hourly quota of 3,600 take five seconds', async () => {
    let now = 0;
    const bucket = new TokenBucket(
      { requests: 3_600, windowMs: 3_600_000, burst: 1 },
      () => now,
      (ms) => {
        now += ms;
        return Promise.resolve();
      },
    );
    for (let i = 0; i < 6; i++) await bucket.take();
    expect(now).toBe(5 * 1_006);
  });

  it('is shared per API and key, and keyed by a digest rather than the key', () => {
    const registry = new TokenBucketRegistry();
    const quota = { requests: 1, windowMs: 1 };
    expect(registry.forKey('shopkit', 'k', quota)).toBe(registry.forKey('shopkit', 'k', quota));
    expect(registry.forKey('shopkit', 'k', quota)).not.toBe(registry.forKey('shopimind', 'k', quota));
    expect(JSON.stringify([...(registry as unknown as { buckets: Map<string, unknown> }).buckets.keys()])).not.toMatch(
      /:k"/,
    );
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4_000)).toBe(6_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:01 GMT', 4_000)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('draws full-jitter delays below an exponential ceiling capped at the maximum', () => {
    const policy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1_000, maxElapsedMs: 10_000 };
    expect(backoffDelay(policy, 0, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(400);
    expect(backoffDelay(policy, 10, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 10, () => 0)).toBe(0);
  });

  it('retries what can succeed later and nothing else', () => {
    expect([401, 403, 404, 400, 422, 409, 501].map((s) => classifyStatus(s).retryable)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect([408, 429, 500, 502, 503, 504].map((s) => classifyStatus(s).retryable)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});

describe('QuotaPacer (the workflow side of pacing)', () => {
  it('spaces reservations by the quota interval and pushes back after unreserved calls', () => {
    const pacer = new QuotaPacer({ requests: 10, windowMs: 1_000 });
    expect(pacer.reserve(0)).toBe(0);
    expect(pacer.reserve(0)).toBe(100);
    expect(pacer.reserve(0, 3)).toBe(200);
    expect(pacer.reserve(1_000)).toBe(1_000);
    pacer.charge(1_000, 2);
    expect(pacer.reserve(1_000)).toBe(1_300);
    expect(pacer.durationFor(5)).toBe(500);
  });

  it("charges a page's spaced extra reads where they happened: idle slots cost nothing later", () => {
    const idle = new QuotaPacer({ requests: 10, windowMs: 1_000 });
    expect(idle.reserve(0)).toBe(0);
    // Three more reads at 100, 200 and 300 ms, the page done at 300: the schedule had no other call.
    idle.chargeSpaced(300, 3);
    expect(idle.reserve(300)).toBe(400);
    // The same reads appended after the reservation, as `charge` counts them, would wait until 600.

    const busy = new QuotaPacer({ requests: 10, windowMs: 1_000 });
    for (let i = 0; i < 4; i++) busy.reserve(0); // slots 0, 100, 200, 300 reserved for pages in flight
    busy.chargeSpaced(150, 2);
    expect(busy.reserve(150)).toBe(600);
  });

  it('charges spaced reads as the cell rate algorithm counts them at the latest times they can have gone', () => {
    let seed = 11;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (let run = 0; run < 200; run++) {
      const nextAt = Math.floor(random() * 2_000);
      const now = Math.floor(random() * 2_000);
      const calls = 1 + Math.floor(random() * 5);
      const pacer = new QuotaPacer({ requests: 10, windowMs: 1_000 }, { nextAt });
      pacer.chargeSpaced(now, calls);
      // One interval apart, the last at `now`, each counted in turn.
      let expected = nextAt;
      for (let i = calls - 1; i >= 0; i--) expected = Math.max(expected, now - i * 100) + 100;
      expect(pacer.state.nextAt).toBe(expected);
    }
  });

  it('lets a burst go at once after a quiet spell, then spaces calls at the widened interval', () => {
    // 10 calls a second, 4 at once: calls due every 1000/7 ms, up to 3 intervals early.
    const pacer = new QuotaPacer({ requests: 10, windowMs: 1_000, burst: 4 });
    expect(pacer.reserveBurst(0, 4)).toBe(0);
    expect(pacer.burstStart(0, 4)).toBeCloseTo(4_000 / 7);
    expect(pacer.reserve(0)).toBeCloseTo(1_000 / 7);
    expect(pacer.reserveBurst(10_000, 3)).toBe(10_000);
  });

  it('never lets a sliding window hold more than the quota, whatever the bursts', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const pacer = new QuotaPacer({ requests: 60, windowMs: 1_000, burst: 6 });
    const sent: number[] = [];
    for (let now = 0; now < 20_000; now += Math.floor(random() * 300)) {
      const calls = 1 + Math.floor(random() * 6);
      const startAt = pacer.reserveBurst(now, calls);
      for (let i = 0; i < calls; i++) sent.push(startAt);
      now = Math.max(now, startAt);
    }
    const busiest = Math.max(...sent.map((end) => sent.filter((t) => t > end - 1_000 && t <= end).length));
    expect(busiest).toBeLessThanOrEqual(60);
    // The bursts were used: some calls went at once.
    expect(new Set(sent).size).toBeLessThan(sent.length);
  });

  it('never lets a sliding window hold more than the quota', () => {
    const pacer = new QuotaPacer({ requests: 5, windowMs: 1_000 });
    const starts = Array.from({ length: 40 }, (_, i) => pacer.reserve(i * 7));
    for (const start of starts) {
      expect(starts.filter((t) => t > start - 1_000 && t <= start).length).toBeLessThanOrEqual(5);
    }
  });
});

describe('paced activities (one store quota, several worker processes)', () => {
  it("waits for each call's own slot, however late the previous calls went", async () => {
    const waitedFor: number[] = [];
    const gate = slots(1_000, 335, (at) => {
      waitedFor.push(at);
      return Promise.resolve();
    });
    await gate();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await gate();
    await gate();
    expect(waitedFor).toEqual([1_000, 1_335, 1_670]);
  });

  it('retries a failed attempt through the workflow on the schedule Temporal used, unless the failure is final', () => {
    const delays = Array.from({ length: PACED_ACTIVITY_ATTEMPTS - 1 }, (_, i) => pacedRetryDelayMs(i + 1));
    expect(delays).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    const failed = (cause: Error) =>
      new ActivityFailure('failed', 'importPage', '1', RetryState.MAXIMUM_ATTEMPTS_REACHED, 'w', cause);
    expect(retryablePacedFailure(failed(ApplicationFailure.nonRetryable('key refused', 'ShopkitAuthError')))).toBe(
      false,
    );
    expect(retryablePacedFailure(failed(ApplicationFailure.retryable('502', 'ShopkitServerError')))).toBe(true);
    // A killed worker: the heartbeat times out.
    expect(retryablePacedFailure(failed(new TimeoutFailure('heartbeat', undefined, TimeoutType.HEARTBEAT)))).toBe(true);
  });
});

describe('the compressed Shopkit quota of tests and benchmarks', () => {
  /** Most calls of any sliding window of `windowMs` (the simulator's count), given the send times. */
  const busiestWindow = (sent: number[], windowMs: number) =>
    Math.max(...sent.map((end) => sent.filter((t) => t > end - windowMs && t <= end).length));
  // Slots the store's workflow hands out at 3 Shopkit calls a second (`SHOPKIT_QUOTA_PER_HOUR` 10,800).
  const pacer = new QuotaPacer(pacedQuota({ shopkitPerHour: 10_800, shopimindPerMinute: 600 }, 'shopkit'));
  const slotsAt = Array.from({ length: 120 }, () => pacer.reserve(0));

  it('admits the late calls of the pages in flight and refuses an unpaced burst', () => {
    const { requests, windowMs } = compressedShopkitQuota(3);
    expect({ requests, windowMs }).toEqual({ requests: 30 + MAX_PAGES_IN_FLIGHT, windowMs: 10_000 });
    // The pages in flight stalled for a second and a half each bunch with the slots after them.
    const late = slotsAt.map((slot, i) => (i >= 60 && i < 60 + MAX_PAGES_IN_FLIGHT ? slot + 1_500 : slot));
    expect(busiestWindow(late, windowMs)).toBeLessThanOrEqual(requests);
    expect(busiestWindow(late, windowMs)).toBeGreaterThan(30);
    // An import that ignored its slots: 40 calls 10 ms apart.
    const unpaced = Array.from({ length: 40 }, (_, i) => i * 10);
    expect(busiestWindow(unpaced, windowMs)).toBeGreaterThan(requests);
  });
});
