import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { heartbeat } from '../heartbeat';
import { CART_ABANDONED_EVENT, CUSTOMER_PROFILE_DEFINITION, ORDER_PAYMENT_FAILED_EVENT } from '../../mapping';
import type { ShopimindCustomDataDefinition, ShopimindStoredCustomDataDefinition } from '../../shopimind';
import { reserveShopkitUpdate, VOUCHER_BATCH } from '../../contracts/import';
import type {
  PageInput,
  PageResult,
  ProvisionResult,
  RejectedItem,
  ReplayInput,
  ReplayResult,
} from '../../contracts/import';
import { slots, waitUntil } from '../activity-pacing';
import { storedDefinition } from '../shopimind-writer';
import type { StoreClientFactory, StoreClients } from '../store-clients';
import { CATALOG_INDEX_DEFINITION } from './catalog-index';
import type { PageBatch } from './page-batch';
import { pageReaders, type PageRead } from './page-readers';
import { ImportMemories, type ShopkitReservation } from './store-memory';

/**
 * Reservations of an import page's further Shopkit calls in its workflow's schedule (the
 * `reserveShopkitCalls` update), counting the reserved slots the page used. Without a worker's client
 * (an activity run outside a worker) the key's token bucket alone spaces them, as it does on one worker.
 */
function importReservations(intervalMs: number): { reserve: ShopkitReservation; used: () => number } {
  let used = 0;
  const reserve: ShopkitReservation = async (calls) => {
    const context = Context.current();
    const run = context.info.workflowExecution;
    const client = workerClientOf(context);
    if (!client || !run) return () => Promise.resolve();
    const firstAt = await client.workflow
      .getHandle(run.workflowId, run.runId)
      .executeUpdate(reserveShopkitUpdate, { args: [{ calls }] });
    const next = slots(firstAt, intervalMs);
    return async () => {
      used += 1;
      await next();
    };
  };
  return { reserve, used: () => used };
}

/** The worker's Temporal client, which the SDK's test environment for activities does not provide. */
function workerClientOf(context: Context): Client | undefined {
  try {
    return context.client;
  } catch {
    return undefined;
  }
}

/** Rejects listed per page; the rest are counted. Keeps activity results and history small. */
const REJECTS_PER_PAGE = 50;

/** The label that finds this store's data source again after a reinstall (docs/mapping-decisions.md#data-source). */
function dataSourceLabel(store: { name: string; username: string }): string {
  return `Shopkit – ${store.name} (${store.username})`;
}

