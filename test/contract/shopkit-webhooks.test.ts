import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startShopkitSimulator, type ShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import { SHOPKIT_ID_BASE } from '../../src/sandbox/store-generator';
import { parseShopkitWebhookEvent, verifyShopkitSignature } from '../../src/shopkit';
import { clientFor } from './shopkit-support';

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

/** A webhook endpoint answering each delivery with the next scripted status (200 once the script ends). */
async function startReceiver(script: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      res.statusCode = script.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/shopkit`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function sandbox(sim: ShopkitSimulator, method: string, path: string, body: unknown) {
  const response = await fetch(`${sim.sandboxUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function parse(delivery: Received) {
  const result = parseShopkitWebhookEvent(
    String(delivery.headers['x-shopkit-event']),
    JSON.parse(delivery.raw.toString()),
  );
  if (!result.success) throw new Error(result.error.message);
  return result.data;
}

describe('Shopkit simulator webhooks', () => {
  let sim: ShopkitSimulator;
  beforeEach(async () => {
    sim = await startShopkitSimulator({ seed: 11, quota: null, webhooks: { retries: 3, retryIntervalMs: 30 } });
  });
  afterEach(() => sim.close());

  it('delivers a signed order_updated with Shopkit headers and a bumped update_at', async () => {
    const receiver = await startReceiver();
    try {
      await clientFor(sim).createWebhook({ url: receiver.url, event: 'order_updated' });
      const orderId = SHOPKIT_ID_BASE.order + 9;
      const before = String(sim.generator.order(9).update_at);
      const { status } = await sandbox(sim, 'PUT', `/orders/${orderId}`, { patch: { note: 'gift wrap' } });
      expect(status).toBe(200);
      await sim.webhooks.idle();

      expect(receiver.received).toHaveLength(1);
      const [delivery] = receiver.received as [Received];
      expect(delivery.headers).toMatchObject({
        'user-agent': 'Shopkit-Webhook',
        'content-type': 'application/json',
        'x-shopkit-event': 'order_updated',
        'x-webhook-resource-origin': 'backoffice',
        'x-platform': 'Shopkit',
      });
      expect(verifyShopkitSignature(delivery.raw, delivery.headers['x-webhook-signature'], sim.webhookSecret)).toBe(
        true,
      );
      expect(verifyShopkitSignature(delivery.raw, delivery.headers['x-webhook-signature'], 'another-secret')).toBe(
        false,
      );

      const event = parse(delivery);
      expect(event.event === 'order_updated' && event.order).toMatchObject({ id: orderId, note: 'gift wrap' });
      if (event.event !== 'order_updated') throw new Error('unexpected event');
      expect(Date.parse(event.order.updated_at!)).toBeGreaterThan(Date.parse(before));
      expect(event.order.client.id).toBe(sim.store.orderClientId(orderId));
      expect(typeof event.order.shipment_method_id).toBe('number');
    } finally {
      await receiver.close();
    }
  });

  it('implies status events and keeps update_at strictly increasing', async () => {
    const receiver = await startReceiver();
    try {
      const client = clientFor(sim);
      for (const event of ['order_updated', 'order_change_status', 'order_sent', 'order_paid'] as const) {
        await client.createWebhook({ url: receiver.url, event });
      }
      const orderId = SHOPKIT_ID_BASE.order; // generated as pending and unpaid
      const first = sim.store.update('orders', orderId, { status_alias: 'sent', paid: true });
      const second = sim.store.update('orders', orderId, { note: 'again' });
      expect(first?.events).toEqual(['order_updated', 'order_change_status', 'order_sent', 'order_paid']);
      expect(second?.events).toEqual(['order_updated']);
      expect(first?.entity.status).toBe(3);
      expect(Date.parse(String(second?.entity.update_at))).toBeGreaterThan(Date.parse(String(first?.entity.update_at)));
      await sim.webhooks.idle();
      expect(receiver.received.map((d) => d.headers['x-shopkit-event']).sort()).toEqual(
        ['order_change_status', 'order_paid', 'order_sent', 'order_updated', 'order_updated'].sort(),
      );
      const listed = await client.getOrder(orderId);
      expect(listed?.updated_at).toBe(new Date(Date.parse(String(second?.entity.update_at))).toISOString());
    } finally {
      await receiver.close();
    }
  });

  it('redelivers after failures, then suspends a subscription that keeps failing', async () => {
    const flaky = await startReceiver([500, 503]);
    const dead = await startReceiver([500, 500, 500, 500, 500, 500]);
    try {
      const client = clientFor(sim);
      const flakyHook = await client.createWebhook({ url: flaky.url, event: 'client_updated' });
      const deadHook = await client.createWebhook({ url: dead.url + '?dead', event: 'client_updated' });
      sim.store.update('clients', SHOPKIT_ID_BASE.client + 2, { name: 'Renamed Client' });
      await sim.webhooks.idle();

      expect(flaky.received).toHaveLength(3);
      expect(new Set(flaky.received.map((d) => d.raw.toString())).size).toBe(1);
      expect(dead.received).toHaveLength(4); // first attempt + 3 retries
      const hooks = (await client.listWebhooks()).items;
      expect(hooks.find((h) => h.id === flakyHook.id)?.active).toBe(true);
      expect(hooks.find((h) => h.id === deadHook.id)?.active).toBe(false);

      const event = parse(flaky.received[2]!);
      expect(event.event === 'client_updated' && event.client).toMatchObject({ id: null, name: 'Renamed Client' });
      const stats = (await (await fetch(`${sim.sandboxUrl}/stats`)).json()) as { webhooks: Record<string, number> };
      expect(stats.webhooks).toMatchObject({ subscriptions: 2, suspended: 1, attempts: 7, failedAttempts: 6 });
    } finally {
      await flaky.close();
      await dead.close();
    }
  });

  it('delivers twice or out of order on request', async () => {
    const receiver = await startReceiver();
    try {
      await clientFor(sim).createWebhook({ url: receiver.url, event: 'order_updated' });
      const orderId = SHOPKIT_ID_BASE.order + 1;
      await sandbox(sim, 'PUT', `/orders/${orderId}`, { patch: { note: 'older' }, webhook: { delayMs: 150 } });
      await sandbox(sim, 'PUT', `/orders/${orderId}`, { patch: { note: 'newer' }, webhook: { duplicate: true } });
      await sim.webhooks.idle();
      const notes = receiver.received.map((d) => (parse(d) as { order: { note: string } }).order.note);
      expect(notes).toEqual(['newer', 'newer', 'older']);
    } finally {
      await receiver.close();
    }
  });

  it('sends newsletter, deletion, creation and abandoned-cart envelopes', async () => {
    const receiver = await startReceiver();
    try {
      const client = clientFor(sim);
      for (const event of ['newsletter_unsubscribed', 'client_deleted', 'product_created', 'cart_abandoned'] as const) {
        await client.createWebhook({ url: receiver.url, event });
      }
      const clientId = SHOPKIT_ID_BASE.client + 3;
      expect((await sandbox(sim, 'POST', `/clients/${clientId}/newsletter`, { subscribed: false })).status).toBe(200);
      expect(
        (await sandbox(sim, 'POST', '/carts/abandoned', { clientId, productIds: [SHOPKIT_ID_BASE.product + 2] }))
          .status,
      ).toBe(200);
      const created = await sandbox(sim, 'POST', '/products', {
        fields: { title: 'New Mug' },
        webhook: { origin: 'api' },
      });
      expect(created.status).toBe(201);
      expect((await sandbox(sim, 'DELETE', `/clients/${clientId}`, {})).status).toBe(200);
      await sim.webhooks.idle();

      const events = receiver.received.map(parse);
      expect(events.map((e) => e.event)).toEqual([
        'newsletter_unsubscribed',
        'cart_abandoned',
        'product_created',
        'client_deleted',
      ]);
      const [newsletter, cart, product] = events;
      expect(newsletter?.event === 'newsletter_unsubscribed' && newsletter.client.hash).toHaveLength(40);
      expect(cart?.event === 'cart_abandoned' && cart.cart.products[0]?.id).toBe(SHOPKIT_ID_BASE.product + 2);
      expect(product?.event === 'product_created' && product.product.title).toBe('New Mug');
      expect(receiver.received[2]?.headers['x-webhook-resource-origin']).toBe('api');
      expect(await client.getClientByHash(sim.generator.clientSkeleton(3).hash)).toBeNull();
    } finally {
      await receiver.close();
    }
  });
});

describe('Shopkit simulator sandbox inspection', () => {
  it('pages entities and counts requests, 429s and faults', async () => {
    const sim = await startShopkitSimulator({
      seed: 12,
      sizes: { products: 5, clients: 5, orders: 230 },
      quota: { requests: 3, windowMs: 60_000 },
    });
    try {
      for (let n = 0; n < 4; n++) await fetch(`${sim.baseUrl}/order?X-API-KEY=${sim.apiKey}`);
      sim.store.remove('orders', SHOPKIT_ID_BASE.order);
      const page = (await (await fetch(`${sim.sandboxUrl}/entities/orders?page=3&limit=100`)).json()) as {
        total: number;
        items: { id: number }[];
      };
      expect(page.total).toBe(229);
      expect(page.items.map((o) => o.id)).toEqual(
        Array.from({ length: 29 }, (_, k) => SHOPKIT_ID_BASE.order + 201 + k),
      );
      const stats = (await (await fetch(`${sim.sandboxUrl}/stats`)).json()) as Record<string, unknown>;
      expect(stats).toMatchObject({ requests: 4, rateLimited: 1, faults: 0, counts: { orders: 229, products: 5 } });
    } finally {
      await sim.close();
    }
  });
});
