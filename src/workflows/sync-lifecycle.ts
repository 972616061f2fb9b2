/**
 * How the store-sync state moves on what it is told: ShopiMind's integration lifecycle, pause and resume,
 * and the store's import starting or ending (the gate). Pure: the workflow's handlers call these and
 * publish the phase themselves.
 */
import type { ImportGateResult, LifecycleChange } from '../contracts/sync';
import { markOrdersForReread, emptyPending } from './sync-pending';
import type { SyncState } from './sync-state';

export function applyLifecycle(state: SyncState, change: LifecycleChange): void {
  switch (change.event) {
    case 'install':
    case 'deactivate':
      if (state.integration !== 'uninstalled') state.integration = 'inactive';
      break;
    case 'activate':
      state.integration = 'active';
      state.retryAt = 0;
      state.consecutiveFailures = 0;
      // Events were dropped while held: catch up with both reconciliations right away.
      if (state.pending.overflowed) {
        state.reconcile.lastOrdersAt = null;
        state.reconcile.lastScanAt = null;
        state.pending.overflowed = false;
      }
      break;
    case 'uninstall':
      state.integration = 'uninstalled';
      state.pending = emptyPending();
      break;
    case 'config_updated':
      // Re-provision (data source, definitions, events) with the new configuration.
      state.provision = null;
      break;
  }
}

export function pause(state: SyncState): void {
  state.paused = true;
}

/** An operator's resume also ends any back-off: the next step is tried at once. */
export function resume(state: SyncState): void {
  state.paused = false;
  state.retryAt = 0;
  state.consecutiveFailures = 0;
}

/** Whoever starts the import says so first: hold events until it ends. */
export function holdForImport(state: SyncState, now: number): void {
  state.gate = 'held';
  state.gateCheckedAt = now;
  markOrdersForReread(state.pending);
}

/** What a gate check found; true when the gate changed (the phase is published again). */
export function applyGateStatus(state: SyncState, status: ImportGateResult['status'], now: number): boolean {
  const before = state.gate;
  state.gate = status === 'running' ? 'held' : 'clear';
  state.gateCheckedAt = now;
  // Pending orders may be older than what the import wrote (or is writing): re-read them.
  if (state.gate === 'held' || before === 'held') markOrdersForReread(state.pending);
  return before !== state.gate;
}
