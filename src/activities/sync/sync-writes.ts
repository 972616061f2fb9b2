import {
  catalogIndexRecordOf,
  mapClientAddresses,
  mapCustomerProfiles,
  mapCustomers,
  mapOrderAddresses,
  mapOrderCustomers,
  mapOrders,
  mapProductImages,
  mapProducts,
  mapProductVariations,
  mapShipmentMethodCarriers,
  type MappingContext,
} from '../../mapping';
import type { ShopkitCustomer, ShopkitOrder, ShopkitProduct } from '../../shopkit';
import type { MappingSettings } from '../../contracts/import';
import { mappingContextOf } from '../import/page-readers';
import type { StoreMemory } from '../import/store-memory';
import { TargetBatches, type RejectSink } from '../shopimind-writer';
import type { StoreClients } from '../store-clients';

/** Ids per Shopkit multi-get (`ids=`), its documented maximum. */
export const SHOPKIT_IDS_PER_CALL = 50;
/** Rows per ShopiMind list page. */
export const LIST_PAGE = 100;
const REJECT_SAMPLE = 20;

/** A sync write's rejects: all counted, the first few kept as text for the activity's result. */
class RejectSample implements RejectSink {
  readonly sample: string[] = [];
  count = 0;

  reject(target: string, owner: string, reasons: string[]): void {
    this.count += 1;
    if (this.sample.length < REJECT_SAMPLE) this.sample.push(`${target} ${owner}: ${reasons.join('; ')}`);
  }
}

/** Items of one sync write, in dependency order (parents first), each with its source for reject messages. */
export class SyncWrites extends TargetBatches<RejectSample> {
  constructor() {
    super(new RejectSample());
  }

  get rejected(): string[] {
    return this.rejects.sample;
  }

  get rejectedCount(): number {
    return this.rejects.count;
  }
}

/** Maps and queues the orders' rows (carriers, buyers, addresses, then orders), resolving lookups. */
export async function addOrders(
  api: StoreClients,
  memory: StoreMemory,
  mapping: MappingSettings,
  writes: SyncWrites,
  orders: readonly ShopkitOrder[],
): Promise<void> {
  const ctx = mappingContextOf(mapping);
  if (orders.length === 0) return;
  const storeId = api.store.storeId;
  const { catalog, customers } = await memory.orderLookups(storeId, orders, api, mapping, 'shopkit');
  const orderCtx = { ...ctx, catalog, customers };
  writes.add('ordersCarriers', 'orders', mapShipmentMethodCarriers(orders, orderCtx));
  for (const order of orders) {
    writes.add('customers', `order ${order.id}`, mapOrderCustomers([order], orderCtx));
    writes.add('customerAddresses', `order ${order.id}`, mapOrderAddresses([order], orderCtx));
  }
  for (const order of orders) writes.add('orders', `order ${order.id}`, mapOrders([order], orderCtx));
}

export function addClient(
  ctx: MappingContext,
  mapping: MappingSettings,
  writes: SyncWrites,
  client: ShopkitCustomer,
  observedAt?: string,
): void {
  const owner = `client ${client.email}`;
  writes.add('customers', owner, mapCustomers([client], { ...ctx, observedAt }));
  writes.add('customerAddresses', owner, mapClientAddresses([client], ctx));
  if (mapping.customDataDefinitionId !== null) {
    writes.add('customerProfiles', owner, mapCustomerProfiles([client], ctx));
  }
}

export function addProduct(
  ctx: MappingContext,
  mapping: MappingSettings,
  writes: SyncWrites,
  product: ShopkitProduct,
): void {
  const owner = `product ${product.id}`;
  writes.add('products', owner, mapProducts([product], ctx));
  writes.add('productVariations', owner, mapProductVariations([product], ctx));
  writes.add('productImages', owner, mapProductImages([product], ctx));
  if (mapping.catalogDefinitionId !== null) {
    writes.add('catalogIndex', owner, { items: [catalogIndexRecordOf(product)], rejected: [] });
  }
}

export async function deleteCustomers(
  api: StoreClients,
  mapping: MappingSettings,
  customerIds: readonly string[],
): Promise<number> {
  if (customerIds.length === 0) return 0;
  // D31: a deleted client is erased with its addresses and its profile; its orders stay.
  for (const customerId of customerIds) {
    const { data } = await api.shopimind.listCustomerAddresses(customerId, {
      limit: LIST_PAGE,
      fields: ['address_id'],
    });
    // Addresses are written with numeric ids but deleted by string ids (the bulk-delete body's type).
    const ids = data.flatMap((row) =>
      typeof row.address_id === 'number' || typeof row.address_id === 'string' ? [String(row.address_id)] : [],
    );
    if (ids.length > 0) await api.shopimind.deleteChildren('customerAddresses', customerId, ids);
  }
  await deleteRecordsOf(api, mapping.customDataDefinitionId, 'customer_id', customerIds);
  return (await api.shopimind.deleteMany('customers', customerIds)).sent;
}

/** Deletes products and their catalog index records, so the index never vouches for a deleted product. */
export async function deleteProducts(
  api: StoreClients,
  mapping: MappingSettings,
  productIds: readonly number[],
): Promise<number> {
  if (productIds.length === 0) return 0;
  await deleteRecordsOf(api, mapping.catalogDefinitionId, 'product_id', productIds.map(String));
  return (await api.shopimind.deleteMany('products', productIds)).sent;
}

/** Deletes the custom data records of a definition whose `field` is one of `values`. */
async function deleteRecordsOf(
  api: StoreClients,
  definitionId: number | null,
  field: string,
  values: readonly string[],
): Promise<void> {
  if (definitionId === null) return;
  for (let from = 0; from < values.length; from += LIST_PAGE) {
    const chunk = values.slice(from, from + LIST_PAGE);
    const { data } = await api.shopimind.listCustomDataRecords(definitionId, {
      limit: LIST_PAGE,
      filters: [{ field, operator: 'IN', values: chunk.join(',') }],
      fields: ['id'],
    });
    const records = data.flatMap((row) => (typeof row.id === 'number' ? [row.id] : []));
    if (records.length > 0) await api.shopimind.deleteCustomDataRecords(definitionId, records);
  }
}
