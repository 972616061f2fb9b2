import type { StoreConfig } from '../../src/config';
import { ApiError, type RetryEvent, type RetryPolicy } from '../../src/http';
import { startShopimindSimulator, type ShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import type { ShopimindSimulatorOptions } from '../../src/sandbox/shopimind-simulator';
import { ShopimindClient, type ShopimindItem } from '../../src/shopimind';
import { sampleItem } from '../unit/shopimind-field-tables';

const fastRetry: RetryPolicy = { maxAttempts: 6, initialDelayMs: 5, maxDelayMs: 40, maxElapsedMs: 20_000 };

function storeFor(sim: ShopimindSimulator, apiKey = sim.apiKey): StoreConfig {
  return {
    storeId: 'contract-store',
    shopkit: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'unused', webhookSecret: 'unused', quotaPerHour: 3600 },
    // The client's own bucket is opened wide so the simulator's quota is what the tests exercise.
    shopimind: { baseUrl: sim.baseUrl, apiKey, quotaPerMinute: 1_000_000 },
  };
}

const customers = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => sampleItem('customers', { customer_id: `c-${from + i}` }));

let sim: ShopimindSimulator;
let retries: RetryEvent[];
let client: ShopimindClient;

async function start(options: ShopimindSimulatorOptions = {}) {
  sim = await startShopimindSimulator({ quota: null, ...options });
  retries = [];
  client = new ShopimindClient(storeFor(sim), { retry: fastRetry, onRetry: (e) => retries.push(e) });
}
const requestsTo = (route: string) => sim.kit.stats().routes[route]?.requests ?? 0;

afterEach(() => sim.close());

describe('bulk upserts', () => {
  beforeEach(() => start());

  test('are chunked at the per-resource maximum and counted over chunks', async () => {
    const result = await client.upsert('customers', customers(120));
    expect(result).toEqual({ sent: 120, rejected: [] });
    expect(requestsTo('POST /v1/customers')).toBe(3);
    expect(sim.state.count('customers')).toBe(120);

    const categories = Array.from({ length: 250 }, (_, i) => sampleItem('productsCategories', { category_id: i + 1 }));
    expect((await client.upsert('productsCategories', categories)).sent).toBe(250);
    expect(requestsTo('POST /v1/products-categories')).toBe(3);
  });

  test('aggregate local and remote rejections at the caller indices', async () => {
    await client.upsert('products', [sampleItem('products', { product_id: 42 })]);
    const variations = Array.from({ length: 70 }, (_, i) =>
      sampleItem('productVariations', { variation_id: i, product_id: i % 20 === 5 ? '999' : '42' }),
    );
    (variations[3] as Record<string, unknown>).price = 'free';
    delete (variations[61] as Partial<ShopimindItem<'productVariations'>>).name;

    const result = await client.upsert('productVariations', variations);

    expect(result.sent).toBe(70 - 2 - 4);
    expect(result.rejected).toEqual([
      { index: 3, externalId: '42/3', source: 'local', reasons: [{ path: 'price', message: expect.any(String) }] },
      {
        index: 5,
        externalId: '999/5',
        source: 'remote',
        reasons: [{ path: 'product_id', message: 'unknown product' }],
      },
      { index: 25, externalId: '999/25', source: 'remote', reasons: [expect.objectContaining({ path: 'product_id' })] },
      { index: 45, externalId: '999/45', source: 'remote', reasons: [expect.objectContaining({ path: 'product_id' })] },
      { index: 61, externalId: '42/61', source: 'local', reasons: [{ path: 'name', message: 'is required' }] },
      { index: 65, externalId: '999/65', source: 'remote', reasons: [expect.objectContaining({ path: 'product_id' })] },
    ]);
    expect(requestsTo('POST /v1/products/variations/bulk')).toBe(2);
    expect(sim.state.count('productVariations')).toBe(64);
  });

  test('locally refused items are never sent', async () => {
    const bad = [sampleItem('customers', { email: 'nope' }), sampleItem('customers', { is_active: 'yes' })];
    const result = await client.upsert('customers', bad);
    expect(result.sent).toBe(0);
    expect(result.rejected.map((r) => [r.index, r.source, r.reasons[0]?.path])).toEqual([
      [0, 'local', 'email'],
      [1, 'local', 'is_active'],
    ]);
    expect(sim.kit.stats().requests).toBe(0);
  });

  test('a 400 that itemises an all-invalid chunk becomes per-item rejections', async () => {
    const orphans = [1, 2].map((i) => sampleItem('productVariations', { variation_id: i, product_id: '404' }));
    const result = await client.upsert('productVariations', orphans);
    expect(result).toEqual({
      sent: 0,
      rejected: [0, 1].map((index) => ({
        index,
        externalId: `404/${index + 1}`,
        source: 'remote',
        reasons: [{ path: 'product_id', message: 'unknown product' }],
      })),
    });
    expect(sim.kit.stats().statuses).toEqual({ '400': 1 });
  });

  test('become visible after the visibility delay', async () => {
    await sim.close();
    await start({ visibilityDelayMs: 300 });
    await client.upsert('customers', customers(3));
    expect((await client.list('customers')).meta.pagination.total_items).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await client.list('customers')).meta.pagination.total_items).toBe(3);
  });
});

