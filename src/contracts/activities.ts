import type { CheckConnectionInput } from './connection';
import type { PageInput, PageResult, ProvisionResult, ReplayInput, ReplayResult } from './import';
import type {
  ImportGateResult,
  OrdersReconcileInput,
  OrdersReconcileResult,
  ScanInput,
  ScanResult,
  SyncBatchInput,
  SyncBatchResult,
  TriggerBatchInput,
  TriggerBatchResult,
} from './sync';

/**
 * Every activity the workflows schedule, by name. Workflows see only this interface; the worker's
 * `createActivities` implements it, so a signature that drifts fails to compile on both sides.
 */
export interface Activities {
  /** `GET /store` with the store's Shopkit key. */
  checkShopkitConnection(storeId: CheckConnectionInput['storeId']): Promise<{ name: string; currency: string }>;
  /** `GET /v1/data-sources` with the store's ShopiMind key. */
  checkShopimindConnection(storeId: CheckConnectionInput['storeId']): Promise<{ dataSources: number }>;
  /** Finds or creates what the store needs in ShopiMind before any item (a dry run only finds). */
  provisionStore(input: { storeId: string; dryRun: boolean }): Promise<ProvisionResult>;
  /** One Shopkit page (or voucher batch): read → map → ShopiMind bulk writes. */
  importPage(input: PageInput): Promise<PageResult>;
  /** Re-reads the pages rejected items came from and re-sends only those items. */
  replayRejected(input: ReplayInput): Promise<ReplayResult>;
  /** Whether `import/<storeId>` is running. */
  importGateStatus(input: { storeId: string }): Promise<ImportGateResult>;
  /** One flush of coalesced sync events. */
  applySyncBatch(input: SyncBatchInput): Promise<SyncBatchResult>;
  /** Fires event triggers, once each. */
  fireSyncTriggers(input: TriggerBatchInput): Promise<TriggerBatchResult>;
  /** Re-reads orders updated since a day and upserts them. */
  reconcileOrders(input: OrdersReconcileInput): Promise<OrdersReconcileResult>;
  /** One resource of the periodic rescan. */
  scanResource(input: ScanInput): Promise<ScanResult>;
}
