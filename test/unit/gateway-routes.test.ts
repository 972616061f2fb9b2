import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { StoreConfigSchema, type StoreConfig } from '../../src/config';
import { buildGateway, signShopimindLifecycle, type SyncBackend } from '../../src/gateway';
import { customerIdOf } from '../../src/mapping';
import { combinedLookup } from '../../src/registry';
import { signShopkitBody } from '../../src/shopkit/webhook-signature';
import type { LifecycleChange, SyncEvent } from '../../src/contracts/sync';

const SECRET = 'shopkit-webhook-secret-0123456789';
const LIFECYCLE_SECRET = 'shopimind-integration-secret-42';
const ADMIN = 'admin-token-abcdefghijklmnop';
const NOW = Date.parse('2026-03-01T12:00:00Z');

const store: StoreConfig = StoreConfigSchema.parse({
  storeId: 'shop-a',
  shopkit: { apiKey: 'sk-key', webhookSecret: SECRET },
  shopimind: { apiKey: 'spm-key' },
});

class FakeBackend implements SyncBackend {
  events: { storeId: string; event: SyncEvent }[] = [];
  lifecycle: { storeId: string; change: LifecycleChange }[] = [];
  calls: string[] = [];
  down = false;

  private check(call: string) {
    this.calls.push(call);
    if (this.down) return Promise.reject(new Error('14 UNAVAILABLE: connection refused'));
    return Promise.resolve();
  }
  async deliverEvent(storeId: string, event: SyncEvent) {
    await this.check('deliverEvent');
    this.events.push({ storeId, event });
  }
  async deliverLifecycle(storeId: string, change: LifecycleChange) {
    await this.check('deliverLifecycle');
    this.lifecycle.push({ storeId, change });
  }
  async startImport(storeId: string) {
    await this.check('startImport');
    return { workflowId: `import/${storeId}`, started: true };
  }
  async stopImport() {
    await this.check('stopImport');
    return true;
  }
  async status() {
    await this.check('status');
    return { import: null, sync: null };
  }
  async pauseOrResume(_storeId: string, action: 'pause' | 'resume') {
    await this.check(action);
    return { import: true, sync: true };
  }
  ready() {
    return Promise.resolve(!this.down);
  }
}

const order = {
  order: {
    id: 1337,
    hash: 'abc',
    total: 10,
    subtotal: 10,
    created_at: '2026-02-28T10:00:00+00:00',
    update_at: '2026-02-28T11:00:00+00:00',
    status: 2,
    status_alias: 'processing',
    currency: 'EUR',
    client: { name: 'Ana Silva', email: 'Ana@Example.com' },
    products: [],
  },
};

