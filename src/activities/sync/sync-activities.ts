import { Context } from '@temporalio/activity';
import { heartbeat } from '../heartbeat';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  DEFAULT_MAPPING_CONFIG,
  mapCartAbandonedTriggers,
  mapOrderPaymentFailedTriggers,
  orderVersionOf,
} from '../../mapping';
import { ApiError } from '../../http';
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
import { StoreMemory } from '../import/store-memory';
import { SyncPhaseAttribute } from '../../temporal/search-attributes';
import { assertActive } from '../failures';
import type { StoreClientFactory } from '../store-clients';
import { pages, slots, waitUntil } from '../activity-pacing';
import { applySyncBatch } from './apply-sync-batch';
import { scanResource } from './catalog-scan';
import { addOrders, SyncWrites } from './sync-writes';

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

    /** One flush of coalesced events (apply-sync-batch.ts). */
    applySyncBatch: (input: SyncBatchInput): Promise<SyncBatchResult> => applySyncBatch(clients, input),

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
