/**
 * The store-sync steps that call activities — gate check, provisioning, flush, orders reconciliation,
 * scan — and what their results change in the state. Workflow code: the loop in store-sync.ts runs them.
 */
import {
  ApplicationFailure,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  type RetryPolicy,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../contracts/activities';
import { CONNECTOR_FAILURES } from '../contracts/failures';
import { mappingSettingsOf, type MappingSettings } from '../contracts/import';
import { SCAN_RESOURCES } from '../contracts/sync';
import { ShopkitStoreAttribute, SyncPhaseAttribute } from '../temporal/search-attributes';
import { describeFailure } from './failure-text';
import { SYNC_FLUSH_LOCAL } from './patches';
import { pacedRetryDelayAfter } from './paced-retry';
import type { QuotaPacer } from './quota-pacer';
import { applyGateStatus } from './sync-lifecycle';
import { pendingCount, rememberFired, rememberWritten, restoreBatch, takeBatch } from './sync-pending';
import { FLUSH_SHOPIMIND_CALLS, recordFailure, recordProblem, storePacer, type SyncState } from './sync-state';
import { syncPhase } from './sync-status';

const ERROR_SAMPLE = 5;

const retry: RetryPolicy = {
  maximumAttempts: 5,
  initialInterval: '1 second',
  maximumInterval: '30 seconds',
};

const { provisionStore, importGateStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry,
});

// Retried here, each attempt at a fresh quota slot (paced-retry.ts): a failed flush returns its batch to
// the pending set and the next flush, after the backoff, reserves anew.
const { applySyncBatch, reconcileOrders } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { maximumAttempts: 1 },
});

// A flush that reads nothing from Shopkit first (webhook orders carry their payload) runs as a local
// activity inside the workflow task that took its events: one workflow task per flush instead of two
// plus an activity task, which is most of what a busy store costs the Temporal server. Same code and the
// same idempotent writes; a crash re-runs it with the workflow task, on whichever worker takes that.
const { applySyncBatch: applySyncBatchInTask } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 1 },
});

// Triggers are not idempotent: one attempt; the activity reports what may be retried.
const { fireSyncTriggers } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 1 },
});

const { scanResource } = proxyActivities<Activities>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '2 minutes',
  retry: { ...retry, maximumAttempts: 3 },
});

export async function provision(state: SyncState): Promise<void> {
  try {
    state.provision = await provisionStore({ storeId: state.storeId, dryRun: false });
    // It has just read the store from Shopkit outside any slot: the next call waits an interval.
    storePacer(state, 'shopkit', 1)?.charge(Date.now(), 1);
    state.lastError = null;
  } catch (err) {
    failed(state, `provisioning: ${describeFailure(err)}`);
  }
}

export async function checkGate(state: SyncState): Promise<void> {
  let status: 'running' | 'none' | 'closed';
  try {
    ({ status } = await importGateStatus({ storeId: state.storeId }));
  } catch (err) {
    failed(state, `import gate: ${describeFailure(err)}`);
    state.gateCheckedAt = Date.now();
    return;
  }
  if (applyGateStatus(state, status, Date.now())) publish(state);
}

export async function flush(state: SyncState, shopkit: QuotaPacer | undefined): Promise<void> {
  const mapping = mappingSettings(state);
  const { batch, taken } = takeBatch(state.pending, state.settings.maxBatch);
  const triggers = state.pending.triggers.splice(0, state.settings.maxBatch);
  const shopkitCalls =
    Math.ceil(batch.products.refresh.length / 50) +
    batch.clients.refresh.length +
    Math.ceil(batch.orders.reread.length / 50);
  const now = Date.now();
  const shopimind = storePacer(state, 'shopimind', 1);
  const notBefore = Math.max(
    shopkit && shopkitCalls > 0 ? shopkit.reserve(now, shopkitCalls) : now,
    shopimind?.burstStart(now, FLUSH_SHOPIMIND_CALLS) ?? now,
  );
  state.inFlight = pendingCount(taken) + triggers.length;
  let ok = true;
  if (pendingCount(taken) > 0) {
    try {
      const apply = shopkitCalls === 0 && patched(SYNC_FLUSH_LOCAL) ? applySyncBatchInTask : applySyncBatch;
      const result = await apply({
        storeId: state.storeId,
        mapping,
        notBefore,
        shopkitIntervalMs: shopkit?.intervalMs ?? 0,
        integration: state.integration,
        ...batch,
      });
      shopkit?.charge(Date.now(), result.calls.shopkit - shopkitCalls);
      shopimind?.charge(Date.now(), result.calls.shopimind);
      state.counters.stale += rememberWritten(state.pending, result.orderVersions, Date.now());
      state.counters.upserted += sum(result.sent);
      state.counters.deleted += sum(result.deleted);
      state.counters.rejected += result.rejectedCount;
      for (const reason of result.rejected.slice(0, ERROR_SAMPLE)) noteError(state, `rejected: ${reason}`, false);
    } catch (err) {
      restoreBatch(state.pending, taken);
      ok = false;
      failed(state, `flush: ${describeFailure(err)}`);
    }
  }
  if (triggers.length > 0) {
    if (!ok) state.pending.triggers.unshift(...triggers);
    else {
      try {
        const fired = await fireSyncTriggers({ storeId: state.storeId, integration: state.integration, triggers });
        shopimind?.charge(Date.now(), fired.calls.shopimind);
        rememberFired(state.pending, fired.done);
        state.counters.triggered += fired.done.length;
        const again = new Set(fired.retry);
        state.pending.triggers.unshift(...triggers.filter((t) => again.has(t.digest)));
        for (const error of fired.errors.slice(0, ERROR_SAMPLE)) noteError(state, `trigger: ${error}`);
        if (fired.retry.length > 0) failed(state, `${fired.retry.length} triggers will be retried`);
      } catch (err) {
        // The attempt's outcome is unknown (e.g. the worker died): firing again could duplicate, so
        // the digests count as fired and the failure is reported.
        rememberFired(
          state.pending,
          triggers.map((t) => t.digest),
        );
        failed(state, `triggers (outcome unknown, not resent): ${describeFailure(err)}`);
      }
    }
  }
  state.inFlight = 0;
  state.counters.flushes += 1;
  state.lastFlushAt = new Date().toISOString();
  if (ok) {
    state.consecutiveFailures = 0;
    state.lastError = null;
  }
}

