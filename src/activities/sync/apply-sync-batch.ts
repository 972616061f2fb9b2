import { heartbeat } from '../heartbeat';
import { mapCustomers, mapNewsletterEvents, orderVersionOf, type NewsletterEvent } from '../../mapping';
import type { ShopkitCustomer, ShopkitProduct } from '../../shopkit';
import type { SyncBatchInput, SyncBatchResult } from '../../contracts/sync';
import { mappingContextOf } from '../import/page-readers';
import { StoreMemory } from '../import/store-memory';
import { assertActive } from '../failures';
import type { StoreClientFactory } from '../store-clients';
import { slots, waitUntil } from '../activity-pacing';
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
 * One flush of coalesced events: re-reads products, clients and held orders from Shopkit (the re-read
 * is the truth; what Shopkit no longer has is deleted), maps everything, and writes it in bulk in the
 * connector guide's order. Returns counts and the order versions written.
 */
export async function applySyncBatch(clients: StoreClientFactory, input: SyncBatchInput): Promise<SyncBatchResult> {
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
}
