/** What the import workflow shows of its state: the `progress` query, its ETA, and the phase attribute. */
import { mappingSettingsOf, VOUCHER_BATCH, type ImportProgress } from '../contracts/import';
import type { ImportState } from './import-state';
import type { QuotaPacer } from './quota-pacer';

/** The `SyncPhase` search attribute's value. */
export function importPhase(state: ImportState): string {
  return state.paused ? 'paused' : state.phase;
}

/** `shopkit`: the run's Shopkit pacer, once provisioned (no ETA before). */
export function progressOf(state: ImportState, shopkit: QuotaPacer | undefined, now: number): ImportProgress {
  return {
    storeId: state.storeId,
    phase: state.phase,
    paused: state.paused,
    dryRun: state.dryRun,
    startedAt: state.startedAt,
    eta: etaOf(state, shopkit, now),
    resources: state.progress,
    rejectedTotal: state.rejected.length + state.rejectedNotListed,
    lastError: state.lastError,
    run: state.run,
    mapping: state.provision ? mappingSettingsOf(state.provision) : null,
  };
}

/** Remaining Shopkit calls at the paced rate; unknown page counts count as one page. */
export function etaOf(state: ImportState, shopkit: QuotaPacer | undefined, now: number): string | null {
  if (state.phase === 'done' || !shopkit) return null;
  let calls = 0;
  for (const resource of state.resources) {
    const progress = state.progress[resource];
    if (resource === 'customerGroups' || resource === 'orderStatuses' || progress?.done) continue;
    if (resource === 'vouchers') calls += state.couponCodes.length - (progress?.pagesDone ?? 0) * VOUCHER_BATCH;
    else calls += Math.max(1, (progress?.pageCount ?? 1) - (progress?.pagesDone ?? 0));
  }
  const start = Math.max(now, shopkit.state.nextAt);
  return new Date(start + shopkit.durationFor(Math.max(0, calls))).toISOString();
}
