import type { StoreQuotas } from '../contracts/import';

/**
 * Spaces a store's API calls so that no sliding window of `windowMs` ever holds more than `requests`
 * calls, whatever the number of workers: the store's workflow is the single owner of this schedule.
 * Pure and deterministic (it is handed the workflow's clock), so it survives replay and continueAsNew.
 */
export interface PacerState {
  /** Earliest workflow time (ms) at which the next call may start. */
  nextAt: number;
}

export interface QuotaSpec {
  requests: number;
  windowMs: number;
}

export class QuotaPacer {
  readonly intervalMs: number;

  constructor(
    quota: QuotaSpec,
    readonly state: PacerState = { nextAt: 0 },
  ) {
    this.intervalMs = quota.windowMs / quota.requests;
  }

  /**
   * Reserves `calls` consecutive slots and returns when the first may start; the calls must then be
   * spaced by `intervalMs`.
   */
  reserve(now: number, calls = 1): number {
    const startAt = Math.max(now, this.state.nextAt);
    this.state.nextAt = startAt + calls * this.intervalMs;
    return startAt;
  }

  /**
   * Accounts for calls that were made without a reservation (retries, bursts of writes): the next
   * reservation is pushed back so the average never exceeds the quota.
   */
  charge(now: number, calls: number): void {
    if (calls <= 0) return;
    this.state.nextAt = Math.max(now, this.state.nextAt) + calls * this.intervalMs;
  }

  /** How long the pacer needs for `calls` more calls from now. */
  durationFor(calls: number): number {
    return calls * this.intervalMs;
  }
}

/** Pace a little under the quota so a call the pacer never saw (a crashed attempt) cannot cause a 429. */
const QUOTA_SAFETY = 0.995;

/**
 * Waits longer than this use a durable workflow timer; shorter ones happen inside the activity (its
 * `notBefore`), because Temporal timers resolve to about a second.
 */
export const TIMER_THRESHOLD_MS = 3_000;

/** The pacing quota of one API for a store: its configured quota, kept just under, times `share`. */
export function pacedQuota(quotas: StoreQuotas, api: 'shopkit' | 'shopimind', share = 1): QuotaSpec {
  return api === 'shopkit'
    ? { requests: quotas.shopkitPerHour * QUOTA_SAFETY * share, windowMs: 3_600_000 }
    : { requests: quotas.shopimindPerMinute * QUOTA_SAFETY * share, windowMs: 60_000 };
}
