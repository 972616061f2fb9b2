import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  type RetryPolicy,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../contracts/activities';
import { CONNECTOR_FAILURES } from '../contracts/failures';
import { ShopkitStoreAttribute, SyncPhaseAttribute } from '../temporal/search-attributes';
import {
  mappingSettingsOf,
  pauseSignal,
  resumeSignal,
  type MappingSettings,
  type ProvisionResult,
} from '../contracts/import';
import { describeFailure } from './failure-text';
import { pacedQuota, QuotaPacer, TIMER_THRESHOLD_MS, type PacerState } from './quota-pacer';
import {
  DEFAULT_SYNC_SETTINGS,
  SCAN_RESOURCES,
  type ImportGate,
  type IntegrationState,
  type LifecycleChange,
  type SyncCounters,
  type SyncSettings,
  type StoreSyncInput,
  type SyncStatus,
  importStartedSignal,
  lifecycleSignal,
  syncEventSignal,
  syncStatusQuery,
} from '../contracts/sync';
import {
  addEvent,
  emptyPending,
  markOrdersForReread,
  oldestPending,
  pendingCount,
  rememberFired,
  rememberWritten,
  restoreBatch,
  takeBatch,
  type PendingState,
} from './sync-pending';

/** What one run hands to the next through continueAsNew. */
export interface SyncState {
  storeId: string;
  settings: SyncSettings;
  integration: IntegrationState;
  paused: boolean;
  gate: ImportGate;
  gateCheckedAt: number;
  provision: ProvisionResult | null;
  pending: PendingState;
  counters: SyncCounters;
  lastEvent: { event: string; receivedAt: string } | null;
  lastFlushAt: string | null;
  lastError: string | null;
  recentErrors: string[];
  consecutiveFailures: number;
  retryAt: number;
  pacers: { shopkit: PacerState; shopimind: PacerState };
  reconcile: {
    ordersFromDay: string | null;
    lastOrdersAt: number | null;
    lastScanAt: number | null;
    /** Next resource of an interrupted scan (index into SCAN_RESOURCES). */
    scanNext: number;
  };
  run: number;
  /** Entities and triggers of the flush running now. */
  inFlight?: number;
}

/** History events after which a run hands over to a fresh one. */
const HISTORY_BUDGET = 10_000;
/** Signals carry order payloads: hand over well before Temporal's 50 MB history limit. */
const HISTORY_BYTES_BUDGET = 16 * 1024 * 1024;
/** Temporal timers resolve to about a second. */
const MIN_TIMER_MS = 1_000;
const GATE_HELD_RECHECK_MS = 5_000;
const GATE_IDLE_RECHECK_MS = 15_000;
const MAX_RECENT_ERRORS = 20;
const MAX_BACKOFF_MS = 5 * 60_000;
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

const { applySyncBatch, reconcileOrders } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry,
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

/**
 * The store's long-running entity workflow: Shopkit events arrive as signals, are coalesced per entity
 * and written to ShopiMind in bulk by activities, paced to the store's quotas. Events are held while the
 * store's initial import runs (and re-read afterwards), and while the ShopiMind integration is inactive.
 * Periodic reconciliation re-reads recently updated orders and rescans the catalogue and clients to find
 * deletions. The run hands over to a new one (continueAsNew) carrying pending events and watermarks.
 */
