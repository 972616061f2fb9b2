import { ApiError, type RetryEvent } from '../../src/http';
import { startShopkitSimulator, type ShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import { SHOPKIT_ID_BASE } from '../../src/sandbox/store-generator';
import { ShopkitClient, type ShopkitOrder } from '../../src/shopkit';
import { clientFor, fastRetry, storeFor } from './shopkit-support';

const sizes = { products: 37, clients: 26, orders: 123 };

describe('ShopkitClient against the simulator', () => {
  let sim: ShopkitSimulator;
  beforeAll(async () => {
    sim = await startShopkitSimulator({ seed: 5, sizes, quota: null });
  });
  afterAll(() => sim.close());

  it('reads every resource to the last page, by X-Total-Count', async () => {
    const client = clientFor(sim);
    const pages = [];
    for await (const page of client.pages('orders')) pages.push(page);
    expect(pages.map((p) => [p.page, p.received, p.total, p.done])).toEqual([
      [1, 50, 123, false],
      [2, 50, 123, false],
      [3, 23, 123, true],
    ]);
    const ids = pages.flatMap((p) => p.items.map((o) => o.id));
    expect(new Set(ids).size).toBe(123);
    for (const [resource, expected] of [
      ['products', sizes.products],
      ['clients', sizes.clients],
      ['categories', sim.generator.sizes.categories],
      ['brands', sim.generator.sizes.brands],
    ] as const) {
      let count = 0;
      for await (const page of client.pages(resource, {}, { limit: 10 })) count += page.items.length;
      expect([resource, count]).toEqual([resource, expected]);
    }
  });

  it('reads one page on its own; a page past the end is empty and done', async () => {
    const client = clientFor(sim);
    const page = await client.listOrders({ page: 2, limit: 50 });
    expect(page.items[0]?.id).toBe(SHOPKIT_ID_BASE.order + 50);
    expect(page.pageCount).toBe(3);
    const past = await client.readPage('orders', 9);
    expect(past).toMatchObject({ items: [], received: 0, done: true });
  });

  it('reads with filters: ids, order date window, registered clients', async () => {
    const client = clientFor(sim);
    const byIds = await client.getOrders([SHOPKIT_ID_BASE.order + 3, SHOPKIT_ID_BASE.order + 77, 999]);
    expect(byIds.items.map((o) => o.id)).toEqual([SHOPKIT_ID_BASE.order + 3, SHOPKIT_ID_BASE.order + 77]);

    const sample = (await client.getOrder(SHOPKIT_ID_BASE.order + 60))!;
    const day = String(sim.generator.order(60).update_at).slice(0, 10);
    const window = await client.listOrders({ dateType: 'update_at', dateFrom: day, dateTo: day });
    expect(window.items.map((o) => o.id)).toContain(sample.id);
    expect(window.total).toBeLessThan(sizes.orders);

    const registered = await client.listClients({ registered: true });
    expect(registered.items.length).toBeGreaterThan(0);
    expect(registered.items.every((c) => c.type === 'registered')).toBe(true);
  });

  it("searches one buyer's orders by e-mail, as a scan of every order would find them, changes included", async () => {
    const client = clientFor(sim);
    const buyerOrders = async (email: string) => {
      const ids: number[] = [];
      for await (const page of client.pages('orders', { clientEmail: email }, { limit: 10 })) {
        ids.push(...page.items.map((o) => o.id));
      }
      return ids;
    };
    const all: ShopkitOrder[] = [];
    for await (const page of client.pages('orders')) all.push(...page.items);
    const scan = (email: string) => all.filter((o) => o.client.email.toLowerCase() === email).map((o) => o.id);
    // A buyer without a client record, a regular with orders on several pages, and one drawn at random.
    const guest = all.find(
      (o) => !o.client.is_registered && all.filter((p) => p.client.email === o.client.email).length > 1,
    );
    const emails = [guest, all[4], all[100]].map((o) => String(o?.client.email).toLowerCase());
    expect(new Set(emails).size).toBe(3);
    for (const email of emails) {
      expect(scan(email).length).toBeGreaterThan(0);
      expect(await buyerOrders(email.toUpperCase())).toEqual(scan(email));
    }

    // An order moved to another buyer, and one deleted: the search follows the store.
    expect(scan(emails[1] as string).length).toBeGreaterThan(1);
    const [moved = 0, deleted = 0] = scan(emails[1] as string);
    sim.store.update('orders', moved, { client: { ...all[100]?.client } }, { silent: true });
    sim.store.remove('orders', deleted, { silent: true });
    expect(await buyerOrders(emails[1] as string)).toEqual(
      scan(emails[1] as string).filter((id) => id !== moved && id !== deleted),
    );
    expect(await buyerOrders(emails[2] as string)).toEqual([...scan(emails[2] as string), moved].sort((a, b) => a - b));
    expect(await buyerOrders('nobody@example.test')).toEqual([]);
  });

  it('answers lookups, and null for what does not exist', async () => {
    const client = clientFor(sim);
    expect((await client.getStore()).currency).toBe('EUR');
    expect((await client.getProduct(SHOPKIT_ID_BASE.product + 1))?.status_alias).toBe('hidden');
    expect(await client.getProduct(1)).toBeNull();
    const someone = sim.generator.clientSkeleton(4);
    expect((await client.getClientByHash(someone.hash))?.email).toBe(someone.email);
    expect(await client.getClientByHash('0'.repeat(32))).toBeNull();
    expect((await client.getCoupon({ code: sim.generator.couponCode(2) }))?.id).toBe(SHOPKIT_ID_BASE.coupon + 2);
    expect((await client.getCoupon({ id: SHOPKIT_ID_BASE.coupon }))?.code).toBe(sim.generator.couponCode(0));
    expect((await client.listCarriers()).items).toHaveLength(16);
  });

  it('reports invalid items with their id instead of failing the page', async () => {
    const client = clientFor(sim);
    const brokenId = SHOPKIT_ID_BASE.order + 5;
    sim.store.update('orders', brokenId, { status_alias: 'teleported', status: 99 }, { silent: true });
    try {
      const page = await client.listOrders({ page: 1, limit: 10 });
      expect(page.items).toHaveLength(9);
      expect(page.invalid).toEqual([
        { index: 5, sourceId: String(brokenId), reasons: [expect.stringMatching(/^status_alias: /)] },
      ]);
      const single = client.getOrder(brokenId);
      await expect(single).rejects.toMatchObject({ code: 'bad_response', retryable: false, api: 'shopkit' });
      await expect(single).rejects.toThrow(/status_alias/);
    } finally {
      sim.store.update('orders', brokenId, { status_alias: 'pending', status: 1 }, { silent: true });
    }
  });

  it('manages webhook subscriptions', async () => {
    const client = clientFor(sim);
    const hook = await client.createWebhook({ url: 'https://hooks.example.test/shopkit', event: 'order_created' });
    expect(hook).toMatchObject({ event: 'order_created', active: true });
    await expect(
      client.createWebhook({ url: 'https://hooks.example.test/shopkit', event: 'order_created' }),
    ).rejects.toMatchObject({
      status: 409,
    });
    expect((await client.listWebhooks({ event: 'order_created' })).items.map((w) => w.id)).toEqual([hook.id]);
    expect(await client.deleteWebhook(hook.id)).toBe(true);
    expect(await client.deleteWebhook(hook.id)).toBe(false);
  });
});

describe('ShopkitClient list shapes', () => {
  it.each(['keyed', 'single'] as const)('reads everything from %s lists', async (listShape) => {
    const sim = await startShopkitSimulator({
      seed: 6,
      sizes: { products: 11, clients: 3, orders: 21 },
      quota: null,
      listShape,
    });
    try {
      const client = clientFor(sim);
      let orders = 0;
      for await (const page of client.pages('orders', {}, { limit: 10 })) orders += page.items.length;
      expect(orders).toBe(21);
      const one = await client.getOrders([SHOPKIT_ID_BASE.order + 4]);
      expect(one.items.map((o) => o.id)).toEqual([SHOPKIT_ID_BASE.order + 4]);
    } finally {
      await sim.close();
    }
  });
});

describe('ShopkitClient failure handling', () => {
  it('waits for Retry-After on a 429, then succeeds', async () => {
    const sim = await startShopkitSimulator({ seed: 7, quota: { requests: 2, windowMs: 1_000 } });
    try {
      const retries: RetryEvent[] = [];
      const client = clientFor(sim, { onRetry: (event) => retries.push(event) });
      await client.getStore();
      await client.getStore();
      const started = Date.now();
      await client.getStore();
      const waited = Date.now() - started;
      expect(retries).toEqual([expect.objectContaining({ reason: 'rate_limited', status: 429, delayMs: 1_000 })]);
      expect(waited).toBeGreaterThanOrEqual(950);
      expect(sim.kit.stats().rateLimited).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it('retries 5xx answers and dropped connections', async () => {
    const sim = await startShopkitSimulator({
      seed: 8,
      quota: null,
      faults: { seed: 3, errorRate: 0.3, dropRate: 0.1 },
    });
    try {
      const retries: RetryEvent[] = [];
      const client = clientFor(sim, {
        onRetry: (event) => retries.push(event),
        retry: { maxAttempts: 10, initialDelayMs: 2, maxDelayMs: 20, maxElapsedMs: 10_000 },
      });
      let orders = 0;
      for await (const page of client.pages('orders', {}, { limit: 10 })) orders += page.items.length;
      expect(orders).toBe(120);
      const stats = sim.kit.stats();
      expect(stats.faultsByKind.errors).toBeGreaterThan(0);
      expect(retries.filter((r) => r.reason === 'server')).toHaveLength(stats.faultsByKind.errors);
      expect(retries.filter((r) => r.reason === 'network').length).toBe(stats.faultsByKind.drops);
    } finally {
      await sim.close();
    }
  });

  it('does not retry a 401 and names store and API, never the key', async () => {
    const sim = await startShopkitSimulator({ seed: 9, quota: null });
    try {
      const wrongKey = 'f4c3cfc9af72e01c60d8b5f0b47492b2ee467c0c';
      const error: unknown = await clientFor(sim, {}, wrongKey)
        .listOrders()
        .catch((err: unknown) => err);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        code: 'auth',
        status: 401,
        retryable: false,
        api: 'shopkit',
        storeId: 'contract-store',
      });
      expect((error as ApiError).failureType).toBe('ShopkitAuthError');
      expect((error as Error).message).toMatch(/shopkit .*contract-store/);
      expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(wrongKey);
      expect(sim.kit.stats().unauthorized).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it('keeps the error underneath as the cause: the HTML page that is not JSON, the refused connection', async () => {
    const sim = await startShopkitSimulator({ seed: 11, quota: null });
    const once = { retry: { ...fastRetry, maxAttempts: 1 } };
    try {
      sim.kit.outage(60_000);
      const outage: unknown = await clientFor(sim, once)
        .getStore()
        .catch((err: unknown) => err);
      expect(outage).toMatchObject({ code: 'bad_response', status: 502, retryable: true });
      expect((outage as Error).cause).toBeInstanceOf(SyntaxError);
      // The cause names the fault, never quotes the page (a record's fields would reach Temporal in clear).
      expect(((outage as Error).cause as Error).message).toBe('not valid JSON');
    } finally {
      await sim.close();
    }
    // Nothing listens on the discard port.
    const unreachable = { ...storeFor(sim), shopkit: { ...storeFor(sim).shopkit, baseUrl: 'http://127.0.0.1:9' } };
    const refused: unknown = await new ShopkitClient(unreachable, once).getStore().catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: 'network', retryable: true });
    expect((refused as ApiError).failureType).toBe('ShopkitNetworkError');
    expect((refused as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('accepts the key as the X-API-KEY query parameter too', async () => {
    const sim = await startShopkitSimulator({ seed: 10, quota: null });
    try {
      const response = await fetch(`${sim.baseUrl}/store?X-API-KEY=${sim.apiKey}`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { currency: string }).currency).toBe('EUR');
    } finally {
      await sim.close();
    }
  });
});