describe('retries and errors', () => {
  test('a 429 waits for Retry-After, then succeeds', async () => {
    await start({ quota: { requests: 2, windowMs: 1000 } });
    const started = Date.now();
    const result = await client.upsert('customers', customers(150));
    const elapsed = Date.now() - started;

    expect(result.sent).toBe(150);
    expect(retries).toEqual([expect.objectContaining({ status: 429, delayMs: 1000, reason: 'rate_limited' })]);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(sim.kit.stats().routes['POST /v1/customers']).toMatchObject({ requests: 4, rateLimited: 1 });
  });

  test('5xx answers are retried and dropped connections replayed without double application', async () => {
    await start({ faults: { seed: 7, errorRate: 0.2, dropRate: 0.2 } });
    const result = await client.upsert('customers', customers(500));

    expect(result).toEqual({ sent: 500, rejected: [] });
    const stats = sim.kit.stats();
    expect(stats.faultsByKind.errors).toBeGreaterThan(0);
    expect(stats.faultsByKind.drops).toBeGreaterThan(0);
    expect(retries.length).toBe(stats.faultsByKind.errors + stats.faultsByKind.drops);
    // Each dropped answer was replayed from the Idempotency-Key cache, never applied a second time.
    expect(sim.state.writes).toMatchObject({ replays: stats.faultsByKind.drops, itemsAccepted: 500 });
    expect(sim.state.count('customers')).toBe(500);
  });

  test('401 is not retried and the error names store and API, never the key', async () => {
    await start();
    const wrongKey = 'wrong-key-0123456789-abcdef';
    const unauthorized = new ShopimindClient(storeFor(sim, wrongKey), { retry: fastRetry });
    const error = await unauthorized.upsert('customers', customers(1)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'auth', retryable: false, storeId: 'contract-store' });
    const text = `${String(error)} ${JSON.stringify(error)}`;
    expect(text).toContain('shopimind');
    expect(text).toContain('contract-store');
    expect(text).not.toContain(wrongKey);
    expect(text).not.toContain(sim.apiKey);
    expect(sim.kit.stats()).toMatchObject({ requests: 1, unauthorized: 1 });
  });

  test('a 400 that does not itemise is a typed, non-retryable error', async () => {
    await start({ faults: { errorRate: 1, errorStatus: 400 } });
    const error = await client.upsert('customers', customers(1)).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'validation', retryable: false });
    expect((error as ApiError).failureType).toBe('ShopimindValidationError');
    expect(sim.kit.stats().requests).toBe(1);
  });

  test('event triggers are never replayed', async () => {
    await start();
    await client.declareEvent({ name: 'Review', code_name: 'review' });
    sim.kit.setFaults({ errorRate: 1 });
    await expect(client.triggerEvent('review', { contact: { email: 'a@b.co' } })).rejects.toMatchObject({
      status: 503,
    });
    expect(requestsTo('POST /v1/events/trigger/:code_name')).toBe(1);
  });
});

