import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { request } from 'undici';
import type { AppConfig } from '../../config';
import { buildGateway, shopkitWebhookRegistrar, TemporalSyncBackend } from '../../gateway';
import type { ShopimindSimulator } from '../../sandbox/shopimind-simulator';
import type { ShopkitSimulator } from '../../sandbox/shopkit-simulator';
import { seededRandom } from '../../sandbox/simulator-kit';
import { freePort } from '../../temporal/free-port';
import { storeSyncWorkflowId, syncStatusQuery } from '../../contracts';

export interface ActivityOptions {
  storeId: string;
  seed: number;
  seconds: number;
  eventsPerSecond: number;
}

export interface ActivityResult {
  events: number;
  lagP50Ms: number;
  lagP95Ms: number;
  maxLagMs: number;
}

/**
 * The incremental-sync part of the demo: a gateway on loopback with the store's webhooks registered
 * to it, then a stream of shop activity in the Shopkit simulator (orders updated and placed, products
 * renamed, customers edited, newsletter consent changes) delivered as signed webhooks. Measures, per
 * order update, how long until ShopiMind holds it, and waits until the sync has nothing pending.
 */
export async function driveLiveActivity(
  options: ActivityOptions,
  deps: { client: Client; config: AppConfig; shopkit: ShopkitSimulator; shopimind: ShopimindSimulator },
  say: (line: string) => void,
): Promise<ActivityResult> {
  const adminToken = randomBytes(24).toString('hex');
  const port = await freePort();
  const gateway = buildGateway({
    stores: deps.config.stores,
    backend: new TemporalSyncBackend(deps.client, { taskQueue: deps.config.temporal.taskQueue }),
    adminToken,
    publicUrl: `http://127.0.0.1:${port}`,
    registerWebhooks: shopkitWebhookRegistrar(deps.config.stores),
  });
  await gateway.listen({ host: '127.0.0.1', port });
  try {
    const registered = await request(`http://127.0.0.1:${port}/stores/${options.storeId}/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    if (registered.statusCode !== 200) throw new Error(`webhook registration failed: ${registered.statusCode}`);
    await registered.body.dump();
    say(
      `Gateway on http://127.0.0.1:${port}; Shopkit webhooks registered. Driving shop activity for ${options.seconds} s…`,
    );

    const lags = await mutate(options, deps);
    await waitUntilIdle(deps.client, options.storeId);
    const sorted = [...lags].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return {
      events: options.seconds * options.eventsPerSecond,
      lagP50Ms: at(0.5),
      lagP95Ms: at(0.95),
      maxLagMs: at(1),
    };
  } finally {
    await gateway.close();
  }
}

/** Random shop activity; returns the webhook → ShopiMind lag of every order update. */
async function mutate(
  options: ActivityOptions,
  deps: { shopkit: ShopkitSimulator; shopimind: ShopimindSimulator },
): Promise<number[]> {
  const random = seededRandom(options.seed);
  const store = deps.shopkit.store;
  const pick = (collection: 'orders' | 'products' | 'clients') => {
    const items = store.collections[collection].slice(0, 200);
    return Number(items[Math.floor(random() * items.length)]?.id);
  };
  const watched = new Map<string, { since: number; version: string }>();
  const lags: number[] = [];
  const total = options.seconds * options.eventsPerSecond;
  for (let i = 0; i < total; i++) {
    const roll = random();
    if (roll < 0.5) {
      const status = ['processing', 'sent', 'delivered'][Math.floor(random() * 3)] as string;
      const { entity } = store.update('orders', pick('orders'), { status_alias: status }) ?? {};
      if (entity) watched.set(String(entity.id), { since: Date.now(), version: String(entity.update_at) });
    } else if (roll < 0.65) store.create('orders', { client_id: pick('clients') });
    else if (roll < 0.8) store.update('products', pick('products'), { title: `Produto ${i}` });
    else if (roll < 0.92) store.update('clients', pick('clients'), { company: `Empresa ${i}` });
    else store.setNewsletter(pick('clients'), random() < 0.5);
    collectLags(deps.shopimind, watched, lags);
    await new Promise((resolve) => setTimeout(resolve, 1000 / options.eventsPerSecond));
  }
  for (const deadline = Date.now() + 60_000; watched.size > 0 && Date.now() < deadline;) {
    collectLags(deps.shopimind, watched, lags);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return lags;
}

function collectLags(
  shopimind: ShopimindSimulator,
  watched: Map<string, { since: number; version: string }>,
  lags: number[],
): void {
  if (watched.size === 0) return;
  for (const order of shopimind.state.entities('orders')) {
    const seen = watched.get(String(order.order_id));
    if (seen && Date.parse(String(order.updated_at)) >= Date.parse(seen.version)) {
      lags.push(Date.now() - seen.since);
      watched.delete(String(order.order_id));
    }
  }
}

async function waitUntilIdle(client: Client, storeId: string): Promise<void> {
  const handle = client.workflow.getHandle(storeSyncWorkflowId(storeId));
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    const status = await handle.query(syncStatusQuery);
    if (status.pending + status.inFlight + status.pendingTriggers === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the sync still had pending events after two minutes');
}
