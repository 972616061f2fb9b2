import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import {
  MAX_PAGES_IN_FLIGHT,
  type PageResult,
  type ProvisionResult,
  type RejectedItem,
} from '../../src/contracts/import';
import {
  afterPageFailure,
  assertReservation,
  MAX_RESERVED_CALLS,
  applyPage,
  MAX_PAGES_IN_FLIGHT_UNPACED,
  mayLaunch,
  nextPage,
  pageCodes,
  pageWindow,
  shopkitCallsOf,
  smoothedLatencyMs,
  type LaneView,
} from '../../src/workflows/import-pages';
import { PACED_ACTIVITY_ATTEMPTS } from '../../src/workflows/paced-retry';
import { etaOf, importPhase, progressOf } from '../../src/workflows/import-progress';
import { addRejects, applyReplay, assertReplayable, replayableRefs } from '../../src/workflows/import-rejects';
import { historyBudgetSpent, newImportState, progressFor, type ImportState } from '../../src/workflows/import-state';
import { QuotaPacer } from '../../src/workflows/quota-pacer';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);

function page(overrides: Partial<PageResult> = {}): PageResult {
  return {
    total: 250,
    pageCount: 5,
    done: false,
    read: 50,
    sent: { orders: 50 },
    rejectedCount: 0,
    rejected: [],
    couponCodes: [],
    calls: { shopkit: 1, shopimind: 1 },
    ...overrides,
  };
}

function reject(sourceId: string, stage: RejectedItem['stage'] = 'remote', target = 'products'): RejectedItem {
  return { resource: 'products', target, sourceId, reasons: ['refused'], stage, page: 1 };
}

function lane(state: ImportState, overrides: Partial<LaneView> = {}): LaneView {
  return {
    resource: 'orders',
    progress: progressFor(state, 'orders'),
    inFlight: new Set<number>(),
    stage: { running: 1, inFlight: 0 },
    paused: false,
    shopkitIntervalMs: 100,
    latencyMs: 0,
    widened: true,
    ...overrides,
  };
}

