import type { ProvisionResult } from '../../src/contracts/import';
import type { SyncEvent, SyncSettings } from '../../src/contracts/sync';
import { TIMER_THRESHOLD_MS } from '../../src/workflows/quota-pacer';
import { applyGateStatus, applyLifecycle, holdForImport, pause, resume } from '../../src/workflows/sync-lifecycle';
import { historyBudgetSpent, MIN_TIMER_MS, nextStep, type LoopFacts } from '../../src/workflows/sync-next-step';
import { addEvent, pendingCount, takeBatch } from '../../src/workflows/sync-pending';
import {
  newSyncState,
  recordFailure,
  recordProblem,
  runSettings,
  type SyncState,
} from '../../src/workflows/sync-state';
import { statusOf, syncPhase } from '../../src/workflows/sync-status';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const idle: LoopFacts = { historySpent: false, background: undefined };
const settings: Partial<SyncSettings> = {
  maxBatch: 3,
  flushDelayMs: 0,
  ordersReconcileMs: 60_000,
  scanIntervalMs: 600_000,
  gateRecheckMs: 30_000,
  gateHeldRecheckMs: 4_000,
  gateHeldIdleRecheckMs: 12_000,
  scanQuotaShare: 0.25,
};
const provision = {
  dataSourceId: 1,
  quotas: { shopkitPerHour: 3_600, shopimindPerMinute: 600 },
} as ProvisionResult;

/** A provisioned, active store whose gate was found clear at T0, reconciled at T0, nothing pending. */
function ready(overrides: Partial<SyncSettings> = {}): SyncState {
  const state = newSyncState({ storeId: 's', settings: { ...settings, ...overrides } }, T0);
  state.gate = 'clear';
  state.gateCheckedAt = T0;
  state.provision = provision;
  return state;
}

function clientEvent(state: SyncState, customerId: string, at: number): void {
  const event: SyncEvent = {
    event: 'client_updated',
    receivedAt: new Date(at).toISOString(),
    digest: `c-${customerId}-${at}`,
    kind: 'client',
    customerId,
  };
  addEvent(state.pending, event, at, state.gate === 'held');
}

function orderEvent(state: SyncState, orderId: number, at: number): void {
  const event = {
    event: 'order_updated',
    receivedAt: new Date(at).toISOString(),
    digest: `o-${orderId}-${at}`,
    kind: 'order',
    orderId,
    version: at,
    order: { id: orderId },
  } as SyncEvent;
  addEvent(state.pending, event, at, state.gate === 'held');
}

