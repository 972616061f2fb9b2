import type { SyncStatus } from '../contracts/sync';

/** The sync workflow's `status` query as a few lines for a terminal. */
export function formatSyncStatus(status: SyncStatus): string {
  const c = status.counters;
  const state = status.paused ? 'PAUSED' : status.integration;
  const gate = status.importGate === 'held' ? ', holding events until the import completes' : '';
  const lines = [
    `Sync of store ${status.storeId}: ${state}${gate}, run ${status.run}`,
    `  last event ${status.lastEvent ? `${status.lastEvent.event} at ${status.lastEvent.receivedAt}` : 'none'}; ` +
      `pending ${status.pending} (+${status.inFlight} in flight, ${status.pendingTriggers} triggers), lag ${status.lagMs} ms`,
    `  received ${c.received} (duplicates ${c.duplicates}, stale ${c.stale}); flushes ${c.flushes}: ` +
      `upserted ${c.upserted}, deleted ${c.deleted}, triggered ${c.triggered}, rejected ${c.rejected}`,
    `  reconciliation: orders from ${status.reconcile.ordersFromDay ?? '-'} (last ${status.reconcile.lastOrdersAt ?? 'never'}), ` +
      `daily scan last ${status.reconcile.lastScanAt ?? 'never'}`,
  ];
  if (status.lastError) lines.push(`  last error: ${status.lastError}`);
  return `${lines.join('\n')}\n`;
}