describe('import pages (pure window, next page and progress rules)', () => {
  it('pages completed out of order: pagesDone advances only over a gap-free run, the rest wait ahead', () => {
    const state = newImportState({ storeId: 's' }, T0);
    applyPage(state, 'orders', 2, page(), 0);
    applyPage(state, 'orders', 4, page(), 0);
    const progress = progressFor(state, 'orders');
    expect(progress).toMatchObject({ pagesDone: 0, completedAhead: [2, 4], read: 100, pageCount: 5, done: false });
    expect(nextPage(progress, new Set([1]))).toBe(3);
    applyPage(state, 'orders', 1, page(), 0);
    expect(progress).toMatchObject({ pagesDone: 2, completedAhead: [4] });
    expect(nextPage(progress, new Set())).toBe(3);
    expect(nextPage(progress, new Set([3]))).toBe(5);
    applyPage(state, 'orders', 3, page(), 0);
    expect(progress).toMatchObject({ pagesDone: 4, completedAhead: [], sent: 200, sentByTarget: { orders: 200 } });
  });

  it('last page: the first page Shopkit says ends the list, done once every page before it is done', () => {
    const state = newImportState({ storeId: 's' }, T0);
    const progress = progressFor(state, 'orders');
    // The list shrank while it was read: page 4 came back last, page 5 (launched before) too.
    applyPage(state, 'orders', 5, page({ done: true, read: 0 }), 0);
    applyPage(state, 'orders', 4, page({ done: true, read: 10 }), 0);
    expect(progress).toMatchObject({ lastPage: 4, pageCount: 4, done: false });
    for (const p of [1, 2, 3]) applyPage(state, 'orders', p, page(), 0);
    expect(progress).toMatchObject({ pagesDone: 5, done: true, lastPage: 4 });
    // Without a last page seen, the page count only grows.
    const other = progressFor(state, 'customers');
    applyPage(state, 'customers', 1, page({ pageCount: 7 }), 0);
    applyPage(state, 'customers', 2, page({ pageCount: 6, total: null }), 0);
    expect(other).toMatchObject({ pageCount: 7, total: 250, done: false });
  });

  it('vouchers: codes from order pages, fetched once each in batches; done at the batch that reaches the end', () => {
    const state = newImportState({ storeId: 's' }, T0);
    applyPage(state, 'orders', 1, page({ couponCodes: ['A', 'B'] }), 0);
    applyPage(state, 'orders', 2, page({ couponCodes: ['B', 'C'] }), 0);
    expect(state.couponCodes).toEqual(['A', 'B', 'C']);
    expect(pageCodes(state, 'vouchers', 1)).toEqual(['A', 'B']);
    expect(pageCodes(state, 'vouchers', 2)).toEqual(['C']);
    expect(pageCodes(state, 'orders', 1)).toBeUndefined();
    expect(shopkitCallsOf('vouchers', ['C'])).toBe(1);
    expect(shopkitCallsOf('orders', undefined)).toBe(1);
    expect(shopkitCallsOf('customerGroups', undefined)).toBe(0);
    expect(shopkitCallsOf('orderStatuses', undefined)).toBe(0);
    applyPage(state, 'vouchers', 1, page({ total: null, read: 2 }), 2);
    expect(progressFor(state, 'vouchers')).toMatchObject({ total: 3, pageCount: 2, done: false });
    applyPage(state, 'vouchers', 2, page({ total: null, read: 1 }), 1);
    expect(progressFor(state, 'vouchers').done).toBe(true);
    // No code at all: the one empty batch ends the stage.
    const none = newImportState({ storeId: 's' }, T0);
    applyPage(none, 'vouchers', 1, page({ total: null, read: 0 }), 0);
    expect(progressFor(none, 'vouchers')).toMatchObject({ done: true, pageCount: 0 });
    // Batches side by side: the last one finishing first does not end the stage before the others.
    const five = newImportState({ storeId: 's' }, T0);
    applyPage(five, 'orders', 1, page({ couponCodes: ['A', 'B', 'C', 'D', 'E'] }), 0);
    applyPage(five, 'vouchers', 3, page({ total: null, read: 1 }), 1);
    expect(progressFor(five, 'vouchers')).toMatchObject({ pageCount: 3, pagesDone: 0, done: false });
    applyPage(five, 'vouchers', 1, page({ total: null, read: 2 }), 2);
    expect(progressFor(five, 'vouchers').done).toBe(false);
    applyPage(five, 'vouchers', 2, page({ total: null, read: 2 }), 2);
    expect(progressFor(five, 'vouchers')).toMatchObject({ pagesDone: 3, done: true, read: 5 });
  });

  it('window: one page until the page count is known, then the quota slots a page takes, shared by the lanes', () => {
    const state = newImportState({ storeId: 's' }, T0);
    const progress = progressFor(state, 'orders');
    expect(pageWindow(lane(state, { latencyMs: 1_000 }))).toBe(1);
    progress.pageCount = 10;
    expect(pageWindow(lane(state, { latencyMs: 0 }))).toBe(1);
    expect(pageWindow(lane(state, { latencyMs: 250 }))).toBe(3);
    expect(pageWindow(lane(state, { latencyMs: 250, stage: { running: 2, inFlight: 0 } }))).toBe(2);
    // Voucher batches side by side once their count is known; one at a time in runs before the widening.
    const vouchers = progressFor(state, 'vouchers');
    expect(pageWindow(lane(state, { resource: 'vouchers', progress: vouchers, latencyMs: 1_000 }))).toBe(1);
    vouchers.pageCount = 6;
    expect(pageWindow(lane(state, { resource: 'vouchers', progress: vouchers, latencyMs: 1_000 }))).toBe(10);
    expect(
      pageWindow(lane(state, { resource: 'vouchers', progress: vouchers, latencyMs: 1_000, widened: false })),
    ).toBe(1);
  });

  it('launch: within the window, the stage limit (higher without a quota), not paused, not past a known end', () => {
    const state = newImportState({ storeId: 's' }, T0);
    const progress = progressFor(state, 'orders');
    expect(mayLaunch(lane(state))).toBe(true);
    expect(mayLaunch(lane(state, { paused: true }))).toBe(false);
    // Page count unknown: one page at a time.
    expect(mayLaunch(lane(state, { inFlight: new Set([1]), latencyMs: 10_000 }))).toBe(false);
    progress.pageCount = 3;
    expect(mayLaunch(lane(state, { inFlight: new Set([1]), latencyMs: 10_000 }))).toBe(true);
    expect(
      mayLaunch(
        lane(state, {
          inFlight: new Set([1]),
          latencyMs: 10_000,
          stage: { running: 1, inFlight: MAX_PAGES_IN_FLIGHT },
        }),
      ),
    ).toBe(false);
    expect(MAX_PAGES_IN_FLIGHT).toBe(5);
    // Runs that began before the widening keep their limit of 3, so their histories replay.
    const busy = { inFlight: new Set([1]), latencyMs: 10_000 };
    expect(mayLaunch(lane(state, { ...busy, stage: { running: 1, inFlight: 3 } }))).toBe(true);
    expect(mayLaunch(lane(state, { ...busy, stage: { running: 1, inFlight: 3 }, widened: false }))).toBe(false);
    const unpaced = { shopkitIntervalMs: 1, latencyMs: 10_000 };
    expect(mayLaunch(lane(state, { ...unpaced, inFlight: new Set([1]), stage: { running: 1, inFlight: 11 } }))).toBe(
      true,
    );
    expect(
      mayLaunch(
        lane(state, {
          ...unpaced,
          inFlight: new Set([1]),
          stage: { running: 1, inFlight: MAX_PAGES_IN_FLIGHT_UNPACED },
        }),
      ),
    ).toBe(false);
    // Page 1 done, 2 and 3 in flight: the next would be 4, past the known count, so it waits for what they say.
    progress.pagesDone = 1;
    expect(mayLaunch(lane(state, { inFlight: new Set([2, 3]), latencyMs: 10_000 }))).toBe(false);
    // Nothing in flight: the lane may look past the count (a page that grew the list says so).
    progress.pagesDone = 3;
    expect(mayLaunch(lane(state))).toBe(true);
  });

  it('a failed page: retried at a fresh slot while it may pass, else the import pauses with the failure', () => {
    const outage = new ActivityFailure(
      'failed',
      'importPage',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      undefined,
      ApplicationFailure.retryable('502', 'ShopkitServerError'),
    );
    const revoked = new ActivityFailure(
      'failed',
      'importPage',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      undefined,
      ApplicationFailure.nonRetryable('key refused', 'ShopkitAuthError'),
    );
    expect(afterPageFailure('orders', 3, 1, outage)).toEqual({ kind: 'retry', delayMs: 2_000 });
    expect(afterPageFailure('orders', 3, 4, outage)).toEqual({ kind: 'retry', delayMs: 16_000 });
    // The attempts are spent: paused, not failed, so the import keeps its place.
    expect(afterPageFailure('orders', 3, PACED_ACTIVITY_ATTEMPTS, outage)).toEqual({
      kind: 'pause',
      lastError: 'orders page 3: ShopkitServerError: 502',
    });
    expect(afterPageFailure('vouchers', 2, 1, revoked)).toEqual({
      kind: 'pause',
      lastError: 'vouchers page 2: ShopkitAuthError: key refused',
    });
  });

  it('a reservation of further Shopkit calls asks for a whole number of them, within the bound', () => {
    for (const calls of [1, 3, MAX_RESERVED_CALLS]) expect(() => assertReservation(calls)).not.toThrow();
    for (const calls of [0, -2, 1.5, Number.NaN, MAX_RESERVED_CALLS + 1]) {
      expect(() => assertReservation(calls)).toThrow(/1 to 1000 Shopkit calls/);
    }
  });

  it('latency: the first page’s as it is, then smoothed towards each new one', () => {
    expect(smoothedLatencyMs(0, 800)).toBe(800);
    expect(smoothedLatencyMs(800, 1_800)).toBeCloseTo(1_100);
    expect(smoothedLatencyMs(1_100, 1_100)).toBeCloseTo(1_100);
  });

  it('hands over past its history budget or when the server suggests it', () => {
    expect(historyBudgetSpent({ historyLength: 600, continueAsNewSuggested: false }, 600)).toBe(false);
    expect(historyBudgetSpent({ historyLength: 601, continueAsNewSuggested: false }, 600)).toBe(true);
    expect(historyBudgetSpent({ historyLength: 10, continueAsNewSuggested: true }, 600)).toBe(true);
    expect(newImportState({ storeId: 's' }, T0).historyBudget).toBe(8_000);
    expect(newImportState({ storeId: 's', historyBudget: 40 }, T0).historyBudget).toBe(40);
  });
});