describe('store-sync next step (pure loop decisions)', () => {
  it('ends once uninstalled, whatever else is due', () => {
    const state = ready();
    clientEvent(state, 'a', T0);
    applyLifecycle(state, { event: 'uninstall', receivedAt: new Date(T0).toISOString() });
    expect(nextStep(state, T0, { historySpent: true, background: 'scan' })).toEqual({ kind: 'end' });
    expect(pendingCount(state.pending)).toBe(0);
  });

  it('hands over when the history budget is spent, but only once no reconciliation runs', () => {
    const state = ready();
    expect(nextStep(state, T0, { historySpent: true, background: undefined })).toEqual({ kind: 'handOver' });
    // A running reconciliation finishes in this run; pending events still flush meanwhile.
    clientEvent(state, 'a', T0);
    expect(nextStep(state, T0, { historySpent: true, background: 'orders' })).toEqual({
      kind: 'flush',
      shopkitShare: 1,
    });
    takeBatch(state.pending, 10);
    state.gateCheckedAt = T0 + 120_000;
    // …and no new reconciliation starts, though one is due.
    expect(nextStep(state, T0 + 120_000, { historySpent: true, background: 'orders' }).kind).toBe('wait');
  });

  it('history budget: events or bytes, each an input', () => {
    const budget = { historyBudget: 100, historyBytesBudget: 1_000 };
    expect(historyBudgetSpent({ historyLength: 100, historySize: 1_000 }, budget)).toBe(false);
    expect(historyBudgetSpent({ historyLength: 101, historySize: 10 }, budget)).toBe(true);
    expect(historyBudgetSpent({ historyLength: 10, historySize: 1_001 }, budget)).toBe(true);
    expect(historyBudgetSpent({ historyLength: 10 }, budget)).toBe(false);
  });

  it('checks the gate first when unknown, then every gateRecheckMs while clear', () => {
    const state = newSyncState({ storeId: 's', settings }, T0);
    expect(nextStep(state, T0, idle)).toEqual({ kind: 'checkGate' });
    expect(applyGateStatus(state, 'none', T0)).toBe(true);
    expect(state.gate).toBe('clear');
    expect(applyGateStatus(state, 'closed', T0)).toBe(false);
    expect(nextStep(state, T0 + 29_999, idle).kind).not.toBe('checkGate');
    expect(nextStep(state, T0 + 30_000, idle)).toEqual({ kind: 'checkGate' });
  });

  it('while an import holds events: rechecks sooner with events waiting, sends nothing, then re-reads held orders', () => {
    const state = ready();
    holdForImport(state, T0);
    expect(nextStep(state, T0 + 11_999, idle)).toEqual({ kind: 'wait', ms: MIN_TIMER_MS });
    expect(nextStep(state, T0 + 12_000, idle)).toEqual({ kind: 'checkGate' });
    orderEvent(state, 7, T0);
    // Held: no flush, no reconciliation (both are due), only the next recheck.
    expect(nextStep(state, T0 + 3_000, idle)).toEqual({ kind: 'wait', ms: 1_000 });
    expect(nextStep(state, T0 + 4_000, idle)).toEqual({ kind: 'checkGate' });
    expect(applyGateStatus(state, 'running', T0 + 4_000)).toBe(false);
    expect(applyGateStatus(state, 'closed', T0 + 8_000)).toBe(true);
    expect(nextStep(state, T0 + 8_000, idle)).toEqual({ kind: 'flush', shopkitShare: 1 });
    expect(takeBatch(state.pending, 10).batch.orders).toMatchObject({ upserts: [], reread: [7] });
  });

  it('provisions once the gate is clear, unless inactive, paused or backing off', () => {
    const state = ready();
    state.provision = null;
    expect(nextStep(state, T0, idle)).toEqual({ kind: 'provision' });
    recordFailure(state, 'provisioning: refused', T0);
    expect(state.retryAt).toBe(T0 + 2_000);
    expect(nextStep(state, T0 + 500, idle)).toEqual({ kind: 'wait', ms: 1_500 });
    expect(nextStep(state, T0 + 2_000, idle)).toEqual({ kind: 'provision' });
    pause(state);
    expect(nextStep(state, T0 + 2_000, idle).kind).toBe('wait');
    resume(state);
    state.integration = 'inactive';
    expect(nextStep(state, T0 + 2_000, idle).kind).toBe('wait');
  });

  it('holds pending events while the integration is inactive or paused, waking only for the gate', () => {
    for (const hold of [
      (s: SyncState) => applyLifecycle(s, { event: 'deactivate', receivedAt: '' }),
      (s: SyncState) => pause(s),
    ]) {
      const state = ready();
      clientEvent(state, 'a', T0);
      hold(state);
      expect(nextStep(state, T0 + 10_000, idle)).toEqual({ kind: 'wait', ms: 20_000 });
      // Both reconciliations are due too, and wait as well.
      state.gateCheckedAt = T0 + 590_000;
      expect(nextStep(state, T0 + 600_000, idle)).toEqual({ kind: 'wait', ms: 20_000 });
    }
  });

  it('backs off after failures: nothing flushes before retryAt, the delay doubles up to five minutes, resume ends it', () => {
    const state = ready();
    clientEvent(state, 'a', T0);
    recordFailure(state, 'flush: 503', T0);
    recordFailure(state, 'flush: 503', T0);
    expect(state.retryAt).toBe(T0 + 4_000);
    expect(nextStep(state, T0 + 1_000, idle)).toEqual({ kind: 'wait', ms: 3_000 });
    expect(nextStep(state, T0 + 4_000, idle)).toEqual({ kind: 'flush', shopkitShare: 1 });
    for (let i = 0; i < 10; i++) recordFailure(state, 'flush: 503', T0);
    expect(state.retryAt).toBe(T0 + 5 * 60_000);
    resume(state);
    expect(nextStep(state, T0, idle)).toEqual({ kind: 'flush', shopkitShare: 1 });
    // A problem without back-off is only reported.
    recordFailure(state, 'orders reconciliation: 500', T0, false);
    expect(state.retryAt).toBe(0);
    expect(state.counters.errors).toBe(13);
  });

  it('flushes at once without a coalescing delay', () => {
    const state = ready();
    clientEvent(state, 'a', T0);
    expect(nextStep(state, T0, idle)).toEqual({ kind: 'flush', shopkitShare: 1 });
  });

  it('with a coalescing delay: flushes when the oldest event is old enough, or as soon as a batch is full', () => {
    const state = ready({ flushDelayMs: 5_000 });
    clientEvent(state, 'a', T0);
    clientEvent(state, 'b', T0 + 2_000);
    expect(nextStep(state, T0 + 2_500, idle)).toEqual({ kind: 'wait', ms: 2_500 });
    expect(nextStep(state, T0 + 4_500, idle)).toEqual({ kind: 'wait', ms: MIN_TIMER_MS });
    expect(nextStep(state, T0 + 5_000, idle)).toEqual({ kind: 'flush', shopkitShare: 1 });
    clientEvent(state, 'c', T0 + 2_600);
    expect(nextStep(state, T0 + 2_600, idle)).toEqual({ kind: 'flush', shopkitShare: 1 });
  });

  it('waits on a timer for a far quota slot, and lets the activity wait for a near one', () => {
    const state = ready();
    clientEvent(state, 'a', T0);
    // ShopiMind at 600/min: a call is due every 60,000/569 ms and 29 may go at once, so a flush's six
    // writes may start 23 intervals before the next call is due.
    const early = 23 * (60_000 / 569);
    state.pacers.shopimind.nextAt = T0 + 10_000;
    expect(nextStep(state, T0, idle)).toEqual({
      kind: 'waitForQuota',
      ms: expect.closeTo(10_000 - early - TIMER_THRESHOLD_MS, 3),
    });
    state.pacers.shopimind.nextAt = T0 + early;
    expect(nextStep(state, T0, idle)).toEqual({ kind: 'flush', shopkitShare: 1 });
    state.pacers.shopimind.nextAt = 0;
    state.pacers.shopkit.nextAt = T0 + TIMER_THRESHOLD_MS;
    expect(nextStep(state, T0, idle)).toEqual({ kind: 'flush', shopkitShare: 1 });
  });

  it('a flush during a scan paces Shopkit at the share the scan leaves', () => {
    const state = ready();
    clientEvent(state, 'a', T0);
    expect(nextStep(state, T0, { historySpent: false, background: 'scan' })).toEqual({
      kind: 'flush',
      shopkitShare: 0.75,
    });
    expect(nextStep(state, T0, { historySpent: false, background: 'orders' })).toEqual({
      kind: 'flush',
      shopkitShare: 1,
    });
  });

  it('reconciles orders every ordersReconcileMs and scans every scanIntervalMs, orders first, one at a time', () => {
    const state = ready({ gateRecheckMs: 3_600_000 });
    expect(nextStep(state, T0 + 59_999, idle)).toEqual({ kind: 'wait', ms: 1_000 });
    expect(nextStep(state, T0 + 60_000, idle)).toEqual({ kind: 'reconcile', work: 'orders' });
    expect(nextStep(state, T0 + 60_000, { historySpent: false, background: 'orders' }).kind).toBe('wait');
    state.reconcile.lastOrdersAt = T0 + 600_000;
    expect(nextStep(state, T0 + 600_000, idle)).toEqual({ kind: 'reconcile', work: 'scan' });
    // Both due: the orders go first; the scan follows once they are done.
    expect(nextStep(state, T0 + 660_000, idle)).toEqual({ kind: 'reconcile', work: 'orders' });
    // Pending events are flushed before a reconciliation starts.
    clientEvent(state, 'a', T0 + 660_000);
    expect(nextStep(state, T0 + 660_000, idle).kind).toBe('flush');
  });

  it('never reconciles with intervals of 0, and wakes only for the gate then', () => {
    const state = ready({ ordersReconcileMs: 0, scanIntervalMs: 0 });
    expect(nextStep(state, T0 + 10_000_000, idle)).toEqual({ kind: 'checkGate' });
    expect(nextStep(state, T0 + 1_000, idle)).toEqual({ kind: 'wait', ms: 29_000 });
  });

  it('wakes at the earliest of the gate recheck, the back-off, the delayed flush and the reconciliations', () => {
    const state = ready({ flushDelayMs: 8_000, ordersReconcileMs: 20_000, scanIntervalMs: 15_000 });
    expect(nextStep(state, T0, idle)).toEqual({ kind: 'wait', ms: 15_000 });
    clientEvent(state, 'a', T0);
    expect(nextStep(state, T0, idle)).toEqual({ kind: 'wait', ms: 8_000 });
    recordFailure(state, 'flush: 503', T0);
    // Backing off: the flush waits for retryAt, and only the gate and retryAt wake the loop.
    expect(nextStep(state, T0, idle)).toEqual({ kind: 'wait', ms: 2_000 });
  });

  it('activation after events were dropped runs both reconciliations at once', () => {
    const state = ready();
    applyLifecycle(state, { event: 'deactivate', receivedAt: '' });
    state.pending.overflowed = true;
    applyLifecycle(state, { event: 'activate', receivedAt: '' });
    expect(state.pending.overflowed).toBe(false);
    expect(nextStep(state, T0, idle)).toEqual({ kind: 'reconcile', work: 'orders' });
    state.reconcile.lastOrdersAt = T0;
    expect(nextStep(state, T0, idle)).toEqual({ kind: 'reconcile', work: 'scan' });
  });

  it('lifecycle: install keeps an uninstalled store uninstalled, config_updated provisions again', () => {
    const state = ready();
    applyLifecycle(state, { event: 'install', receivedAt: '' });
    expect(state.integration).toBe('inactive');
    applyLifecycle(state, { event: 'config_updated', receivedAt: '' });
    applyLifecycle(state, { event: 'activate', receivedAt: '' });
    expect(nextStep(state, T0, idle)).toEqual({ kind: 'provision' });
    applyLifecycle(state, { event: 'uninstall', receivedAt: '' });
    applyLifecycle(state, { event: 'install', receivedAt: '' });
    expect(state.integration).toBe('uninstalled');
  });
});

