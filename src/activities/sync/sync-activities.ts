import { Context } from '@temporalio/activity';
import { heartbeat } from '../heartbeat';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  DEFAULT_MAPPING_CONFIG,
  mapCartAbandonedTriggers,
  mapCustomers,
  mapNewsletterEvents,
  mapOrderPaymentFailedTriggers,
  orderVersionOf,
  type NewsletterEvent,
} from '../../mapping';
import { ApiError } from '../../http';
import type { ShopkitCustomer, ShopkitProduct } from '../../shopkit';
import { importWorkflowId } from '../../contracts';
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
} from '../../contracts/sync';
import { mappingContextOf } from '../import/page-readers';
import { StoreMemory } from '../import/store-memory';
import { SyncPhaseAttribute } from '../../temporal/search-attributes';
import { assertActive } from '../failures';
import type { StoreClientFactory } from '../store-clients';
import { pages, slots, waitUntil } from '../activity-pacing';
import { scanResource } from './catalog-scan';
import {
  addClient,
  addOrders,
  addProduct,
  deleteCustomers,
  deleteProducts,
  SHOPKIT_IDS_PER_CALL,
  SyncWrites,
} from './sync-writes';
import { deleteVariations, variationsToDelete } from './variation-cleanup';

/**
 * The sync's activities. Unlike the import, they keep no lookups from one call to the next: products and
 * clients change while the sync runs, and a cache another worker cannot see would let this worker map an
 * order with a catalogue entry the store has since changed. Each call starts from ShopiMind's records.
 */
