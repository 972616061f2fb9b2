import { defineQuery, defineSignal } from '@temporalio/workflow';
/**
 * Types shared by the gateway, the store-sync workflow and its activities. Everything here lands in
 * workflow history, so it carries store ids, Shopkit payloads and counts — never a credential.
 */
import type { ShopkitAbandonedCart, ShopkitOrder } from '../shopkit/schemas';
import type { MappingSettings } from './import';

/** A Shopkit webhook as the gateway verified, parsed and normalised it. */
export type SyncEvent = {
  /** `X-Shopkit-Event`. */
  event: string;
  /** Gateway receipt time (UTC ISO): webhooks carry no event time of their own. */
  receivedAt: string;
  /** SHA-256 (hex, 32 chars) of the event name and the raw body: identical deliveries share it. */
  digest: string;
} & (
  | {
      kind: 'order';
      orderId: number;
      /** `update_at` in epoch ms (0 when absent). */ version: number;
      order: ShopkitOrder;
    }
  | { kind: 'orderDeleted'; orderId: number }
  | { kind: 'client' | 'clientDeleted'; customerId: string }
  | { kind: 'product' | 'productDeleted'; productId: number }
  | { kind: 'newsletter'; customerId: string; email: string; name: string; subscribed: boolean }
  | { kind: 'cart'; cart: ShopkitAbandonedCart }
);

/**
 * Several Shopkit events of one store in one signal, oldest first: the gateway coalesces what arrives
 * while the store's previous signal is in flight. The workflow handles it exactly as that many
 * `shopkitEvent` signals in the same order, which stays the signal of a lone event (and of every
 * history recorded before batches existed).
 */
export const syncEventsSignal = defineSignal<[SyncEvent[]]>('shopkitEvents');
/** ShopiMind integration lifecycle events (docs/shopimind-api-notes.md#lifecycle). */
export const LIFECYCLE_EVENTS = ['install', 'activate', 'deactivate', 'uninstall', 'config_updated'] as const;
export type LifecycleEventName = (typeof LIFECYCLE_EVENTS)[number];

export interface LifecycleChange {
  event: LifecycleEventName;
  /** Receipt time at the gateway (UTC ISO). */
  receivedAt: string;
}

/**
 * `active`: ShopiMind calls allowed. `inactive`: installed but not (or no longer) activated — events are
 * held, nothing is sent. `uninstalled`: the workflow ends and forgets its pending work.
 */
export type IntegrationState = 'active' | 'inactive' | 'uninstalled';

/** Whether the store's initial import (`import/<storeId>`) is running, as the workflow last saw it. */
export type ImportGate = 'unknown' | 'held' | 'clear';

export interface SyncSettings {
  /** Flush as soon as this many entities are pending, even while a wait is running. */
  maxBatch: number;
  /** Extra coalescing delay before a flush (0: flush as soon as the previous flush is done). */
  flushDelayMs: number;
  /** How often orders are re-read with `date_type=update_at` from the watermark day. 0 disables. */
  ordersReconcileMs: number;
  /** How often categories, brands, products and clients are rescanned for deletions. 0 disables. */
  scanIntervalMs: number;
  /**
   * How often the import gate is re-checked while clear. An import tells the sync when it starts
   * (`importStarted`), so this is only a safety net.
   */
  gateRecheckMs: number;
  /** Share of the Shopkit quota the rescans may use (the rest stays for webhook re-reads). */
  scanQuotaShare: number;
  /** How often the gate is re-checked while an import holds events that wait for it. */
  gateHeldRecheckMs: number;
  /** How often the gate is re-checked while an import runs and no event waits. */
  gateHeldIdleRecheckMs: number;
  /** History events after which a run hands over to a fresh one (continueAsNew). */
  historyBudget: number;
  /** History bytes after which a run hands over: signals carry order payloads. */
  historyBytesBudget: number;
}

export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
  maxBatch: 100,
  flushDelayMs: 0,
  ordersReconcileMs: 15 * 60_000,
  scanIntervalMs: 24 * 3_600_000,
  gateRecheckMs: 10 * 60_000,
  scanQuotaShare: 0.5,
  gateHeldRecheckMs: 5_000,
  gateHeldIdleRecheckMs: 15_000,
  // Our own budget rather than `continueAsNewSuggested`: the server suggests a hand-over at a few MB,
  // which a busy store's order payloads reach every few seconds, and each hand-over stalls flushing.
  // Both stay well inside Temporal's hard limits (51,200 events, 50 MB).
  historyBudget: 10_000,
  historyBytesBudget: 16 * 1024 * 1024,
};

/** What one flush sends: payloads for orders, ids to re-read for the rest. */
export interface SyncBatchInput {
  storeId: string;
  mapping: MappingSettings;
  /** Epoch ms before which the activity must not call Shopkit (the workflow's quota slot). */
  notBefore: number;
  shopkitIntervalMs: number;
  /** The workflow's lifecycle state; anything but `active` is refused before any ShopiMind call. */
  integration: IntegrationState;
  orders: { upserts: ShopkitOrder[]; reread: number[]; deletes: number[] };
  products: { refresh: number[]; deletes: number[] };
  clients: { refresh: { customerId: string; observedAt: string }[]; deletes: string[] };
  newsletters: { customerId: string; email: string; name: string; subscribed: boolean; observedAt: string }[];
}