describe('store-sync state and status views', () => {
  it('a run takes the input settings over the carried ones over the defaults', () => {
    const carried = { maxBatch: 7, historyBudget: 500 } as Partial<SyncSettings>;
    const merged = runSettings(carried, { storeId: 's', settings: { historyBudget: 300 } });
    expect(merged).toMatchObject({ maxBatch: 7, historyBudget: 300, historyBytesBudget: 16 * 1024 * 1024 });
    expect(newSyncState({ storeId: 's' }, T0).settings.historyBudget).toBe(10_000);
  });

  it('keeps the last 20 problems; only errors count and become lastError', () => {
    const state = ready();
    for (let i = 0; i < 25; i++) recordProblem(state, `p${i}`, T0 + i, i % 2 === 0);
    expect(state.recentErrors).toHaveLength(20);
    expect(state.recentErrors[0]).toBe(`${new Date(T0 + 5).toISOString()} p5`);
    expect(state.counters.errors).toBe(13);
    expect(state.lastError).toBe('p24');
  });

  it('phase and status follow the state', () => {
    const state = ready();
    expect(syncPhase(state)).toBe('syncing');
    pause(state);
    expect(syncPhase(state)).toBe('sync-paused');
    applyLifecycle(state, { event: 'deactivate', receivedAt: '' });
    expect(syncPhase(state)).toBe('sync-inactive');
    clientEvent(state, 'a', T0);
    state.reconcile.lastScanAt = null;
    expect(statusOf(state, T0 + 1_500)).toMatchObject({
      integration: 'inactive',
      paused: true,
      importGate: 'clear',
      provisioned: true,
      pending: 1,
      lagMs: 1_500,
      reconcile: { lastOrdersAt: new Date(T0).toISOString(), lastScanAt: null },
      run: 1,
    });
  });
});
