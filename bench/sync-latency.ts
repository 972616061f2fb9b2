/**
 * Incremental sync latency: Shopkit mutation → signed webhook → gateway → signalWithStart → store-sync
 * workflow → activity → ShopiMind write, at a steady rate, with the documented quotas (Shopkit 3,600/h,
 * ShopiMind 600/min) on both simulators and in the store's configuration. Then the gateway's own
 * throughput: signed webhooks fired concurrently, counted once Temporal accepted each signal.
 *
 *   npx tsx bench/sync-latency.ts [eventsPerSecond=50] [seconds=60] [--codec on|off|both]
 *
 * `--codec` (default on) runs with the encrypting payload codec, without it, or both in turn (off first),
 * each in its own process on a fresh dev server and simulators, to measure what the codec costs.
 *
 * Latency of one event = first time the ShopiMind simulator holds that order at (or past) the mutated
 * version − time of the mutation; observed by polling the simulator every 10 ms.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { request } from 'undici';
import { loadConfig } from '../src/config';
import { buildGateway, SYNC_WEBHOOK_EVENTS, TemporalSyncBackend } from '../src/gateway';
import { startShopimindSimulator } from '../src/sandbox/shopimind-simulator';
import { startShopkitSimulator } from '../src/sandbox/shopkit-simulator';
import { signShopkitBody } from '../src/shopkit/webhook-signature';
import { startDevServer } from '../src/temporal/dev-server';
import { generatePayloadKey } from '../src/temporal/payload-codec';
import { connectClient, connectWorkerConnection } from '../src/temporal/temporal-client';
import { createWorker } from '../src/worker';
import { storeSyncWorkflowId, syncStatusQuery } from '../src/contracts';

const args = process.argv.slice(2);
const codecAt = args.indexOf('--codec');
const codecFlag = codecAt === -1 ? 'on' : args.splice(codecAt, 2)[1];
const rate = Number(args[0] ?? 50);
const seconds = Number(args[1] ?? 60);
const STORE = 'bench-sync';
const SECRET = 'bench-webhook-secret-0123456789';
const ADMIN = 'bench-admin-token-0123456789';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main(): Promise<void> {
  if (codecFlag === 'both') {
    // One process per variant: each gets a fresh SDK runtime, and one's teardown cannot disturb the other.
    for (const variant of ['off', 'on']) {
      const argv = [...process.execArgv, __filename, ...args, '--codec', variant];
      const { status } = spawnSync(process.execPath, argv, { stdio: 'inherit' });
      if (status !== 0) process.exitCode = 1;
    }
    return;
  }
  if (codecFlag !== 'on' && codecFlag !== 'off') throw new Error('--codec takes on, off or both');
  console.log(`node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'})`);
  console.log(`--- payload codec ${codecFlag}`);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  await measure(codecFlag === 'off');
}

async function measure(plaintext: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sync-bench-'));
  const server = await startDevServer({ dbFile: join(dir, 'temporal.sqlite'), uiPort: false });
  const shopkit = await startShopkitSimulator({
    seed: 7,
    webhookSecret: SECRET,
    sizes: { products: 200, clients: 300, orders: 2_000 },
    // A refused delivery comes back after 1 s instead of Shopkit's hour, so the run can end.
    webhooks: { retryIntervalMs: 1_000 },
  });
  const shopimind = await startShopimindSimulator({});
  const taskQueue = 'bench-sync';
  const config = loadConfig({
    STORE_ID: STORE,
    SHOPKIT_BASE_URL: shopkit.baseUrl,
    SHOPKIT_API_KEY: shopkit.apiKey,
    SHOPKIT_WEBHOOK_SECRET: SECRET,
    SHOPIMIND_BASE_URL: shopimind.baseUrl,
    SHOPIMIND_API_KEY: shopimind.apiKey,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_PAYLOAD_KEY: generatePayloadKey(),
  });
  const nativeConnection = await connectWorkerConnection(config.temporal);
  const worker = await createWorker({ config, connection: nativeConnection, taskQueue, plaintext });
  const running = worker.run();
  const client = await connectClient({ ...config.temporal, plaintext });
  const gateway = buildGateway({
    stores: config.stores,
    backend: new TemporalSyncBackend(client, { taskQueue, syncSettings: { ordersReconcileMs: 0, scanIntervalMs: 0 } }),
    adminToken: ADMIN,
  });
  await gateway.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
  for (const event of SYNC_WEBHOOK_EVENTS) shopkit.webhooks.subscribe(`${base}/webhooks/shopkit/${STORE}`, event);

  // The initial import first (paced at Shopkit's 1 request/s), so customers and products are known.
  const admin = (path: string, method: 'GET' | 'POST' = 'POST') =>
    request(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}` } }).then((r) => r.body.json());
  await admin(`/stores/${STORE}/import`);
  const importStart = Date.now();
  for (;;) {
    const status = (await admin(`/stores/${STORE}/status`, 'GET')) as {
      import: { phase: string } | null;
      sync: { importGate: string; provisioned: boolean } | null;
    };
    if (status.import?.phase === 'done' && status.sync?.importGate === 'clear' && status.sync.provisioned) break;
    await sleep(500);
  }
  console.log(`import + sync provisioning: ${((Date.now() - importStart) / 1000).toFixed(1)} s`);

  // Phase 1: steady mutations; each is an order update whose version we wait for in ShopiMind.
  const orderIds = Array.from({ length: 2_000 }, (_, i) => 100_000 + i);
  const waiting = new Map<string, { version: number; at: number }[]>();
  const latencies: number[] = [];
  let stop = false;
  let deadline = Number.POSITIVE_INFINITY;
  const watcher = (async () => {
    while (!stop || waiting.size > 0) {
      const now = Date.now();
      for (const order of shopimind.state.entities('orders')) {
        const key = String(order.order_id);
        const list = waiting.get(key);
        if (!list) continue;
        const written = Date.parse(String(order.updated_at));
        const left = list.filter((w) => {
          if (written < w.version) return true;
          latencies.push(now - w.at);
          return false;
        });
        if (left.length === 0) waiting.delete(key);
        else waiting.set(key, left);
      }
      await sleep(10);
      if (stop && Date.now() > deadline) break;
    }
  })();
  const total = rate * seconds;
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    const id = orderIds[(i * 7919) % orderIds.length] as number;
    const result = shopkit.store.update('orders', id, { note: `bench ${i}` }, { events: ['order_updated'] });
    const version = Date.parse(String(result?.entity.update_at));
    const list = waiting.get(String(id)) ?? [];
    list.push({ version, at: Date.now() });
    waiting.set(String(id), list);
  }
  const sentFor = (Date.now() - started) / 1000;
  console.log(`sent ${total} mutations in ${sentFor.toFixed(1)} s; waiting for deliveries and writes`);
  await shopkit.webhooks.idle();
  const refused = shopkit.webhooks.deliveries().filter((d) => !d.ok).length;
  stop = true;
  deadline = Date.now() + 30_000;
  await watcher;
  latencies.sort((a, b) => a - b);
  const sync = await client.workflow.getHandle(storeSyncWorkflowId(STORE)).query(syncStatusQuery);
  console.log(
    `latency: ${latencies.length}/${total} events observed over ${sentFor.toFixed(1)} s ` +
      `(${(total / sentFor).toFixed(1)} events/s); p50 ${percentile(latencies, 50)} ms, ` +
      `p95 ${percentile(latencies, 95)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms; ` +
      `flushes ${sync.counters.flushes}, ShopiMind requests ${shopimind.kit.stats().requests}, ` +
      `refused deliveries ${refused}, workflow run ${sync.run}`,
  );

  // Phase 2: the gateway alone, 4,000 signed webhooks, 64 in flight.
  const body = JSON.stringify({ product: { id: 20_001 } });
  const headers = {
    'content-type': 'application/json',
    'x-shopkit-event': 'product_updated',
    'x-webhook-signature': signShopkitBody(body, SECRET),
  };
  let next = 0;
  let accepted = 0;
  const burst = 4_000;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < burst) {
        next += 1;
        const response = await request(`${base}/webhooks/shopkit/${STORE}`, { method: 'POST', body, headers });
        await response.body.dump();
        if (response.statusCode === 200) accepted += 1;
      }
    }),
  );
  const burstS = (Date.now() - t0) / 1000;
  console.log(
    `gateway: ${accepted}/${burst} accepted in ${burstS.toFixed(2)} s = ${(accepted / burstS).toFixed(0)} requests/s`,
  );

  await gateway.close();
  await client.workflow.getHandle(storeSyncWorkflowId(STORE)).terminate('bench over');
  worker.shutdown();
  await running;
  await client.connection.close();
  await nativeConnection.close();
  await shopkit.close();
  await shopimind.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
