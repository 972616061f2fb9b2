import type { LifecycleChange } from '../contracts/sync';
import type { SyncBackend, SyncStart } from './sync-backend';

/**
 * A lifecycle change applied to the store's workflows: activate → sync active + import started (once) and
 * resumed; deactivate → sync inactive + import paused; uninstall → sync ends, import cancelled;
 * install / config_updated → the sync workflow only (config_updated makes it re-provision).
 */
export async function applyLifecycle(
  backend: SyncBackend,
  storeId: string,
  change: LifecycleChange,
  start: SyncStart,
): Promise<void> {
  await backend.deliverLifecycle(storeId, change, start);
  if (change.event === 'activate') {
    await backend.startImport(storeId, start);
    await backend.pauseOrResume(storeId, 'resume');
  } else if (change.event === 'deactivate') {
    await backend.pauseOrResume(storeId, 'pause');
  } else if (change.event === 'uninstall') {
    await backend.stopImport(storeId);
  }
}
