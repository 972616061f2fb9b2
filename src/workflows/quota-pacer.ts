import type { StoreQuotas } from '../contracts/import';

/**
 * Schedules a store's API calls so that no sliding window of `windowMs` ever holds more than `requests`
 * calls, whatever the number of workers: the store's workflow is the single owner of this schedule. A
 * generic cell rate algorithm: calls are due one `intervalMs` apart (`nextAt` is the next one's due time),
 * and up to `burst` calls may go before they are due when the store has been quieter than its rate; the
 * interval is widened so that the burst still fits the window. Pure and deterministic (it is handed the
 * workflow's clock), so it survives replay and continueAsNew.
 */
export interface PacerState {
  /** Workflow time (ms) at which the next call is due; calls may start up to the burst tolerance earlier. */
  nextAt: number;
}

export interface QuotaSpec {
  requests: number;
  windowMs: number;
  /** Calls that may go at once after a quiet spell (default 1: evenly spaced). */
  burst?: number;
}

export class QuotaPacer {
  readonly intervalMs: number;
  /** How far ahead of its due time a call may start. */
  readonly toleranceMs: number;

  constructor(
    quota: QuotaSpec,
    readonly state: PacerState = { nextAt: 0 },
  ) {
    const burst = Math.max(1, Math.floor(quota.burst ?? 1));
    // Any window then holds at most windowMs / intervalMs + burst calls (the cell rate bound).
    this.intervalMs = quota.windowMs / (quota.requests - (burst - 1));
    this.toleranceMs = (burst - 1) * this.intervalMs;
  }

  /**
   * Reserves `calls` slots for calls spaced by `intervalMs` (as an activity's `slots` makes them) and
   * returns when the first may start.
   */
  reserve(now: number, calls = 1): number {
    return this.take(Math.max(now, this.state.nextAt - this.toleranceMs), calls);
  }

  /** Reserves `calls` slots for calls sent at once, and returns when they may start. */
  reserveBurst(now: number, calls: number): number {
    return this.take(this.burstStart(now, calls), calls);
  }

  /** When `calls` sent at once could start, without reserving. */
  burstStart(now: number, calls: number): number {
    return Math.max(now, this.state.nextAt + (Math.max(1, calls) - 1) * this.intervalMs - this.toleranceMs);
  }

  /**
   * Accounts for calls that were made without a reservation (retries, bursts of writes): the next
   * reservation is pushed back so the average never exceeds the quota.
   */
  charge(now: number, calls: number): void {
    if (calls <= 0) return;
    this.state.nextAt = Math.max(now, this.state.nextAt) + calls * this.intervalMs;
  }

  /**
   * Accounts for calls one process made one after another without a reservation, each at least
   * `intervalMs` after the previous (its key's token bucket spaces them), the last no later than `now`:
   * a page's reads beyond its reserved one. As the cell rate algorithm would have counted them at those
   * times: where they overlapped reserved slots they push the schedule back by one interval each; where
   * the schedule was idle they used free quota, and the next call is due an interval after the last.
   */
  chargeSpaced(now: number, calls: number): void {
    if (calls <= 0) return;
    this.state.nextAt = Math.max(this.state.nextAt + calls * this.intervalMs, now + this.intervalMs);
  }

  /** How long the pacer needs for `calls` more calls from now. */
  durationFor(calls: number): number {
    return calls * this.intervalMs;
  }

  private take(startAt: number, calls: number): number {
    this.state.nextAt = Math.max(startAt, this.state.nextAt) + calls * this.intervalMs;
    return startAt;
  }
}

/** Pace a little under the quota so a call the pacer never saw (a crashed attempt) cannot cause a 429. */
const QUOTA_SAFETY = 0.995;

/**
 * Waits longer than this use a durable workflow timer; shorter ones happen inside the activity (its
 * `notBefore`), because Temporal timers resolve to about a second.
 */
export const TIMER_THRESHOLD_MS = 3_000;

/**
 * ShopiMind calls a store may send at once after a quiet spell, as a share of its per-minute quota: a sync
 * flush's few writes then go out at once instead of one quota interval apart, for 5 % of the sustained rate.
 * Shopkit calls stay evenly spaced: its hour quota's counting is not documented.
 */
const SHOPIMIND_BURST_SHARE = 0.05;

/** The pacing quota of one API for a store: its configured quota, kept just under, times `share`. */
export function pacedQuota(quotas: StoreQuotas, api: 'shopkit' | 'shopimind', share = 1): QuotaSpec {
  if (api === 'shopkit') return { requests: quotas.shopkitPerHour * QUOTA_SAFETY * share, windowMs: 3_600_000 };
  const requests = quotas.shopimindPerMinute * QUOTA_SAFETY * share;
  return { requests, windowMs: 60_000, burst: Math.max(1, Math.floor(requests * SHOPIMIND_BURST_SHARE)) };
}
