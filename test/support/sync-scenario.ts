import type { Client } from '@temporalio/client';
import { request } from 'undici';
import { diffState, entitiesOf, expectedImportState, type ExpectedState } from '../../src/sandbox/expected-state';
import type { ShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import type { ShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import {
  importWorkflowId,
  progressQuery,
  storeSyncWorkflowId,
  syncStatusQuery,
  type ImportProgress,
} from '../../src/contracts';
import { MAX_PAGES_IN_FLIGHT, VOUCHER_BATCH } from '../../src/contracts/import';
import { spawnCli, type SpawnedProcess } from './processes';

/**
 * Shopkit reads a crash may cost at most: the pages in flight, read again. A list page is one read, a
 * voucher batch one per code.
 */
export const READS_LOST_PER_CRASH = MAX_PAGES_IN_FLIGHT * Math.max(1, VOUCHER_BATCH);

/**
 * Fields that follow webhook receipt times (customers' and subscribers' `updated_at`, D27), and the company
 * of an address row shared by a client and an order snapshot (whichever was written last carries it).
 */
export const IGNORED = {
  customers: ['updated_at'],
  newsletterSubscribers: ['updated_at'],
  customerAddresses: ['company'],
};

export function pagesDone(progress: ImportProgress): number {
  return Object.values(progress.resources).reduce((sum, r) => sum + (r?.pagesDone ?? 0), 0);
}

/**
 * Waits until the store's import has done `atLeast` pages (or is done). Queries fail while a killed
 * worker's replacement is still starting.
 */
export async function waitForPages(client: Client, storeId: string, atLeast: number): Promise<void> {
  const handle = client.workflow.getHandle(importWorkflowId(storeId));
  for (const deadline = Date.now() + 180_000; Date.now() < deadline;) {
    const progress = await handle.query(progressQuery).catch(() => undefined);
    if (progress && (pagesDone(progress) >= atLeast || progress.phase === 'done')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`import of ${storeId} did not reach ${atLeast} pages`);
}

/** Sync timings for tests: the daily catalogue scan every 5 s (it repairs orders naming an option disabled
 * during the sync), the 15-minute order reconciliation off. */
export const COMPRESSED_SYNC_ENV = { SYNC_SCAN_INTERVAL_MS: '5000', SYNC_ORDERS_RECONCILE_MS: '0' };

/** Worker processes of one environment; `workers` in start order, so a test can kill the oldest. */
export function workerPool(env: Record<string, string>): {
  processes: SpawnedProcess[];
  workers: SpawnedProcess[];
  start(): void;
} {
  const processes: SpawnedProcess[] = [];
  const workers: SpawnedProcess[] = [];
  return {
    processes,
    workers,
    start() {
      const worker = spawnCli(['worker'], env);
      processes.push(worker);
      workers.push(worker);
    },
  };
}

/** The settings of a gateway process on 127.0.0.1:`port` with this admin token. */
export function loopbackGatewayEnv(port: number, adminToken: string): Record<string, string> {
  return {
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(port),
    GATEWAY_PUBLIC_URL: `http://127.0.0.1:${port}`,
    GATEWAY_ADMIN_TOKEN: adminToken,
  };
}

/** Spawns `shopkit-sync gateway` and waits until its `/readyz` answers 200. */
export async function startGateway(port: number, env: Record<string, string>): Promise<SpawnedProcess> {
  const gateway = spawnCli(['gateway'], env);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const ready = await request(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    if (ready?.statusCode === 200) return gateway;
    await ready?.body.dump();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await gateway.stop('SIGKILL');
  throw new Error(`gateway did not become ready: ${gateway.output()}`);
}

/** POSTs to a gateway admin route with the bearer token; throws on anything but 200. */
export async function postAdmin(port: number, path: string, token: string): Promise<void> {
  const response = await request(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${path} answered ${response.statusCode}: ${body}`);
}

/** Waits until the store's sync is idle and ShopiMind equals the mapping of the final store. */
export async function converge(
  client: Client,
  storeId: string,
  shopkit: ShopkitSimulator,
  shopimind: ShopimindSimulator,
  progress: ImportProgress,
  timeoutMs = 120_000,
): Promise<{ differences: string[]; expected: ExpectedState }> {
  const mapping = progress.mapping;
  if (!mapping) throw new Error('the import never provisioned the store');
  const sync = client.workflow.getHandle(storeSyncWorkflowId(storeId));
  let differences: string[] = [];
  let expected = expectedImportState(shopkit.store, shopkit.generator, mapping);
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const status = await sync.query(syncStatusQuery);
    expected = expectedImportState(shopkit.store, shopkit.generator, mapping);
    differences = diffState(expected, shopimind.state, mapping, { ignore: IGNORED }).flatMap((d) => [
      ...d.missing.map((key) => `${d.collection} missing ${key}`),
      ...d.unexpected.map((key) => `${d.collection} unexpected ${key}`),
      ...d.different.map((key) => `${d.collection} different ${key}`),
    ]);
    if (status.pending + status.inFlight === 0 && differences.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { differences: differences.slice(0, 10), expected };
}

/** Order lines whose variation id ShopiMind does not hold. */
export function danglingLines(shopimind: ShopimindSimulator): string[] {
  const variations = new Set(
    shopimind.state.entities('productVariations').map((v) => `${String(v.product_id)}/${String(v.variation_id)}`),
  );
  return shopimind.state.entities('orders').flatMap((order) =>
    (order.products as { product_id: number; product_variation_id: number | null }[])
      .filter((line) => line.product_variation_id !== null)
      .filter((line) => !variations.has(`${line.product_id}/${line.product_variation_id}`))
      .map((line) => `order ${String(order.order_id)} → ${line.product_id}/${line.product_variation_id}`),
  );
}

/** Shopkit reads served so far: requests less the ones refused with 429 (they read nothing, spend no quota). */
export function shopkitReads(stats: ReturnType<ShopkitSimulator['kit']['stats']>): number {
  return stats.requests - stats.rateLimited;
}

/** Shopkit reads of single clients (`GET /client/{hash}`) in these counters. */
export function clientReads(stats: ReturnType<ShopkitSimulator['kit']['stats']>): number {
  return Object.entries(stats.routes)
    .filter(([route]) => route.startsWith('GET ') && route.includes('/client/'))
    .reduce((sum, [, counters]) => sum + counters.requests, 0);
}
/** Clients `mutateStore` changes: the sync re-reads each one (`GET /client/{hash}`). */
export const CLIENTS_CHANGED = 10;

/** Order changes, client changes, new orders, and an option that orders name disabled after it sold. */
export function mutateStore(shopkit: ShopkitSimulator): void {
  const orders = entitiesOf(shopkit.store, 'orders');
  for (let i = 0; i < 30; i++) {
    shopkit.store.update('orders', Number(orders[(i * 37) % orders.length]?.id), {
      status_alias: i % 2 === 0 ? 'sent' : 'delivered',
    });
  }
  const clients = entitiesOf(shopkit.store, 'clients');
  for (let i = 0; i < CLIENTS_CHANGED; i++) {
    shopkit.store.update('clients', Number(clients[(i * 13) % clients.length]?.id), { company: `Empresa ${i}` });
  }
  for (let i = 0; i < 5; i++) shopkit.store.create('orders');
  const sold = soldOption(shopkit);
  shopkit.store.update('products', sold.productId, {
    options: sold.options.map((option) => (option.id === sold.optionId ? { ...option, active: false } : option)),
  });
}

/** An active option that orders name, of a product that keeps another active option. */
export function soldOption(shopkit: ShopkitSimulator): {
  productId: number;
  optionId: number;
  options: Record<string, unknown>[];
} {
  const products = new Map(entitiesOf(shopkit.store, 'products').map((p) => [Number(p.id), p]));
  for (const order of entitiesOf(shopkit.store, 'orders')) {
    for (const line of order.products as { id: number; option: string | null }[]) {
      const options = (products.get(line.id)?.options ?? []) as { id: number; title: string; active: boolean }[];
      const active = options.filter((option) => option.active);
      const named = active.find((option) => option.title === line.option);
      if (named && active.length > 1) return { productId: line.id, optionId: named.id, options };
    }
  }
  throw new Error('no order names an active option of a product with several');
}
