import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * Types shared by the import workflow and its activities. Only counts, cursors, ids and reasons cross
 * this boundary — never item payloads or credentials — because all of it lands in workflow history.
 */

/** The resources of an initial import, in the connector guide's dependency order. */
export const IMPORT_RESOURCES = [
  'customerGroups',
  'orderStatuses',
  'carriers',
  'categories',
  'manufacturers',
  'products',
  'customers',
  'orders',
  'vouchers',
] as const;
export type ImportResource = (typeof IMPORT_RESOURCES)[number];

/** Coupon codes per voucher activity: each is one Shopkit read, all redone if the worker dies mid-batch. */
export const VOUCHER_BATCH = 2;

/**
 * Import pages a stage may have in flight at once under a real quota: enough that the slots keep coming
 * while a page waits for a loaded worker, writes and reports back (three left a tenth of the slots unused
 * with ten stores importing on two cores and Temporal on PostgreSQL), few enough that a crash redoes at most
 * this many pages' Shopkit reads. Runs started before `import-wider-window` keep 3.
 */
export const MAX_PAGES_IN_FLIGHT = 5;

/** Stages run one after another; the resources inside a stage run side by side. */
export const IMPORT_STAGES = [
  { phase: 'reference', resources: ['customerGroups', 'orderStatuses', 'carriers', 'categories', 'manufacturers'] },
  // Customers do not reference products, so both lanes share the Shopkit quota instead of waiting.
  { phase: 'catalog', resources: ['products', 'customers'] },
  { phase: 'orders', resources: ['orders'] },
  { phase: 'vouchers', resources: ['vouchers'] },
] as const satisfies readonly { phase: string; resources: readonly ImportResource[] }[];

/** What provisioning found or created in ShopiMind, plus the store facts the mapping needs. */
/** A store's configured quotas, as provisioning reports them (not secret). */
export interface StoreQuotas {
  shopkitPerHour: number;
  shopimindPerMinute: number;
}

export interface ProvisionResult {
  dataSourceId: number;
  /**
   * The installation time (D36): the data source's creation time in ShopiMind, so the import and the
   * sync (and any re-run) date fixed reference data identically.
   */
  seedTimestamp: string;
  storeName: string;
  storeCurrency: string;
  storeUrl: string;
  taxesIncluded: boolean;
  /** The "Shopkit customer profile" custom data definition (null in a dry run that found none). */
  customDataDefinitionId: number | null;
  /** The connector's catalog index definition (order lines → variations), null in a dry run that found none. */
  catalogDefinitionId: number | null;
  eventTypes: string[];
  /** The store's configured quotas (not secret), which the workflow paces against. */
  quotas: StoreQuotas;
}

export interface MappingSettings {
  dataSourceId: number;
  customDataDefinitionId: number | null;
  catalogDefinitionId: number | null;
  seedTimestamp: string;
  storeCurrency: string;
  storeUrl: string;
  taxesIncluded: boolean;
}

/** What the mapping needs from provisioning; the import and the sync map with the same settings. */
export function mappingSettingsOf(provision: ProvisionResult): MappingSettings {
  return {
    dataSourceId: provision.dataSourceId,
    seedTimestamp: provision.seedTimestamp,
    storeCurrency: provision.storeCurrency,
    storeUrl: provision.storeUrl,
    taxesIncluded: provision.taxesIncluded,
    customDataDefinitionId: provision.customDataDefinitionId,
    catalogDefinitionId: provision.catalogDefinitionId,
  };
}

export interface PageInput {
  storeId: string;
  resource: ImportResource;
  /** 1-based Shopkit page; voucher batches use it as the batch number. */
  page: number;
  mapping: MappingSettings;
  dryRun: boolean;
  /** Voucher batches: the coupon codes to fetch. */
  codes?: string[];
  /** Minimum spacing of this activity's own Shopkit calls (voucher batches make several). */
  shopkitIntervalMs: number;
  /** Epoch ms before which the activity must not call Shopkit: its slot in the store's quota. */
  notBefore: number;
}