describe('deletes and reads', () => {
  beforeEach(() => start());

  test('bulk deletes are chunked by 20 and idempotent', async () => {
    await client.upsert('customers', customers(30));
    const ids = [...customers(25).map((c) => c.customer_id), 'unknown-1'];

    expect(await client.deleteMany('customers', ids)).toEqual({ sent: 26, rejected: [] });
    expect(sim.state.count('customers')).toBe(5);
    expect(await client.deleteMany('customers', ids)).toEqual({ sent: 26, rejected: [] });
    expect(sim.state.count('customers')).toBe(5);
    // The second call differs from the first only in time: replayed from the cache, harmless either way.
    expect(requestsTo('POST /v1/customers/bulk-delete')).toBe(4);
  });

  test('children are deleted per parent', async () => {
    const images = ['42', '43'].flatMap((productId) =>
      ['a', 'b'].map((image) => sampleItem('productImages', { product_id: productId, image_id: image })),
    );
    await client.upsert('productImages', images);
    await client.deleteChildren('productImages', '42', ['a', 'b']);
    expect(sim.state.entities('productImages').map((i) => `${String(i.product_id)}/${String(i.image_id)}`)).toEqual([
      '43/a',
      '43/b',
    ]);
  });

  test('a delete naming ids of the wrong type fails loudly instead of dropping them', async () => {
    // Addresses are written with numeric ids, but the bulk-delete body takes strings.
    await expect(client.deleteChildren('customerAddresses', 'c-1', [101, 102])).rejects.toThrow(
      /2 address_ids do not have the documented type, e.g. 101, 102/,
    );
    expect(requestsTo('POST /v1/customers/:customer_id/addresses/bulk-delete')).toBe(0);
  });

  test('lists page through the pagination envelope', async () => {
    await client.upsert('customers', customers(25));
    const page = await client.list('customers', { limit: 10, offset: 10 });
    expect(page.meta.pagination).toMatchObject({ total_items: 25, current_page: 2, next_page: 3, previous_page: 1 });
    const ids: unknown[] = [];
    for await (const customer of client.iterate('customers', { limit: 10 })) ids.push(customer.customer_id);
    expect(ids).toEqual(customers(25).map((c) => c.customer_id));
  });
});

describe('data sources, custom data and events', () => {
  beforeEach(() => start());

  test('find-or-create a data source by label', async () => {
    const first = await client.findOrCreateDataSource('shopkit');
    const second = await client.findOrCreateDataSource('shopkit');
    expect(second.id_data_source).toBe(first.id_data_source);
    expect(sim.state.count('dataSources')).toBe(1);
  });

  test('custom data records upsert on their unique keys', async () => {
    const definition = await client.createCustomDataDefinition({
      name: 'loyalty',
      unique_keys: ['card'],
      fields: [
        { name: 'card', label: 'Card', type: 'text', required: true },
        { name: 'points', label: 'Points', type: 'number', required: true },
      ],
    });
    const records = Array.from({ length: 30 }, (_, i) => ({ card: `K${i}`, points: i }));
    const result = await client.writeCustomDataRecords(definition, [...records, { card: 'bad', points: 'x' }]);
    expect(result.sent).toBe(30);
    expect(result.rejected).toEqual([
      { index: 30, externalId: 'bad', source: 'local', reasons: [{ path: 'points', message: expect.any(String) }] },
    ]);
    await client.writeCustomDataRecords(definition, records);
    expect(sim.state.count(`customDataRecords-${definition.id}`)).toBe(30);
    expect(requestsTo('POST /v1/custom-data-records/:id_definition')).toBe(4);
  });

  test('events are declared once and triggered', async () => {
    expect(await client.declareEvent({ name: 'Review', code_name: 'review' })).toBe('declared');
    expect(await client.declareEvent({ name: 'Review', code_name: 'review' })).toBe('already-declared');
    await client.triggerEvent('review', { contact: { email: 'a@b.co' }, customData: { stars: 5 } });
    expect(sim.state.entities('eventTriggers')).toEqual([
      expect.objectContaining({ code_name: 'review', customData: { stars: 5 } }),
    ]);
    await expect(client.triggerEvent('review', {})).rejects.toMatchObject({ code: 'validation' });
  });
});