describe('import rejects and progress views', () => {
  it('keeps 500 rejects listed and counts the rest', () => {
    const state = newImportState({ storeId: 's' }, T0);
    addRejects(
      state,
      Array.from({ length: 450 }, (_, i) => reject(`p${i}`)),
      460,
    );
    addRejects(
      state,
      Array.from({ length: 100 }, (_, i) => reject(`q${i}`)),
      100,
    );
    expect(state.rejected).toHaveLength(500);
    expect(state.rejectedNotListed).toBe(60);
    expect(progressOf(state, undefined, T0).rejectedTotal).toBe(560);
  });

  it('replays each record once, keeps unreadable ones, and subtracts what was re-sent', () => {
    const state = newImportState({ storeId: 's' }, T0);
    expect(() => assertReplayable(state)).toThrow(/not provisioned/);
    state.provision = { dataSourceId: 1 } as ProvisionResult;
    expect(() => assertReplayable({ ...state, dryRun: true })).toThrow(/dry run/);
    expect(() => assertReplayable(state)).not.toThrow();
    applyPage(
      state,
      'products',
      1,
      page({
        rejectedCount: 3,
        rejected: [reject('1'), reject('1', 'remote', 'productVariations'), reject('2', 'read')],
      }),
      0,
    );
    expect(replayableRefs(state)).toEqual([{ resource: 'products', sourceId: '1', page: 1 }]);
    const summary = applyReplay(state, {
      resent: [{ resource: 'products', sourceId: '1', page: 1 }],
      stillRejected: [],
      calls: { shopkit: 1, shopimind: 1 },
    });
    expect(summary).toEqual({ resent: 1, stillRejected: 0 });
    expect(state.rejected.map((r) => r.sourceId)).toEqual(['2']);
    expect(progressFor(state, 'products').rejected).toBe(2);
  });

  it('ETA: the remaining Shopkit calls at the paced rate, from the pacer’s next slot; none once done', () => {
    const state = newImportState({ storeId: 's', resources: ['customerGroups', 'orders', 'vouchers'] }, T0);
    const shopkit = new QuotaPacer({ requests: 1, windowMs: 1_000 }, { nextAt: T0 + 5_000 });
    expect(etaOf(state, undefined, T0)).toBeNull();
    // Unknown counts count one page each; customer groups read nothing.
    expect(etaOf(state, shopkit, T0)).toBe(new Date(T0 + 5_000 + 1_000).toISOString());
    applyPage(state, 'orders', 1, page({ couponCodes: ['A', 'B', 'C'] }), 0);
    expect(etaOf(state, shopkit, T0 + 9_000)).toBe(new Date(T0 + 9_000 + (4 + 3) * 1_000).toISOString());
    state.phase = 'done';
    expect(progressOf(state, shopkit, T0)).toMatchObject({ eta: null, phase: 'done', mapping: null, run: 1 });
    expect(importPhase(state)).toBe('done');
    state.paused = true;
    expect(importPhase(state)).toBe('paused');
  });
});
