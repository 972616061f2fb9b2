import { ImportMemories, StoreMemory } from '../../src/activities/import/store-memory';
import type { MappingSettings } from '../../src/contracts/import';
import { customerIdOf } from '../../src/mapping';
import type { ShopimindClient } from '../../src/shopimind';
import type { ShopkitClient, ShopkitOrder, ShopkitProduct } from '../../src/shopkit';
import { order1337, product212322 } from './mapping-fixtures';

const STORE = 'store-a';
const MAPPING: MappingSettings = {
  dataSourceId: 7,
  customDataDefinitionId: null,
  catalogDefinitionId: null,
  seedTimestamp: '2026-01-01T00:00:00.000Z',
  storeCurrency: 'EUR',
  storeUrl: 'https://sandbox.shopk.it',
  taxesIncluded: true,
};

/** Clients that count their reads and know nothing beyond the given products and orders. */
function fakeApi(products: ShopkitProduct[], orders: ShopkitOrder[] = []) {
  const reads = { products: 0, customers: 0, orderSearches: 0 };
  const shopkit = {
    getProducts: (ids: number[]) => {
      reads.products += 1;
      return Promise.resolve({ items: products.filter((p) => ids.includes(p.id)), invalid: [] });
    },
    async *pages(_resource: 'orders', filters: { clientEmail: string }) {
      reads.orderSearches += 1;
      await Promise.resolve();
      yield { page: 1, items: orders.filter((o) => o.client.email === filters.clientEmail) };
    },
  } as unknown as ShopkitClient;
  const shopimind = {
    list: () => {
      reads.customers += 1;
      return Promise.resolve({ data: [] });
    },
  } as unknown as ShopimindClient;
  return { api: { shopkit, shopimind }, reads };
}

const order = order1337();
// One product per line of the order; the first one's page write is refused in one test.
const products = order.products.map((line) => product212322({ id: line.id }));
const productId = order.products[0]?.id as number;
const buyer = customerIdOf(order.client.email.trim().toLowerCase());

async function lookups(memory: StoreMemory, api: ReturnType<typeof fakeApi>['api']) {
  return memory.orderLookups(STORE, [order], api, MAPPING, 'shopimind');
}

describe('import memory', () => {
  it('serves one import run: another run of the same store asks the durable sources again', async () => {
    const memories = new ImportMemories();
    const first = memories.of(STORE, 'run-1');
    first.rememberProducts(STORE, products);
    first.rememberCustomers(STORE, [{ customer_id: buyer, created_at: '2020-01-01T00:00:00.000Z', lang: 'en' }]);
    expect(memories.of(STORE, 'run-1')).toBe(first);

    const { api, reads } = fakeApi(products);
    const same = await lookups(memories.of(STORE, 'run-1'), api);
    expect(reads).toEqual({ products: 0, customers: 0, orderSearches: 0 });
    expect(same.customers(buyer)?.lang).toBe('en');

    const next = await lookups(memories.of(STORE, 'run-2'), api);
    expect(reads).toEqual({ products: 1, customers: 1, orderSearches: 1 });
    expect(next.customers(buyer)).toBeUndefined();
    expect(next.catalog(productId)).toBeDefined();
  });

  it('remembers only what ShopiMind accepted from a written page', async () => {
    const memory = new StoreMemory();
    memory.rememberWritten(STORE, {
      products,
      batches: [
        {
          target: 'customers',
          items: [
            { customer_id: buyer, created_at: '2020-01-01T00:00:00.000Z', lang: 'en' },
            { customer_id: 'refused', created_at: '2020-01-01T00:00:00.000Z', lang: 'en' },
          ],
          owners: ['1', '2'],
        },
      ],
      rejected: [
        { target: 'catalogIndex', sourceId: String(productId) },
        { target: 'customers', sourceId: '2' },
      ],
    });
    const { api, reads } = fakeApi(products);
    const found = await lookups(memory, api);
    // The refused product is read again; the accepted buyer is not looked up.
    expect(reads).toEqual({ products: 1, customers: 0, orderSearches: 0 });
    expect(found.customers(buyer)?.lang).toBe('en');
    expect(found.customers('refused')).toBeUndefined();
  });

  it('gives a buyer without a client record with all its orders, searched once for the pages in flight', async () => {
    const earlier = { ...order, id: order.id - 1, created_at: '2016-01-01T10:00:00+00:00' };
    const { api, reads } = fakeApi(products, [order, earlier]);
    const memory = new StoreMemory();
    const [first, second] = await Promise.all([lookups(memory, api), lookups(memory, api)]);
    expect(reads.orderSearches).toBe(1);
    for (const found of [first, second]) {
      expect(found.customers(buyer)?.ordersOfGuest?.map((o) => o.id)).toEqual([order.id, earlier.id]);
      expect(Date.parse(found.customers(buyer)?.created_at ?? '')).toBe(Date.parse('2016-01-01T10:00:00Z'));
    }
  });

  it('answers a buyer with the latest accepted write', async () => {
    const memory = new StoreMemory();
    memory.rememberCustomers(STORE, [{ customer_id: buyer, created_at: '2020-01-01T00:00:00.000Z', lang: 'pt' }]);
    memory.rememberCustomers(STORE, [{ customer_id: buyer, created_at: '2019-01-01T00:00:00.000Z', lang: 'en' }]);
    const { api } = fakeApi(products);
    expect((await lookups(memory, api)).customers(buyer)).toEqual({
      created_at: '2019-01-01T00:00:00.000Z',
      lang: 'en',
    });
  });
});