describe('gateway routes (in-process HTTP, fake Temporal)', () => {
  let backend: FakeBackend;
  let app: FastifyInstance;
  let base: string;

  beforeEach(async () => {
    backend = new FakeBackend();
    app = buildGateway({
      stores: new Map([[store.storeId, store]]),
      backend,
      adminToken: ADMIN,
      publicUrl: 'https://sync.example.com',
      bodyLimit: 4096,
      shopimindWebhookSecret: LIFECYCLE_SECRET,
      now: () => NOW,
      registerWebhooks: (storeId, url) => Promise.resolve({ url, created: [storeId], existing: [], failed: [] }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterEach(() => app.close());

  /**
   * `fastify.inject` needs light-my-request, whose ESM-only `cookie` dependency jest cannot load here, so
   * the same calls go over a real socket.
   */
  async function inject(options: { method: string; url: string; payload?: string; headers?: Record<string, string> }) {
    const response = await request(`${base}${options.url}`, {
      method: options.method as 'GET',
      body: options.payload,
      headers: options.headers,
    });
    const text = await response.body.text();
    return { statusCode: response.statusCode, json: () => JSON.parse(text) as unknown };
  }

  function webhook(body: string, headers: Record<string, string> = {}, storeId = 'shop-a') {
    return inject({
      method: 'POST',
      url: `/webhooks/shopkit/${storeId}`,
      payload: body,
      headers: {
        'content-type': 'application/json',
        'x-shopkit-event': 'order_updated',
        'x-webhook-signature': signShopkitBody(body, SECRET),
        ...headers,
      },
    });
  }

  it('signals a verified order webhook as a normalised event with its receipt time', async () => {
    const body = JSON.stringify(order);
    const response = await webhook(body);
    expect(response.statusCode).toBe(200);
    expect(backend.events).toHaveLength(1);
    const { storeId, event } = backend.events[0]!;
    expect(storeId).toBe('shop-a');
    expect(event).toMatchObject({
      kind: 'order',
      event: 'order_updated',
      orderId: 1337,
      version: Date.parse('2026-02-28T11:00:00Z'),
      receivedAt: '2026-03-01T12:00:00.000Z',
    });
    expect(event.digest).toMatch(/^[0-9a-f]{32}$/);
    // The signal carries the payload but never the secret or the signature.
    expect(JSON.stringify(event)).not.toContain(SECRET);
    expect(JSON.stringify(event)).not.toContain(signShopkitBody(body, SECRET));
  });

  it('gives identical deliveries the same digest and keys clients by the e-mail hash', async () => {
    const body = JSON.stringify({ client: { name: 'Ana', email: ' ana@example.com ', created_at: 1416357859 } });
    await webhook(body, { 'x-shopkit-event': 'client_updated' });
    await webhook(body, { 'x-shopkit-event': 'client_updated' });
    const [a, b] = backend.events.map((e) => e.event);
    expect(a?.digest).toBe(b?.digest);
    expect(a).toMatchObject({ kind: 'client', customerId: customerIdOf('ana@example.com') });
  });

  it.each([
    ['a bad signature', { 'x-webhook-signature': 'f'.repeat(64) }, 401],
    ['a missing signature', { 'x-webhook-signature': '' }, 401],
    ['a missing event header', { 'x-shopkit-event': '' }, 400],
    ['an unknown event', { 'x-shopkit-event': 'order_exploded' }, 400],
  ])('answers %s with the status given and signals nothing', async (_name, headers, status) => {
    const response = await webhook(JSON.stringify(order), headers);
    expect(response.statusCode).toBe(status);
    expect(backend.calls).toEqual([]);
  });

  it('answers malformed JSON and invalid payloads with 400, an unknown store with 404', async () => {
    expect((await webhook('{"order": ')).statusCode).toBe(400);
    expect((await webhook(JSON.stringify({ order: { id: 'x' } }))).statusCode).toBe(400);
    expect((await webhook(JSON.stringify(order), {}, 'shop-unknown')).statusCode).toBe(404);
    expect(backend.calls).toEqual([]);
  });

  it('checks the signature before parsing: a malformed body with a bad signature is 401', async () => {
    const response = await webhook('not json', { 'x-webhook-signature': '0'.repeat(64) });
    expect(response.statusCode).toBe(401);
  });

  it('refuses an oversized body with 413', async () => {
    const body = JSON.stringify({ ...order, padding: 'x'.repeat(5000) });
    expect((await webhook(body)).statusCode).toBe(413);
    expect(backend.calls).toEqual([]);
  });

  it('answers 503 when Temporal does not accept the signal, so Shopkit retries', async () => {
    backend.down = true;
    const response = await webhook(JSON.stringify(order));
    expect(response.statusCode).toBe(503);
    expect(backend.events).toEqual([]);
    expect((await inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    expect((await inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('accepts product events with an undocumented envelope as long as they name the product', async () => {
    const response = await webhook(JSON.stringify({ product: { id: '42' } }), { 'x-shopkit-event': 'product_deleted' });
    expect(response.statusCode).toBe(200);
    expect(backend.events[0]?.event).toMatchObject({ kind: 'productDeleted', productId: 42 });
  });

  describe('ShopiMind lifecycle', () => {
    function lifecycle(body: string, timestamp: number, signature?: string) {
      const ts = String(timestamp);
      return inject({
        method: 'POST',
        url: '/shopimind/lifecycle',
        payload: body,
        headers: {
          'content-type': 'application/json',
          'x-shopimind-timestamp': ts,
          'x-shopimind-signature': signature ?? signShopimindLifecycle(body, ts, LIFECYCLE_SECRET),
        },
      });
    }

    it('activates: sync signalled, import started, both resumed', async () => {
      const body = JSON.stringify({ event: 'activate', store_id: 'shop-a' });
      const response = await lifecycle(body, NOW / 1000 - 10);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ success: true });
      expect(backend.lifecycle.map((l) => l.change.event)).toEqual(['activate']);
      expect(backend.calls).toEqual(['deliverLifecycle', 'startImport', 'resume']);
    });

    it('deactivates: sync inactive and both workflows paused; uninstall cancels the import', async () => {
      await lifecycle(JSON.stringify({ event: 'deactivate', store_id: 'shop-a' }), NOW / 1000);
      await lifecycle(JSON.stringify({ event: 'uninstall', store_id: 'shop-a' }), NOW / 1000);
      expect(backend.calls).toEqual(['deliverLifecycle', 'pause', 'deliverLifecycle', 'stopImport']);
    });

    it.each([
      ['replayed outside the window (6 min old)', NOW / 1000 - 360, undefined],
      ['from the future beyond 60 s', NOW / 1000 + 120, undefined],
      ['with a wrong signature', NOW / 1000, 'a'.repeat(64)],
    ])('refuses a lifecycle call %s with 401', async (_name, ts, signature) => {
      const response = await lifecycle(JSON.stringify({ event: 'activate', store_id: 'shop-a' }), ts, signature);
      expect(response.statusCode).toBe(401);
      expect(backend.calls).toEqual([]);
    });

    it('acts on configured stores only: a registry installation is sent to /webhook/receive (404)', async () => {
      const installation = StoreConfigSchema.parse({ ...store, storeId: 'inst-9' });
      const configured = new Map([[store.storeId, store]]);
      const withRegistry = buildGateway({
        stores: combinedLookup(configured, new Map([[installation.storeId, installation]])),
        configuredStores: configured,
        backend,
        adminToken: ADMIN,
        shopimindWebhookSecret: LIFECYCLE_SECRET,
        now: () => NOW,
      });
      const address = await withRegistry.listen({ host: '127.0.0.1', port: 0 });
      try {
        const send = async (storeId: string) => {
          const body = JSON.stringify({ event: 'uninstall', store_id: storeId });
          const ts = String(NOW / 1000);
          const response = await request(`${address}/shopimind/lifecycle`, {
            method: 'POST',
            body,
            headers: {
              'content-type': 'application/json',
              'x-shopimind-timestamp': ts,
              'x-shopimind-signature': signShopimindLifecycle(body, ts, LIFECYCLE_SECRET),
            },
          });
          return [response.statusCode, await response.body.json()];
        };
        expect(await send('inst-9')).toEqual([
          404,
          {
            success: false,
            error: 'store inst-9 is a marketplace installation: its lifecycle events go to POST /webhook/receive',
          },
        ]);
        expect(backend.calls).toEqual([]);
        expect(await send('shop-a')).toEqual([200, { success: true }]);
        expect(backend.lifecycle.map((l) => l.storeId)).toEqual(['shop-a']);
      } finally {
        await withRegistry.close();
      }
    });

    it('refuses unknown stores (404) and unknown events (400) after verification', async () => {
      expect((await lifecycle(JSON.stringify({ event: 'activate', store_id: 'nope' }), NOW / 1000)).statusCode).toBe(
        404,
      );
      expect((await lifecycle(JSON.stringify({ event: 'explode', store_id: 'shop-a' }), NOW / 1000)).statusCode).toBe(
        400,
      );
      expect(backend.calls).toEqual([]);
    });
  });

  describe('admin routes', () => {
    const auth = { authorization: `Bearer ${ADMIN}` };

    it('require the bearer token', async () => {
      for (const headers of [
        {},
        { authorization: 'Bearer wrong-token-wrong-token' },
        { authorization: ADMIN },
      ] as Record<string, string>[]) {
        const response = await inject({ method: 'POST', url: '/stores/shop-a/import', headers });
        expect(response.statusCode).toBe(401);
      }
      expect(backend.calls).toEqual([]);
    });

    it('start the import, report status, pause and resume, register webhooks', async () => {
      const started = await inject({ method: 'POST', url: '/stores/shop-a/import', headers: auth });
      expect(started.json()).toEqual({ workflowId: 'import/shop-a', started: true });
      expect((await inject({ method: 'GET', url: '/stores/shop-a/status', headers: auth })).json()).toEqual({
        import: null,
        sync: null,
      });
      expect((await inject({ method: 'POST', url: '/stores/shop-a/pause', headers: auth })).json()).toEqual({
        import: true,
        sync: true,
      });
      await inject({ method: 'POST', url: '/stores/shop-a/resume', headers: auth });
      const hooks = await inject({ method: 'POST', url: '/stores/shop-a/webhooks', headers: auth });
      expect(hooks.json()).toMatchObject({ url: 'https://sync.example.com/webhooks/shopkit/shop-a' });
      expect(backend.calls).toEqual(['startImport', 'status', 'pause', 'resume']);
    });

    it('answer 404 for an unknown store', async () => {
      const response = await inject({ method: 'GET', url: '/stores/nope/status', headers: auth });
      expect(response.statusCode).toBe(404);
    });
  });
});