export function createImportActivities(clients: StoreClientFactory, memories = new ImportMemories()) {
  /** Reads one page with the lane's reader, then writes what it mapped (unless a dry run). */
  async function runPage(
    api: StoreClients,
    input: Pick<PageInput, 'storeId' | 'resource' | 'page' | 'mapping' | 'dryRun'> & {
      spacing: () => Promise<void>;
      codes: string[];
      only?: ReadonlySet<string>;
      reserve?: ShopkitReservation;
    },
  ): Promise<{ read: PageRead; sent: Record<string, number> }> {
    // Memory serves this import run only: a re-import or a continued run starts from ShopiMind again.
    const memory = memories.of(input.storeId, Context.current().info.workflowExecution?.runId ?? '');
    const read = await pageReaders[input.resource]({
      shopkit: api.shopkit,
      resource: input.resource,
      page: input.page,
      mapping: input.mapping,
      codes: input.codes,
      spacing: input.spacing,
      only: input.only,
      orderLookups: (orders) =>
        memory.orderLookups(input.storeId, orders, api, input.mapping, 'shopimind', input.reserve),
    });
    heartbeat({ resource: input.resource, page: input.page, stage: 'read' });
    const sent = input.dryRun ? dryRunCounts(read.batch) : await read.batch.write(api.shopimind, input.mapping);
    if (!input.dryRun) for (const del of read.deletes) await api.shopimind.deleteMany(del.target, del.ids);
    // Later order pages look up what this page wrote and ShopiMind accepted.
    memory.rememberWritten(input.storeId, {
      products: read.products,
      batches: read.batch.batches(),
      rejected: read.batch.rejected,
    });
    return { read, sent };
  }

  return {
    /**
     * Finds or creates, idempotently, what the store needs in ShopiMind before any item: its data
     * source, the customer-profile custom data definition and the event types. A dry run only finds.
     */
    async provisionStore(input: { storeId: string; dryRun: boolean }): Promise<ProvisionResult> {
      const { store, shopkit, shopimind } = await clients.forStore(input.storeId);
      const shop = await shopkit.getStore();
      const label = dataSourceLabel(shop);
      const source = input.dryRun
        ? (await shopimind.listDataSources()).find((s) => s.label === label)
        : await shopimind.findOrCreateDataSource(label, { type: 'api' });
      const profiles = await findOrCreateDefinition(shopimind, CUSTOMER_PROFILE_DEFINITION, input.dryRun);
      const catalog = await findOrCreateDefinition(shopimind, CATALOG_INDEX_DEFINITION, input.dryRun);
      const eventTypes = [CART_ABANDONED_EVENT, ORDER_PAYMENT_FAILED_EVENT];
      if (!input.dryRun) for (const event of eventTypes) await shopimind.declareEvent(event);
      return {
        dataSourceId: source?.id_data_source ?? 0,
        seedTimestamp: isoOrNow(source?.created_at),
        storeName: shop.name,
        storeCurrency: shop.currency,
        storeUrl: shop.url,
        taxesIncluded: shop.taxes_included,
        customDataDefinitionId: profiles?.id ?? null,
        catalogDefinitionId: catalog?.id ?? null,
        eventTypes: eventTypes.map((event) => event.code_name),
        quotas: { shopkitPerHour: store.shopkit.quotaPerHour, shopimindPerMinute: store.shopimind.quotaPerMinute },
      };
    },

    /** One Shopkit page (or voucher batch): read → map → ShopiMind bulk writes. Returns counts only. */
    async importPage(input: PageInput): Promise<PageResult> {
      const api = await clients.forStore(input.storeId);
      await waitUntil(input.notBefore);
      const spacing = slots(input.notBefore, input.shopkitIntervalMs);
      const reservations = importReservations(input.shopkitIntervalMs);
      const { read, sent } = await runPage(api, {
        ...input,
        spacing,
        codes: input.codes ?? [],
        reserve: reservations.reserve,
      });
      const rejected = read.batch.rejected;
      return {
        total: read.total,
        pageCount: read.pageCount,
        done: read.done,
        read: read.read,
        sent,
        rejectedCount: rejected.length,
        rejected: rejected.slice(0, REJECTS_PER_PAGE),
        couponCodes: read.couponCodes,
        calls: { ...api.calls, shopkitReserved: reservations.used() },
      };
    },

    /**
     * Re-reads the pages the rejected items were read on and re-sends only those items, e.g. after a
     * mapping fix. Items that moved to another page are reported as still rejected.
     */
    async replayRejected(input: ReplayInput): Promise<ReplayResult> {
      const api = await clients.forStore(input.storeId);
      const resent: ReplayResult['resent'] = [];
      const stillRejected: RejectedItem[] = [];
      for (const [pageKey, refs] of groupBy(input.items, (ref) => `${ref.resource}:${ref.page}`)) {
        const { resource, page } = refs[0] as ReplayInput['items'][number];
        const only = new Set(refs.map((ref) => ref.sourceId));
        const codes =
          resource === 'vouchers' ? input.couponCodes.slice((page - 1) * VOUCHER_BATCH, page * VOUCHER_BATCH) : [];
        const { read } = await runPage(api, {
          storeId: input.storeId,
          resource,
          page,
          mapping: input.mapping,
          dryRun: false,
          spacing: slots(Date.now(), 0),
          codes,
          only,
        });
        const failed = new Set(read.batch.rejected.map((item) => item.sourceId));
        stillRejected.push(...read.batch.rejected);
        const seen = new Set(read.batch.batches().flatMap((batch) => batch.owners));
        for (const ref of refs) {
          if (failed.has(ref.sourceId)) continue;
          if (seen.has(ref.sourceId)) resent.push(ref);
          else {
            stillRejected.push({
              ...ref,
              target: resource,
              stage: 'read',
              reasons: [`no longer on ${pageKey.replace(':', ' page ')}; the next reconciliation covers it`],
            });
          }
        }
        heartbeat({ replayed: pageKey });
      }
      return { resent, stillRejected, calls: { ...api.calls } };
    },
  };

  async function findOrCreateDefinition(
    shopimind: StoreClients['shopimind'],
    definition: ShopimindCustomDataDefinition,
    dryRun: boolean,
  ): Promise<ShopimindStoredCustomDataDefinition | undefined> {
    // A shop holds a handful of definitions: one page finds ours.
    const { data } = await shopimind.listCustomDataDefinitions({ limit: 100 });
    const existing = data.find((row) => row.name === definition.name && typeof row.id === 'number');
    if (existing) return storedDefinition(definition, existing.id as number);
    if (dryRun) return undefined;
    return shopimind.createCustomDataDefinition(definition);
  }
}

function dryRunCounts(batch: PageBatch): Record<string, number> {
  return Object.fromEntries(batch.batches().map((b) => [b.target, b.items.length]));
}

function isoOrNow(timestamp: string | undefined): string {
  const ms = timestamp ? Date.parse(timestamp) : Number.NaN;
  return new Date(Number.isNaN(ms) ? Date.now() : ms).toISOString();
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item)) ?? [];
    group.push(item);
    groups.set(key(item), group);
  }
  return groups;
}