export function createSyncActivities(clients: StoreClientFactory) {
  return {
    /** Whether `import/<storeId>` is running: the sync workflow holds its events until it is not. */
    async importGateStatus(input: { storeId: string }): Promise<ImportGateResult> {
      try {
        const description = await Context.current()
          .client.workflow.getHandle(importWorkflowId(input.storeId))
          .describe();
        // A finished import with rejects stays open for `replayRejected` (days): it no longer writes
        // pages, so it must not hold the sync's events.
        const importing =
          description.status.name === 'RUNNING' && description.typedSearchAttributes.get(SyncPhaseAttribute) !== 'done';
        return { status: importing ? 'running' : 'closed' };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { status: 'none' };
        throw err;
      }
    },

    /**
     * One flush of coalesced events: re-reads products, clients and held orders from Shopkit (the re-read
     * is the truth; what Shopkit no longer has is deleted), maps everything, and writes it in bulk in the
     * connector guide's order. Returns counts and the order versions written.
     */
    async applySyncBatch(input: SyncBatchInput): Promise<SyncBatchResult> {
      assertActive(input.storeId, input.integration);
      const api = await clients.forStore(input.storeId);
      const ctx = mappingContextOf(input.mapping);
      const writes = new SyncWrites();
      const memory = new StoreMemory();
      const refreshed: ShopkitProduct[] = [];
      await waitUntil(input.notBefore);
      const spacing = slots(input.notBefore, input.shopkitIntervalMs);

      const productDeletes = new Set(input.products.deletes);
      for (let i = 0; i < input.products.refresh.length; i += SHOPKIT_IDS_PER_CALL) {
        const ids = input.products.refresh.slice(i, i + SHOPKIT_IDS_PER_CALL);
        await spacing();
        const { items, invalid } = await api.shopkit.getProducts(ids);
        for (const bad of invalid) writes.reject('products', `product ${bad.sourceId ?? '?'}`, bad.reasons, 'read');
        const found = new Set(items.map((p) => p.id));
        for (const id of ids)
          if (!found.has(id) && !invalid.some((bad) => bad.sourceId === String(id))) productDeletes.add(id);
        for (const product of items) addProduct(ctx, input.mapping, writes, product);
        memory.rememberProducts(input.storeId, items);
        refreshed.push(...items);
      }

      const customerDeletes = new Set(input.clients.deletes);
      const reread = new Map<string, ShopkitCustomer>();
      for (const { customerId, observedAt } of input.clients.refresh) {
        await spacing();
        const client = await api.shopkit.getClientByHash(customerId);
        if (!client || client.is_deleted) {
          customerDeletes.add(customerId);
          continue;
        }
        reread.set(customerId, client);
        addClient(ctx, input.mapping, writes, client, observedAt);
      }
      memory.rememberCustomers(
        input.storeId,
        [...reread.values()].flatMap((client) => mapCustomers([client], ctx).items),
      );

      if (input.newsletters.length > 0) {
        // The re-read client's consent decides (deliveries may arrive out of order); the event only
        // when Shopkit no longer has the client.
        const events = input.newsletters
          .filter((row) => !customerDeletes.has(row.customerId))
          .map((row) => {
            const client = reread.get(row.customerId);
            const subscribed = client ? client.accepts_marketing : row.subscribed;
            const event: NewsletterEvent = {
              event: subscribed ? 'newsletter_subscribed' : 'newsletter_unsubscribed',
              client: { name: row.name, email: row.email, hash: null },
            };
            return { event, observedAt: row.observedAt };
          });
        writes.add(
          'newsletterSubscribers',
          'newsletter',
          mapNewsletterEvents(events, { ...ctx, clients: (id) => reread.get(id) }),
        );
      }

      const orderDeletes = new Set(input.orders.deletes);
      const orders = [...input.orders.upserts];
      for (let i = 0; i < input.orders.reread.length; i += SHOPKIT_IDS_PER_CALL) {
        const ids = input.orders.reread.slice(i, i + SHOPKIT_IDS_PER_CALL);
        await spacing();
        const { items } = await api.shopkit.getOrders(ids);
        const found = new Set(items.map((o) => o.id));
        for (const id of ids) if (!found.has(id)) orderDeletes.add(id);
        orders.push(...items);
      }
      await addOrders(api, memory, input.mapping, writes, orders);
      const staleVariations = await variationsToDelete(api, input.mapping, refreshed);
      heartbeat({ stage: 'mapped' });

      const sent = await writes.write(api.shopimind, input.mapping);
      const deleted: Record<string, number> = {};
      const variations = await deleteVariations(api, staleVariations);
      if (variations > 0) deleted.productVariations = variations;
      if (orderDeletes.size > 0) {
        deleted.orders = (await api.shopimind.deleteMany('orders', [...orderDeletes].map(String))).sent;
      }
      if (productDeletes.size > 0) deleted.products = await deleteProducts(api, input.mapping, [...productDeletes]);
      if (customerDeletes.size > 0) deleted.customers = await deleteCustomers(api, input.mapping, [...customerDeletes]);

      return {
        sent,
        deleted,
        rejectedCount: writes.rejectedCount,
        rejected: writes.rejected,
        orderVersions: [
          ...orders.map((order): [number, number] => [order.id, orderVersionOf(order)]),
          ...[...orderDeletes].map((id): [number, number] => [id, -1]),
        ],
        calls: { ...api.calls },
      };
    },

    /**
     * Fires event triggers once each. Never throws for one trigger: each digest is reported `done` (fired,
     * or refused for good) or `retry` (refused before ShopiMind could have acted on it).
     */
    async fireSyncTriggers(input: TriggerBatchInput): Promise<TriggerBatchResult> {
      const all = input.triggers.map((t) => t.digest);
      if (input.integration !== 'active')
        return { done: [], retry: all, errors: [], calls: { shopkit: 0, shopimind: 0 } };
      const api = await clients.forStore(input.storeId);
      const ctx = { timezone: DEFAULT_MAPPING_CONFIG.timezone };
      const result: TriggerBatchResult = { done: [], retry: [], errors: [], calls: { shopkit: 0, shopimind: 0 } };
      for (const trigger of input.triggers) {
        const mapped = trigger.cart
          ? mapCartAbandonedTriggers([trigger.cart], ctx)
          : mapOrderPaymentFailedTriggers(trigger.order ? [trigger.order] : [], ctx);
        const [item] = mapped.items;
        if (!item) {
          result.done.push(trigger.digest);
          result.errors.push(
            `${trigger.codeName}: ${mapped.rejected.flatMap((r) => r.reasons).join('; ') || 'nothing to send'}`,
          );
          continue;
        }
        try {
          await api.shopimind.triggerEvent(item.codeName, item.body);
          result.done.push(trigger.digest);
        } catch (err) {
          const retryable = err instanceof ApiError && err.retryable && err.status !== undefined;
          (retryable ? result.retry : result.done).push(trigger.digest);
          result.errors.push(`${trigger.codeName}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      result.calls = { ...api.calls };
      return result;
    },

    /** Re-reads orders updated on or after `fromDay` (`date_type=update_at`) and upserts them. */
    async reconcileOrders(input: OrdersReconcileInput): Promise<OrdersReconcileResult> {
      assertActive(input.storeId, input.integration);
      const api = await clients.forStore(input.storeId);
      await waitUntil(input.notBefore);
      const spacing = slots(input.notBefore, input.shopkitIntervalMs);
      const memory = new StoreMemory();
      let read = 0;
      let sent = 0;
      let rejectedCount = 0;
      let newestDay = input.fromDay;
      const versions: [number, number][] = [];
      for await (const page of pages(spacing, (n) =>
        api.shopkit.readPage('orders', n, { dateType: 'update_at', dateFrom: input.fromDay }),
      )) {
        read += page.received;
        const writes = new SyncWrites();
        await addOrders(api, memory, input.mapping, writes, page.items);
        sent += (await writes.write(api.shopimind, input.mapping)).orders ?? 0;
        rejectedCount += writes.rejectedCount + page.invalid.length;
        for (const order of page.items) {
          versions.push([order.id, orderVersionOf(order)]);
          const day = order.updated_at?.slice(0, 10);
          if (day && day > newestDay) newestDay = day;
        }
        heartbeat({ page: page.page });
      }
      // Shopkit filters by day: the next run starts again from the newest day seen (or yesterday).
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      return {
        read,
        sent,
        rejectedCount,
        nextFromDay: newestDay > yesterday ? yesterday : newestDay < input.fromDay ? input.fromDay : newestDay,
        orderVersions: versions.slice(-2_000),
        calls: { ...api.calls },
      };
    },

    /**
     * One resource of the daily rescan: streams Shopkit's full list, upserts what ShopiMind lacks or holds
     * older, and deletes what ShopiMind has (for this data source) and Shopkit no longer lists. The id sets
     * live in this activity's memory only (≈ 100 bytes per id); a retry starts the resource over.
     */
    async scanResource(input: ScanInput): Promise<ScanResult> {
      assertActive(input.storeId, input.integration);
      const api = await clients.forStore(input.storeId);
      return scanResource(api, input);
    },
  };
}
