/**
 * What the store-sync loop does next, as a pure function of its state, the clock and what runs in the
 * background. The workflow carries the step out (an activity, a timer, a hand-over) and asks again.
 */
import { TIMER_THRESHOLD_MS } from './quota-pacer';
import { oldestPending, pendingCount } from './sync-pending';
import { FLUSH_SHOPIMIND_CALLS, hasWork, storePacer, type SyncState } from './sync-state';
import type { SyncSettings } from '../contracts/sync';

/** Temporal timers resolve to about a second. */
export const MIN_TIMER_MS = 1_000;

export type Reconciliation = 'orders' | 'scan';

/** What the loop knows besides the state. */
export interface LoopFacts {
  /** The run's history reached its budget: hand over as soon as no reconciliation runs. */
  historySpent: boolean;
  /** The reconciliation running in the background, if any. */
  background: Reconciliation | undefined;
}

export type SyncStep =
  /** The integration was uninstalled: the workflow ends. */
  | { kind: 'end' }
  /** Continue as a new run, carrying the state. */
  | { kind: 'handOver' }
  | { kind: 'checkGate' }
  | { kind: 'provision' }
  /** A flush is due but its quota slot is further than an activity should wait: a timer first. */
  | { kind: 'waitForQuota'; ms: number }
  /** Flush, pacing Shopkit at this share of the quota (a running scan keeps the rest). */
  | { kind: 'flush'; shopkitShare: number }
  /** Start this reconciliation in the background. */
  | { kind: 'reconcile'; work: Reconciliation }
  /** Nothing to do: wait for a signal, or at most `ms` (the next recheck, retry, flush or reconciliation). */
  | { kind: 'wait'; ms: number };

export function nextStep(state: SyncState, now: number, facts: LoopFacts): SyncStep {
  if (state.integration === 'uninstalled') return { kind: 'end' };
  if (facts.historySpent && !facts.background) return { kind: 'handOver' };
  const sending = state.integration === 'active' && !state.paused;

  if (gateCheckDue(state, now)) return { kind: 'checkGate' };
  // Provisioning waits for the import, which provisions the same data source itself.
  if (sending && state.gate === 'clear' && !state.provision && now >= state.retryAt) return { kind: 'provision' };
  const ready = sending && state.provision !== null && state.gate === 'clear' && now >= state.retryAt;
  if (ready && hasWork(state) && flushDue(state, now)) {
    const startAt = Math.max(
      state.pacers.shopkit.nextAt,
      storePacer(state, 'shopimind', 1)?.burstStart(now, FLUSH_SHOPIMIND_CALLS) ?? now,
    );
    if (startAt - now > TIMER_THRESHOLD_MS) return { kind: 'waitForQuota', ms: startAt - now - TIMER_THRESHOLD_MS };
    return { kind: 'flush', shopkitShare: facts.background === 'scan' ? 1 - state.settings.scanQuotaShare : 1 };
  }
  if (ready && !facts.background && !facts.historySpent) {
    const work = dueReconciliation(state, now);
    if (work) return { kind: 'reconcile', work };
  }
  return { kind: 'wait', ms: Math.max(MIN_TIMER_MS, nextWakeIn(state, now, ready)) };
}

/** The run's history is past either budget (workflowInfo's length and size). */
export function historyBudgetSpent(
  history: { historyLength: number; historySize?: number },
  settings: Pick<SyncSettings, 'historyBudget' | 'historyBytesBudget'>,
): boolean {
  return history.historyLength > settings.historyBudget || (history.historySize ?? 0) > settings.historyBytesBudget;
}

function gateCheckDue(state: SyncState, now: number): boolean {
  if (state.gate === 'unknown') return true;
  return now - state.gateCheckedAt >= gateRecheckMs(state);
}

function gateRecheckMs(state: SyncState): number {
  const { gateRecheckMs, gateHeldRecheckMs, gateHeldIdleRecheckMs } = state.settings;
  if (state.gate !== 'held') return gateRecheckMs;
  return hasWork(state) ? gateHeldRecheckMs : gateHeldIdleRecheckMs;
}

function flushDue(state: SyncState, now: number): boolean {
  if (state.settings.flushDelayMs <= 0 || pendingCount(state.pending) >= state.settings.maxBatch) return true;
  const oldest = oldestPending(state.pending);
  return oldest !== undefined && now - oldest >= state.settings.flushDelayMs;
}

function dueReconciliation(state: SyncState, now: number): Reconciliation | undefined {
  const { ordersReconcileMs, scanIntervalMs } = state.settings;
  const { lastOrdersAt, lastScanAt } = state.reconcile;
  if (ordersReconcileMs > 0 && (lastOrdersAt === null || now - lastOrdersAt >= ordersReconcileMs)) return 'orders';
  if (scanIntervalMs > 0 && (lastScanAt === null || now - lastScanAt >= scanIntervalMs)) return 'scan';
  return undefined;
}

/** Milliseconds until the loop has something to do without a signal: at the latest, the gate's recheck. */
function nextWakeIn(state: SyncState, now: number, ready: boolean): number {
  const candidates = [state.gateCheckedAt + gateRecheckMs(state) - now];
  if (state.retryAt > now) candidates.push(state.retryAt - now);
  if (ready && hasWork(state)) {
    const oldest = oldestPending(state.pending);
    if (oldest !== undefined) candidates.push(oldest + state.settings.flushDelayMs - now);
  }
  const { ordersReconcileMs, scanIntervalMs } = state.settings;
  if (ready && ordersReconcileMs > 0) candidates.push((state.reconcile.lastOrdersAt ?? 0) + ordersReconcileMs - now);
  if (ready && scanIntervalMs > 0) candidates.push((state.reconcile.lastScanAt ?? 0) + scanIntervalMs - now);
  return Math.min(...candidates);
}