export interface SyncBatchResult {
  /** Items accepted by ShopiMind per target. */
  sent: Record<string, number>;
  deleted: Record<string, number>;
  rejectedCount: number;
  /** A bounded sample of rejection reasons, for the status query. */
  rejected: string[];
  /** Orders written with the version written (`-1` for a delete), for newest-wins across flushes. */
  orderVersions: [number, number][];
  calls: { shopkit: number; shopimind: number };
}

export interface SyncTrigger {
  digest: string;
  codeName: 'cart_abandoned' | 'order_payment_failed';
  cart?: ShopkitAbandonedCart;
  order?: ShopkitOrder;
}

export interface TriggerBatchInput {
  storeId: string;
  integration: IntegrationState;
  triggers: SyncTrigger[];
}

export interface TriggerBatchResult {
  /** Fired, or refused for good (mapping reject, 4xx): either way never sent again. */
  done: string[];
  /** Failed in a way a later attempt can fix (429, 5xx, network before sending). */
  retry: string[];
  errors: string[];
  calls: { shopkit: number; shopimind: number };
}

export interface OrdersReconcileInput {
  storeId: string;
  mapping: MappingSettings;
  integration: IntegrationState;
  /** `YYYY-MM-DD`: orders with `update_at` on or after this day are re-read. */
  fromDay: string;
  shopkitIntervalMs: number;
  notBefore: number;
}

export interface OrdersReconcileResult {
  read: number;
  sent: number;
  rejectedCount: number;
  /** The day (store-local date of the newest `update_at` seen, or today) the next run starts from. */
  nextFromDay: string;
  orderVersions: [number, number][];
  calls: { shopkit: number; shopimind: number };
}

/** `orderLines` last: it checks orders against the catalogue the products step has just refreshed. */
export const SCAN_RESOURCES = ['categories', 'brands', 'products', 'clients', 'orderLines'] as const;
export type ScanResource = (typeof SCAN_RESOURCES)[number];

export interface ScanInput {
  storeId: string;
  mapping: MappingSettings;
  integration: IntegrationState;
  resource: ScanResource;
  /** Spacing of the scan's Shopkit page reads (its share of the quota). */
  shopkitIntervalMs: number;
}

export interface ScanResult {
  resource: ScanResource;
  /** Source records read from Shopkit. */
  read: number;
  /** Items upserted because ShopiMind lacked them or held an older version. */
  upserted: number;
  /** Ids present in ShopiMind and absent from Shopkit, deleted. */
  deleted: number;
  calls: { shopkit: number; shopimind: number };
}

export interface ImportGateResult {
  /** `running`: `import/<storeId>` is importing; `none`: never started; `closed`: done (even if still open for a replay), failed, … */
  status: 'running' | 'none' | 'closed';
}

export interface SyncCounters {
  received: number;
  duplicates: number;
  /** Events older than what was already pending or written for the entity. */
  stale: number;
  flushes: number;
  upserted: number;
  deleted: number;
  triggered: number;
  rejected: number;
  reconciledOrders: number;
  scanDeleted: number;
  scanUpserted: number;
  errors: number;
}

export interface SyncStatus {
  storeId: string;
  integration: IntegrationState;
  paused: boolean;
  importGate: ImportGate;
  provisioned: boolean;
  pending: number;
  /** Entities and triggers of the flush running now (0 when idle). */
  inFlight: number;
  pendingTriggers: number;
  lastEvent: { event: string; receivedAt: string } | null;
  /** Age (ms) of the oldest pending event; 0 when nothing waits. */
  lagMs: number;
  lastFlushAt: string | null;
  counters: SyncCounters;
  reconcile: { ordersFromDay: string | null; lastOrdersAt: string | null; lastScanAt: string | null };
  lastError: string | null;
  recentErrors: string[];
  run: number;
}

export interface StoreSyncInput {
  storeId: string;
  /** The store is a ShopiMind partner integration: nothing is sent before its `activate` event. */
  requireActivation?: boolean;
  settings?: Partial<SyncSettings>;
}

/** Shopkit webhooks, verified and normalised by the gateway. */
export const syncEventSignal = defineSignal<[SyncEvent]>('shopkitEvent');
/** ShopiMind integration lifecycle (install, activate, deactivate, uninstall, config_updated). */
export const lifecycleSignal = defineSignal<[LifecycleChange]>('lifecycle');
/** Sent by whoever starts `import/<storeId>`: hold events until it completes. */
export const importStartedSignal = defineSignal('importStarted');
export const syncStatusQuery = defineQuery<SyncStatus>('status');

export const storeSyncWorkflowId = (storeId: string): string => `store-sync/${storeId}`;