export async function storeSyncWorkflow(input: StoreSyncInput & { state?: SyncState }): Promise<SyncStatus> {
  const state = input.state ?? newState(input);
  state.settings = { ...state.settings, ...input.settings };
  let wake = false;
  let background: Promise<void> | undefined;
  let scanRunning = false;

  setHandler(syncEventSignal, (event) => {
    state.counters.received += 1;
    state.lastEvent = { event: event.event, receivedAt: event.receivedAt };
    const outcome = addEvent(state.pending, event, Date.now(), state.gate === 'held');
    if (outcome === 'duplicate') state.counters.duplicates += 1;
    else if (outcome === 'stale') state.counters.stale += 1;
    else if (outcome === 'dropped') noteError(state, 'pending set full: event dropped, a reconciliation will catch up');
    wake = true;
  });
  setHandler(lifecycleSignal, (change) => {
    applyLifecycle(state, change);
    publish(state);
    wake = true;
  });
  setHandler(importStartedSignal, () => {
    state.gate = 'held';
    state.gateCheckedAt = Date.now();
    markOrdersForReread(state.pending);
    wake = true;
  });
  setHandler(pauseSignal, () => {
    state.paused = true;
    publish(state);
    wake = true;
  });
  setHandler(resumeSignal, () => {
    state.paused = false;
    state.retryAt = 0;
    state.consecutiveFailures = 0;
    publish(state);
    wake = true;
  });
  setHandler(syncStatusQuery, () => statusOf(state));

  publish(state);
  const shopkitFull = () => pacer(state, 'shopkit', 1);
  const shopkitShared = () => pacer(state, 'shopkit', 1 - state.settings.scanQuotaShare);

  for (;;) {
    if (state.integration === 'uninstalled') break;
    const handOver = historyBudgetSpent();
    if (handOver && !background) break;
    const now = Date.now();
    const sending = state.integration === 'active' && !state.paused;

    if (gateCheckDue(state, now)) {
      await checkGate(state);
      continue;
    }
    // Provisioning waits for the import, which provisions the same data source itself.
    if (sending && state.gate === 'clear' && !state.provision && now >= state.retryAt) {
      await provision(state);
      continue;
    }
    const ready = sending && state.provision !== null && state.gate === 'clear' && now >= state.retryAt;
    if (ready && hasWork(state) && flushDue(state, now)) {
      const shopkit = scanRunning ? shopkitShared() : shopkitFull();
      const startAt = Math.max(shopkit?.state.nextAt ?? 0, state.pacers.shopimind.nextAt);
      if (startAt - now > TIMER_THRESHOLD_MS) {
        wake = false;
        await condition(() => wake, startAt - now - TIMER_THRESHOLD_MS);
        continue;
      }
      await flush(state, scanRunning ? shopkitShared() : shopkitFull());
      continue;
    }
    if (ready && !background && !handOver) {
      const work = dueReconciliation(state, now);
      if (work === 'orders') {
        background = reconcileOrdersNow(state, shopkitFull()).finally(() => {
          background = undefined;
          wake = true;
        });
      } else if (work === 'scan') {
        scanRunning = true;
        background = scan(state).finally(() => {
          background = undefined;
          scanRunning = false;
          wake = true;
        });
      }
      if (background) continue;
    }
    wake = false;
    const timeout = nextWakeIn(state, Date.now(), ready);
    if (timeout === undefined) await condition(() => wake);
    else await condition(() => wake, Math.max(MIN_TIMER_MS, timeout));
  }

  if (background) await background;
  await condition(allHandlersFinished);
  if (state.integration === 'uninstalled') {
    log.info('store-sync ends: integration uninstalled', { storeId: state.storeId });
    return statusOf(state);
  }
  return continueAsNew<typeof storeSyncWorkflow>({ storeId: state.storeId, state: { ...state, run: state.run + 1 } });
}

function newState(input: StoreSyncInput): SyncState {
  const now = Date.now();
  return {
    storeId: input.storeId,
    settings: { ...DEFAULT_SYNC_SETTINGS, ...input.settings },
    integration: input.requireActivation ? 'inactive' : 'active',
    paused: false,
    gate: 'unknown',
    gateCheckedAt: 0,
    provision: null,
    pending: emptyPending(),
    counters: {
      received: 0,
      duplicates: 0,
      stale: 0,
      flushes: 0,
      upserted: 0,
      deleted: 0,
      triggered: 0,
      rejected: 0,
      reconciledOrders: 0,
      scanDeleted: 0,
      scanUpserted: 0,
      errors: 0,
    },
    lastEvent: null,
    lastFlushAt: null,
    lastError: null,
    recentErrors: [],
    consecutiveFailures: 0,
    retryAt: 0,
    pacers: { shopkit: { nextAt: 0 }, shopimind: { nextAt: 0 } },
    // The first reconciliation waits one interval: the import (or the webhooks) cover the start.
    reconcile: { ordersFromDay: null, lastOrdersAt: now, lastScanAt: now, scanNext: 0 },
    run: 1,
  };
}

