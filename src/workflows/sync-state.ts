/**
 * The store-sync workflow's state: what one run hands to the next through continueAsNew, and the
 * bookkeeping of problems and back-off on it. Pure and deterministic: the workflow hands in its clock.
 */
import type { ProvisionResult } from '../contracts/import';
import {
  DEFAULT_SYNC_SETTINGS,
  type ImportGate,
  type IntegrationState,
  type StoreSyncInput,
  type SyncCounters,
  type SyncSettings,
} from '../contracts/sync';
import { pacedQuota, QuotaPacer, type PacerState } from './quota-pacer';
import { emptyPending, pendingCount, type PendingState } from './sync-pending';

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

const MAX_RECENT_ERRORS = 20;
const MAX_BACKOFF_MS = 5 * 60_000;

/** The state of a store's first run. */
export function newSyncState(input: StoreSyncInput, now: number): SyncState {
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

/**
 * The settings a run works with: the input's over what the previous run carried, over the defaults (a
 * run continued from a version without some setting gets its default).
 */
export function runSettings(carried: Partial<SyncSettings> | undefined, input: StoreSyncInput): SyncSettings {
  return { ...DEFAULT_SYNC_SETTINGS, ...carried, ...input.settings };
}

/** ShopiMind calls a flush is assumed to send at once: an order's carrier, buyer, address and order writes,
 * and the catalogue and buyer look-ups of a worker that has not seen the store yet. */
export const FLUSH_SHOPIMIND_CALLS = 6;

/** The store's pacer of one API at `share` of its quota, once provisioning gave the quotas. */
export function storePacer(state: SyncState, api: 'shopkit' | 'shopimind', share: number): QuotaPacer | undefined {
  const provision = state.provision;
  if (!provision) return undefined;
  return new QuotaPacer(pacedQuota(provision.quotas, api, share), state.pacers[api]);
}

/** Events or triggers wait to be written. */
export function hasWork(state: SyncState): boolean {
  return pendingCount(state.pending) > 0 || state.pending.triggers.length > 0;
}

/** Keeps a problem for the status query; `isError` ones also count and become `lastError`. */
export function recordProblem(state: SyncState, message: string, now: number, isError = true): void {
  if (isError) {
    state.counters.errors += 1;
    state.lastError = message;
  }
  state.recentErrors.push(`${new Date(now).toISOString()} ${message}`);
  if (state.recentErrors.length > MAX_RECENT_ERRORS) state.recentErrors.shift();
}

/** A failed step: recorded, and with `backoff` the next write waits, doubling up to five minutes. */
export function recordFailure(state: SyncState, message: string, now: number, backoff = true): void {
  recordProblem(state, message, now);
  if (!backoff) return;
  state.consecutiveFailures += 1;
  state.retryAt = now + Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** (state.consecutiveFailures - 1));
}
