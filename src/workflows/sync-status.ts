/** What the store-sync workflow shows of its state: the `status` query and the phase search attribute. */
import type { SyncStatus } from '../contracts/sync';
import { oldestPending, pendingCount } from './sync-pending';
import type { SyncState } from './sync-state';

/** The `SyncPhase` search attribute's value. */
export function syncPhase(state: SyncState): string {
  if (state.integration !== 'active') return `sync-${state.integration}`;
  return state.paused ? 'sync-paused' : 'syncing';
}

export function statusOf(state: SyncState, now: number): SyncStatus {
  const oldest = oldestPending(state.pending);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    storeId: state.storeId,
    integration: state.integration,
    paused: state.paused,
    importGate: state.gate,
    provisioned: state.provision !== null,
    pending: pendingCount(state.pending),
    inFlight: state.inFlight ?? 0,
    pendingTriggers: state.pending.triggers.length,
    lastEvent: state.lastEvent,
    lagMs: oldest === undefined ? 0 : Math.max(0, now - oldest),
    lastFlushAt: state.lastFlushAt,
    counters: { ...state.counters },
    reconcile: {
      ordersFromDay: state.reconcile.ordersFromDay,
      lastOrdersAt: iso(state.reconcile.lastOrdersAt),
      lastScanAt: iso(state.reconcile.lastScanAt),
    },
    lastError: state.lastError,
    recentErrors: [...state.recentErrors],
    run: state.run,
  };
}