function applyLifecycle(state: SyncState, change: LifecycleChange): void {
  log.info('integration lifecycle', { storeId: state.storeId, event: change.event });
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

async function provision(state: SyncState): Promise<void> {
  try {
    state.provision = await provisionStore({ storeId: state.storeId, dryRun: false });
    state.lastError = null;
  } catch (err) {
    failed(state, `provisioning: ${describeFailure(err)}`);
  }
}

function gateCheckDue(state: SyncState, now: number): boolean {
  if (state.gate === 'unknown') return true;
  return now - state.gateCheckedAt >= gateRecheckMs(state);
}

function gateRecheckMs(state: SyncState): number {
  if (state.gate !== 'held') return state.settings.gateRecheckMs;
  return hasWork(state) ? GATE_HELD_RECHECK_MS : GATE_IDLE_RECHECK_MS;
}

async function checkGate(state: SyncState): Promise<void> {
  let status: 'running' | 'none' | 'closed';
  try {
    ({ status } = await importGateStatus({ storeId: state.storeId }));
  } catch (err) {
    failed(state, `import gate: ${describeFailure(err)}`);
    state.gateCheckedAt = Date.now();
    return;
  }
  const before = state.gate;
  state.gate = status === 'running' ? 'held' : 'clear';
  state.gateCheckedAt = Date.now();
  // Pending orders may be older than what the import wrote (or is writing): re-read them.
  if (state.gate === 'held' || before === 'held') markOrdersForReread(state.pending);
  if (before !== state.gate) publish(state);
}

function hasWork(state: SyncState): boolean {
  return pendingCount(state.pending) > 0 || state.pending.triggers.length > 0;
}

function flushDue(state: SyncState, now: number): boolean {
  if (state.settings.flushDelayMs <= 0 || pendingCount(state.pending) >= state.settings.maxBatch) return true;
  const oldest = oldestPending(state.pending);
  return oldest !== undefined && now - oldest >= state.settings.flushDelayMs;
}

async function flush(state: SyncState, shopkit: QuotaPacer | undefined): Promise<void> {
  const mapping = mappingSettings(state);
  const { batch, taken } = takeBatch(state.pending, state.settings.maxBatch);
  const triggers = state.pending.triggers.splice(0, state.settings.maxBatch);
  const shopkitCalls =
    Math.ceil(batch.products.refresh.length / 50) +
    batch.clients.refresh.length +
    Math.ceil(batch.orders.reread.length / 50);
  const now = Date.now();
  const notBefore = Math.max(
    shopkit && shopkitCalls > 0 ? shopkit.reserve(now, shopkitCalls) : now,
    state.pacers.shopimind.nextAt,
  );
  const shopimind = pacer(state, 'shopimind', 1);
  state.inFlight = pendingCount(taken) + triggers.length;
  let ok = true;
  if (pendingCount(taken) > 0) {
    try {
      const result = await applySyncBatch({
        storeId: state.storeId,
        mapping,
        notBefore,
        shopkitIntervalMs: shopkit?.intervalMs ?? 0,
        integration: state.integration,
        ...batch,
      });
      shopkit?.charge(Date.now(), result.calls.shopkit - shopkitCalls);
      shopimind?.charge(Date.now(), result.calls.shopimind);
      state.counters.stale += rememberWritten(state.pending, result.orderVersions);
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

type Reconciliation = 'orders' | 'scan' | undefined;

function dueReconciliation(state: SyncState, now: number): Reconciliation {
  const { ordersReconcileMs, scanIntervalMs } = state.settings;
  const { lastOrdersAt, lastScanAt } = state.reconcile;
  if (ordersReconcileMs > 0 && (lastOrdersAt === null || now - lastOrdersAt >= ordersReconcileMs)) return 'orders';
  if (scanIntervalMs > 0 && (lastScanAt === null || now - lastScanAt >= scanIntervalMs)) return 'scan';
  return undefined;
}

async function reconcileOrdersNow(state: SyncState, shopkit: QuotaPacer | undefined): Promise<void> {
  const startedAt = Date.now();
  const fromDay = state.reconcile.ordersFromDay ?? dayOf(state.reconcile.lastOrdersAt ?? startedAt);
  try {
    const result = await reconcileOrders({
      storeId: state.storeId,
      mapping: mappingSettings(state),
      integration: state.integration,
      fromDay,
      shopkitIntervalMs: shopkit?.intervalMs ?? 0,
      notBefore: shopkit ? shopkit.reserve(startedAt, 1) : startedAt,
    });
    shopkit?.charge(Date.now(), result.calls.shopkit - 1);
    pacer(state, 'shopimind', 1)?.charge(Date.now(), result.calls.shopimind);
    state.counters.stale += rememberWritten(state.pending, result.orderVersions);
    state.counters.reconciledOrders += result.sent;
    state.counters.rejected += result.rejectedCount;
    state.reconcile.ordersFromDay = result.nextFromDay;
  } catch (err) {
    failed(state, `orders reconciliation: ${describeFailure(err)}`, false);
  }
  state.reconcile.lastOrdersAt = startedAt;
}

async function scan(state: SyncState): Promise<void> {
  const startedAt = Date.now();
  const full = pacer(state, 'shopkit', 1);
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
      pacer(state, 'shopimind', 1)?.charge(Date.now(), result.calls.shopimind);
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

/** Milliseconds until the loop has something to do without a signal, or undefined for "only a signal". */
function nextWakeIn(state: SyncState, now: number, ready: boolean): number | undefined {
  const candidates: number[] = [];
  if (state.gate !== 'unknown') candidates.push(state.gateCheckedAt + gateRecheckMs(state) - now);
  if (state.retryAt > now) candidates.push(state.retryAt - now);
  if (ready && hasWork(state)) {
    const oldest = oldestPending(state.pending);
    if (oldest !== undefined) candidates.push(oldest + state.settings.flushDelayMs - now);
  }
  const { ordersReconcileMs, scanIntervalMs } = state.settings;
  if (ready && ordersReconcileMs > 0) candidates.push((state.reconcile.lastOrdersAt ?? 0) + ordersReconcileMs - now);
  if (ready && scanIntervalMs > 0) candidates.push((state.reconcile.lastScanAt ?? 0) + scanIntervalMs - now);
  return candidates.length === 0 ? undefined : Math.min(...candidates);
}

function pacer(state: SyncState, api: 'shopkit' | 'shopimind', share: number): QuotaPacer | undefined {
  const provision = state.provision;
  if (!provision) return undefined;
  return new QuotaPacer(pacedQuota(provision.quotas, api, share), state.pacers[api]);
}

function mappingSettings(state: SyncState): MappingSettings {
  const provision = state.provision;
  if (!provision) throw ApplicationFailure.nonRetryable('store not provisioned', CONNECTOR_FAILURES.workflowState);
  return mappingSettingsOf(provision);
}

function failed(state: SyncState, message: string, backoff = true): void {
  noteError(state, message);
  if (!backoff) return;
  state.consecutiveFailures += 1;
  state.retryAt = Date.now() + Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** (state.consecutiveFailures - 1));
}

function noteError(state: SyncState, message: string, isError = true): void {
  if (isError) {
    state.counters.errors += 1;
    state.lastError = message;
    log.warn('store-sync problem', { storeId: state.storeId, error: message });
  }
  state.recentErrors.push(`${new Date().toISOString()} ${message}`);
  if (state.recentErrors.length > MAX_RECENT_ERRORS) state.recentErrors.shift();
}

/**
 * Our own budget rather than `continueAsNewSuggested`: the server suggests a hand-over at a few MB, which
 * a busy store's order payloads reach every few seconds, and each hand-over stalls flushing. The budget
 * stays well inside Temporal's hard limits (51,200 events, 50 MB).
 */
function historyBudgetSpent(): boolean {
  const info = workflowInfo();
  return info.historyLength > HISTORY_BUDGET || (info.historySize ?? 0) > HISTORY_BYTES_BUDGET;
}

function publish(state: SyncState): void {
  const phase = state.integration !== 'active' ? `sync-${state.integration}` : state.paused ? 'sync-paused' : 'syncing';
  upsertSearchAttributes([
    { key: ShopkitStoreAttribute, value: state.storeId },
    { key: SyncPhaseAttribute, value: phase },
  ]);
}

function statusOf(state: SyncState): SyncStatus {
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
    lagMs: oldest === undefined ? 0 : Math.max(0, Date.now() - oldest),
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

/** UTC day of an epoch ms, one day back: Shopkit filters by store-local day and the zones differ. */
function dayOf(ms: number): string {
  return new Date(ms - 86_400_000).toISOString().slice(0, 10);
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, n) => total + n, 0);
}
