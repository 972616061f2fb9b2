/**
 * The import's page rules: which page a lane reads next, how many may be in flight, what a page costs,
 * and how a finished page — possibly ahead of an earlier one still in flight — moves the resource's
 * progress. Pure: the lane in initial-import.ts runs the pages.
 */
import {
  MAX_PAGES_IN_FLIGHT,
  VOUCHER_BATCH,
  type ImportResource,
  type PageResult,
  type ResourceProgress,
} from '../contracts/import';
import { describeFailure } from './failure-text';
import { addRejects } from './import-rejects';
import { progressFor, type ImportState } from './import-state';
import { pacedRetryDelayAfter } from './paced-retry';

/**
 * Pages in flight at once across a stage's lanes without a quota (benchmarks): reads cost nothing, and
 * more pages fly to use the CPU instead. Under a quota, `MAX_PAGES_IN_FLIGHT`.
 */
export const MAX_PAGES_IN_FLIGHT_UNPACED = 12;
const UNPACED_INTERVAL_MS = 10;

/** What a lane knows when it decides whether to launch a page. */
export interface LaneView {
  resource: ImportResource;
  progress: ResourceProgress;
  /** Pages of this lane in flight. */
  inFlight: Pick<ReadonlySet<number>, 'has' | 'size'>;
  /** Lanes of the stage running, and their pages in flight together. */
  stage: { running: number; inFlight: number };
  paused: boolean;
  /** Spacing of Shopkit calls under the store's quota. */
  shopkitIntervalMs: number;
  /** Smoothed time from a page's launch to its result (0 before the first). */
  latencyMs: number;
  /** A run with `import-wider-window`: `MAX_PAGES_IN_FLIGHT` per stage, voucher batches side by side. */
  widened: boolean;
}

/** The stage limit of runs that began before `import-wider-window` (their histories replay with it). */
const PAGES_IN_FLIGHT_BEFORE_WIDENING = 3;

/** The voucher batch's coupon codes (undefined for list pages). */
export function pageCodes(state: ImportState, resource: ImportResource, page: number): string[] | undefined {
  if (resource !== 'vouchers') return undefined;
  return state.couponCodes.slice((page - 1) * VOUCHER_BATCH, page * VOUCHER_BATCH);
}

/** Shopkit calls a page makes: one per coupon code, none for the fixed reference lists, else one. */
export function shopkitCallsOf(resource: ImportResource, codes: string[] | undefined): number {
  if (codes) return codes.length;
  return resource === 'customerGroups' || resource === 'orderStatuses' ? 0 : 1;
}

/** The first page neither done nor in flight. */
export function nextPage(progress: ResourceProgress, inFlight: Pick<ReadonlySet<number>, 'has'>): number {
  let page = progress.pagesDone + 1;
  while (progress.completedAhead.includes(page) || inFlight.has(page)) page++;
  return page;
}

/**
 * Pages of this lane that may be in flight: one until the page count is known (and for vouchers in runs
 * before `import-wider-window`), then as many as the quota slots that pass while a page is processed, shared
 * by the stage's lanes.
 */
export function pageWindow(lane: LaneView): number {
  if ((lane.resource === 'vouchers' && !lane.widened) || lane.progress.pageCount === null) return 1;
  const slotsPerPage = lane.latencyMs / (lane.shopkitIntervalMs * Math.max(1, lane.stage.running));
  return Math.max(1, Math.ceil(slotsPerPage));
}

/** Whether the lane may launch its next page now. */
export function mayLaunch(lane: LaneView): boolean {
  const pacedLimit = lane.widened ? MAX_PAGES_IN_FLIGHT : PAGES_IN_FLIGHT_BEFORE_WIDENING;
  const stageLimit = lane.shopkitIntervalMs < UNPACED_INTERVAL_MS ? MAX_PAGES_IN_FLIGHT_UNPACED : pacedLimit;
  return (
    !lane.paused &&
    lane.stage.inFlight < stageLimit &&
    lane.inFlight.size < pageWindow(lane) &&
    // Beyond the known page count only when nothing is in flight: a page that grew the list says so.
    (lane.inFlight.size === 0 ||
      nextPage(lane.progress, lane.inFlight) <= (lane.progress.pageCount ?? Number.POSITIVE_INFINITY))
  );
}

/**
 * What a lane does after a page attempt failed (other than by cancellation): retry at a fresh quota slot
 * while the failure may pass and attempts remain; otherwise pause the import with the failure as its last
 * error, keeping every page done, until an operator resumes it.
 */
export function afterPageFailure(
  resource: ImportResource,
  page: number,
  attempt: number,
  err: unknown,
): { kind: 'retry'; delayMs: number } | { kind: 'pause'; lastError: string } {
  const delayMs = pacedRetryDelayAfter(attempt, err);
  if (delayMs !== undefined) return { kind: 'retry', delayMs };
  return { kind: 'pause', lastError: `${resource} page ${page}: ${describeFailure(err)}` };
}

/** A lane's page latency, smoothed: the first sample as it is, then 30 % of each new one. */
export function smoothedLatencyMs(previousMs: number, sampleMs: number): number {
  return previousMs === 0 ? sampleMs : 0.7 * previousMs + 0.3 * sampleMs;
}

/**
 * A finished page: counts, rejects and coupon codes are added; `pagesDone` advances over every page
 * finished without a gap; the resource is done once the last page (the first one Shopkit said ends the
 * list, or the last voucher batch) and every page before it are done. `codes`: the batch's code count.
 */
export function applyPage(
  state: ImportState,
  resource: ImportResource,
  page: number,
  result: PageResult,
  codes: number,
): void {
  const progress = progressFor(state, resource);
  progress.completedAhead.push(page);
  while (progress.completedAhead.includes(progress.pagesDone + 1)) {
    progress.pagesDone += 1;
    progress.completedAhead = progress.completedAhead.filter((p) => p !== progress.pagesDone);
  }
  progress.read += result.read;
  for (const [target, count] of Object.entries(result.sent)) {
    progress.sentByTarget[target] = (progress.sentByTarget[target] ?? 0) + count;
    progress.sent += count;
  }
  progress.rejected += result.rejectedCount;
  addRejects(state, result.rejected, result.rejectedCount);
  if (resource === 'vouchers') {
    progress.total = state.couponCodes.length;
    progress.pageCount = Math.ceil(state.couponCodes.length / VOUCHER_BATCH);
    // Batches may finish out of order: done once every batch up to the last one is.
    progress.done = codes === 0 || progress.pagesDone >= progress.pageCount;
  } else {
    progress.total = result.total ?? progress.total;
    if (result.done) progress.lastPage = Math.min(progress.lastPage ?? page, page);
    progress.pageCount = progress.lastPage ?? Math.max(progress.pageCount ?? 0, result.pageCount);
    progress.done = progress.lastPage !== null && progress.pagesDone >= progress.lastPage;
  }
  if (result.couponCodes.length > 0) {
    const known = new Set(state.couponCodes);
    for (const code of result.couponCodes) if (!known.has(code)) state.couponCodes.push(code);
  }
}

/** Most Shopkit calls one reservation may ask for: a sanity bound far above a page's buyer searches. */
export const MAX_RESERVED_CALLS = 1_000;

/** The `reserveShopkitCalls` update's validator. */
export function assertReservation(calls: number): void {
  if (!Number.isInteger(calls) || calls < 1 || calls > MAX_RESERVED_CALLS) {
    throw new Error(`A reservation is for 1 to ${MAX_RESERVED_CALLS} Shopkit calls, not ${calls}.`);
  }
}