export interface RejectedItem {
  /** The import lane whose Shopkit read produced the record; replays re-read it there. */
  resource: ImportResource;
  /** The ShopiMind resource the item was meant for. */
  target: string;
  sourceId: string;
  reasons: string[];
  /** Where it was refused: Shopkit payload validation, mapping, our ShopiMind validation, or ShopiMind. */
  stage: 'read' | 'map' | 'local' | 'remote';
  /** The Shopkit page (voucher batch) it was read on; a replay re-reads that page. */
  page: number;
}

export interface PageResult {
  /** `X-Total-Count` of the resource, when Shopkit sent it. */
  total: number | null;
  pageCount: number;
  /** No further page exists. */
  done: boolean;
  /** Source records read from Shopkit on this page. */
  read: number;
  /** Items accepted by ShopiMind per target resource (would be sent, in a dry run). */
  sent: Record<string, number>;
  rejectedCount: number;
  /** A bounded sample of the rejects of this page. */
  rejected: RejectedItem[];
  /** Coupon codes seen on order pages, for the voucher stage. */
  couponCodes: string[];
  /** Calls actually made, retries included, so the workflow's pacing can account for them. */
  calls: {
    shopkit: number;
    shopimind: number;
    /** Of the Shopkit calls, those the page reserved while it ran ({@link reserveShopkitUpdate}). */
    shopkitReserved?: number;
  };
}

export type RejectedRef = Pick<RejectedItem, 'resource' | 'sourceId' | 'page'>;

export interface ReplayInput {
  storeId: string;
  mapping: MappingSettings;
  items: RejectedRef[];
  /** Voucher batches are addressed by code, not by a Shopkit page. */
  couponCodes: string[];
}

export interface ReplayResult {
  resent: RejectedRef[];
  stillRejected: RejectedItem[];
  calls: { shopkit: number; shopimind: number };
}

export interface InitialImportInput {
  storeId: string;
  /** Import only these resources (default: all), still in dependency order. */
  resources?: ImportResource[];
  /** Read and map everything, write nothing. */
  dryRun?: boolean;
  /** History events after which a run continues as new; default 8,000 (tests lower it). */
  historyBudget?: number;
  /** How long a completed import with rejects stays open for `replayRejected`; default 7 days. */
  replayWindowMs?: number;
}

export type ImportPhase = 'provisioning' | (typeof IMPORT_STAGES)[number]['phase'] | 'done';

export interface ResourceProgress {
  total: number | null;
  pageCount: number | null;
  pagesDone: number;
  read: number;
  sent: number;
  rejected: number;
  done: boolean;
  /** Items accepted per ShopiMind resource (variations, addresses… ride on their parent's pages). */
  sentByTarget: Record<string, number>;
  /** Pages finished beyond `pagesDone` while an earlier one was still in flight. */
  completedAhead: number[];
  /** The page Shopkit reported as the last one, once seen. */
  lastPage: number | null;
}

export interface ImportProgress {
  storeId: string;
  phase: ImportPhase;
  paused: boolean;
  dryRun: boolean;
  startedAt: string;
  /** Estimated completion from the remaining Shopkit calls and the store's quota. */
  eta: string | null;
  resources: Partial<Record<ImportResource, ResourceProgress>>;
  rejectedTotal: number;
  lastError: string | null;
  run: number;
  /** What the items were mapped with (data source, seed timestamp…), once provisioned. */
  mapping: MappingSettings | null;
}

export interface ReplayRejectedSummary {
  resent: number;
  stillRejected: number;
}

export const progressQuery = defineQuery<ImportProgress>('progress');
export const rejectedQuery = defineQuery<RejectedItem[]>('rejected');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const replayRejectedUpdate = defineUpdate<ReplayRejectedSummary>('replayRejected');
/**
 * A page that learns it needs more Shopkit calls (buyer searches) reserves them in the store's schedule
 * before making them, so pages on several workers never exceed the quota together; answers when the first
 * may go (epoch ms), the rest following one quota interval apart.
 */
export const reserveShopkitUpdate = defineUpdate<number, [{ calls: number }]>('reserveShopkitCalls');
/** Ends an import that is waiting, after completion, for its rejects to be replayed. */
export const finishSignal = defineSignal('finish');

export const importWorkflowId = (storeId: string): string => `import/${storeId}`;