export async function reconcileOrdersNow(state: SyncState, shopkit: QuotaPacer | undefined): Promise<void> {
  const startedAt = Date.now();
  const fromDay = state.reconcile.ordersFromDay ?? dayOf(state.reconcile.lastOrdersAt ?? startedAt);
  try {
    const result = await withPacedRetries(() =>
      reconcileOrders({
        storeId: state.storeId,
        mapping: mappingSettings(state),
        integration: state.integration,
        fromDay,
        shopkitIntervalMs: shopkit?.intervalMs ?? 0,
        notBefore: shopkit ? shopkit.reserve(Date.now(), 1) : Date.now(),
      }),
    );
    shopkit?.charge(Date.now(), result.calls.shopkit - 1);
    storePacer(state, 'shopimind', 1)?.charge(Date.now(), result.calls.shopimind);
    state.counters.stale += rememberWritten(state.pending, result.orderVersions, Date.now());
    state.counters.reconciledOrders += result.sent;
    state.counters.rejected += result.rejectedCount;
    state.reconcile.ordersFromDay = result.nextFromDay;
  } catch (err) {
    failed(state, `orders reconciliation: ${describeFailure(err)}`, false);
  }
  state.reconcile.lastOrdersAt = startedAt;
}

/** Runs a paced activity until it succeeds, its failure is final or the attempts are spent; `run` reserves anew. */
async function withPacedRetries<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const delayMs = isCancellation(err) ? undefined : pacedRetryDelayAfter(attempt, err);
      if (delayMs === undefined) throw err;
      await sleep(delayMs);
    }
  }
}

/** Rescans each resource in turn at its share of the quota; a pause or deactivation resumes it later. */
export async function scan(state: SyncState): Promise<void> {
  const startedAt = Date.now();
  const full = storePacer(state, 'shopkit', 1);
  const share = Math.max(0.05, Math.min(1, state.settings.scanQuotaShare));
  let complete = true;
  while (state.reconcile.scanNext < SCAN_RESOURCES.length) {
    const resource = SCAN_RESOURCES[state.reconcile.scanNext] as (typeof SCAN_RESOURCES)[number];
    if (state.integration !== 'active' || state.paused) {
      complete = false;
      break;
    }
    try {
      const result = await scanResource({
        storeId: state.storeId,
        mapping: mappingSettings(state),
        integration: state.integration,
        resource,
        shopkitIntervalMs: (full?.intervalMs ?? 0) / share,
      });
      state.counters.scanDeleted += result.deleted;
      state.counters.scanUpserted += result.upserted;
      storePacer(state, 'shopimind', 1)?.charge(Date.now(), result.calls.shopimind);
    } catch (err) {
      failed(state, `${resource} scan: ${describeFailure(err)}`, false);
    }
    state.reconcile.scanNext += 1;
  }
  if (complete) {
    state.reconcile.scanNext = 0;
    state.reconcile.lastScanAt = startedAt;
  }
}

export function publish(state: SyncState): void {
  upsertSearchAttributes([
    { key: ShopkitStoreAttribute, value: state.storeId },
    { key: SyncPhaseAttribute, value: syncPhase(state) },
  ]);
}

/** A problem for the status query; errors are logged too. */
export function noteError(state: SyncState, message: string, isError = true): void {
  if (isError) log.warn('store-sync problem', { storeId: state.storeId, error: message });
  recordProblem(state, message, Date.now(), isError);
}

function failed(state: SyncState, message: string, backoff = true): void {
  log.warn('store-sync problem', { storeId: state.storeId, error: message });
  recordFailure(state, message, Date.now(), backoff);
}

function mappingSettings(state: SyncState): MappingSettings {
  const provision = state.provision;
  if (!provision) throw ApplicationFailure.nonRetryable('store not provisioned', CONNECTOR_FAILURES.workflowState);
  return mappingSettingsOf(provision);
}

/** UTC day of an epoch ms, one day back: Shopkit filters by store-local day and the zones differ. */
function dayOf(ms: number): string {
  return new Date(ms - 86_400_000).toISOString().slice(0, 10);
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, n) => total + n, 0);
}
