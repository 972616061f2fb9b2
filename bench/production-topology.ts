/**
 * Many stores on several worker processes, on the Temporal server on PostgreSQL and, in the same run, on
 * the dev server (see bench/RESULTS.md):
 *
 *   npx tsx bench/production-topology.ts [--part import|latency|both] [--topology postgres|dev|both]
 *     [--stores 10] [--orders 3000] [--rps 5] [--latency-stores 100] [--rate 200] [--seconds 60]
 *
 * import: `--stores` stores of `--orders` orders import at once on 3 worker processes, each at its own
 * scaled Shopkit quota of `--rps` requests/s; each store's wall time (start → result) against its bound
 * (its Shopkit requests at exactly its quota). latency: `--latency-stores` small stores at the documented
 * quotas, imported first, then `--rate` order updates per second in total, spread over the stores, for
 * `--seconds`: Shopkit mutation → signed webhook → gateway process → store-sync workflow → ShopiMind write.
 * Each part prints one JSON line per topology.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { request } from 'undici';
import { parse } from 'yaml';
import { entitiesOf } from '../src/sandbox/expected-state';
import { cpuBetween, cpuSnapshot, type RoleOf } from './cpu-usage';
import { writeSandboxStoresFile } from '../src/sandbox/sandbox-stores-file';
import { startShopimindSimulator, type ShopimindSimulator } from '../src/sandbox/shopimind-simulator';
import { compressedShopkitQuota, startShopkitSimulator, type ShopkitSimulator } from '../src/sandbox/shopkit-simulator';
import type { ShopkitStoreSizes } from '../src/sandbox/store-generator';
import { startDevServer } from '../src/temporal/dev-server';
import { freePort } from '../src/temporal/free-port';
import { generatePayloadKey } from '../src/temporal/payload-codec';
import { startProductionServer } from '../src/temporal/production-server';
import { connectClient } from '../src/temporal/temporal-client';
import { importWorkflowId } from '../src/contracts';
import { initialImportWorkflow } from '../src/workflows';
import { spawnCli, waitForWorker, type SpawnedProcess } from '../test/support/processes';
import { loopbackGatewayEnv } from '../test/support/sync-scenario';

const { values: opts } = parseArgs({
  options: {
    part: { type: 'string', default: 'both' },
    topology: { type: 'string', default: 'both' },
    stores: { type: 'string', default: '10' },
    orders: { type: 'string', default: '3000' },
    rps: { type: 'string', default: '5' },
    'latency-stores': { type: 'string', default: '100' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
  },
});
const WORKERS = 3;
const root = join(__dirname, '..');
/**
 * The processes run as the container image runs them: `npm run build`'s output (its workflow bundle
 * included), the workers with docker-compose's heap settings.
 */
execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const WORKER_ENV = {
  NODE_OPTIONS: String(composeService('worker').environment?.NODE_OPTIONS ?? ''),
  WORKFLOW_BUNDLE: join(root, 'dist', 'workflow-bundle.js'),
};
/** How long, after the last mutation, the latency part waits for ShopiMind to show the rest. */
const DRAIN_MS = 60_000;
const ADMIN = 'bench-admin-token-0123456789';
const PAYLOAD_KEY = generatePayloadKey();
function composeService(name: string): { environment?: Record<string, string | number> } {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string | number> }>;
  };
  const service = compose.services[name];
  if (!service) throw new Error(`docker-compose.yml has no ${name} service`);
  return service;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
const median = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

type Topology = 'postgres' | 'dev';

/** Roles whose CPU is not the deployment's: the simulators stand for Shopkit and ShopiMind. */
const SIMULATORS = 'benchmark and simulators';
const OTHER = 'other processes';
/** Which part of the deployment a process is, for the CPU accounting of a run. */
function deploymentRoles(workers: SpawnedProcess[], gateway?: SpawnedProcess): RoleOf {
  const workerPids = new Set(workers.map((worker) => worker.child.pid));
  return (pid, command) => {
    if (workerPids.has(pid)) return 'workers';
    if (pid === gateway?.child.pid) return 'gateway';
    if (pid === process.pid) return SIMULATORS;
    if (command === 'postgres') return 'postgresql';
    if (command === 'temporal-server' || command === 'temporal') return 'temporal server';
    return OTHER;
  };
}

interface BenchStore {
  storeId: string;
  shopkit: ShopkitSimulator;
  shopimind: ShopimindSimulator;
}

/** A Temporal server of the topology, 3 worker processes and a gateway process serving `stores`. */
async function deployment(
  topology: Topology,
  stores: BenchStore[],
  shopkitPerSecond: number,
  shopimindPerSecond: number,
) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${topology}-`));
  chmodSync(dir, 0o711); // the PostgreSQL user traverses it
  const server =
    topology === 'postgres'
      ? await startProductionServer({ dir })
      : await startDevServer({ dbFile: join(dir, 'temporal.sqlite'), uiPort: false });
  const settings = { address: server.address, namespace: server.namespace, payloadKey: PAYLOAD_KEY };
  const client = await connectClient(settings);
  const storesFile = join(dir, 'stores.json');
  writeSandboxStoresFile(
    storesFile,
    stores.map((store) => ({ ...store, shopkitPerSecond, shopimindPerSecond })),
  );
  const port = await freePort();
  const env = {
    STORES_FILE: storesFile,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_PAYLOAD_KEY: PAYLOAD_KEY,
    TEMPORAL_TASK_QUEUE: 'bench-topology',
    ...loopbackGatewayEnv(port, ADMIN),
    SYNC_ORDERS_RECONCILE_MS: '0',
    SYNC_SCAN_INTERVAL_MS: '0',
  };
  const workers = Array.from({ length: WORKERS }, () =>
    spawnCli(['worker'], { ...env, ...WORKER_ENV }, { built: true }),
  );
  const processes: SpawnedProcess[] = [...workers];
  const close = async () => {
    await Promise.all(processes.map((proc) => proc.stop()));
    await client.connection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Every worker started: the runs measure the deployment, not its processes loading.
    await waitForWorker(client, env.TEMPORAL_TASK_QUEUE, 60_000, WORKERS);
  } catch (err) {
    // A deployment left running would take the CPU of every later run.
    await close();
    throw err;
  }
  return { client, env, port, workers, processes, close };
}

async function startStores(
  count: number,
  sizes: ShopkitStoreSizes,
  shopkitPerSecond: number,
  shopimindPerSecond: number,
) {
  return Promise.all(
    Array.from({ length: count }, async (_, index): Promise<BenchStore> => {
      const shopkit = await startShopkitSimulator({
        seed: index + 1,
        sizes,
        quota: compressedShopkitQuota(shopkitPerSecond),
        // A refused delivery comes back after 1 s instead of Shopkit's hour, so the run can end.
        webhooks: { retryIntervalMs: 1_000 },
      });
      const shopimind = await startShopimindSimulator({ quota: { requests: shopimindPerSecond, windowMs: 1_000 } });
      return { storeId: `bench-${index}`, shopkit, shopimind };
    }),
  );
}

/** 429 answers of every simulator, per API and route (`shopkit GET /v1/order`), the non-zero ones. */
function rateLimitedByRoute(stores: BenchStore[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const store of stores) {
    for (const [api, simulator] of [
      ['shopkit', store.shopkit],
      ['shopimind', store.shopimind],
    ] as const) {
      for (const [route, counters] of Object.entries(simulator.kit.stats().routes)) {
        if (counters.rateLimited > 0)
          counts[`${api} ${route}`] = (counts[`${api} ${route}`] ?? 0) + counters.rateLimited;
      }
    }
  }
  return counts;
}

const totalRateLimited = (stores: BenchStore[]) =>
  Object.values(rateLimitedByRoute(stores)).reduce((sum, count) => sum + count, 0);

const closeStores = (stores: BenchStore[]) =>
  Promise.all(stores.flatMap((store) => [store.shopkit.close(), store.shopimind.close()]));

/** Every store imports at once; each one's wall time against its own quota bound. */
async function importBench(topology: Topology) {
  const rps = Number(opts.rps);
  const orders = Number(opts.orders);
  const sizes = { orders, products: Math.round(orders / 10), clients: Math.round(orders / 3) };
  const stores = await startStores(Number(opts.stores), sizes, rps, 1000);
  const deployed = await deployment(topology, stores, rps, 1000);
  try {
    const roles = deploymentRoles(deployed.workers);
    const cpuBefore = cpuSnapshot(roles);
    const started = Date.now();
    const runs = await Promise.all(stores.map((store) => timedImport(deployed.client, store, 'bench-topology', rps)));
    const cpu = cpuBetween(cpuBefore, cpuSnapshot(roles), {
      seconds: (Date.now() - started) / 1000,
      units: stores.reduce((sum, store) => sum + store.shopkit.kit.stats().requests, 0),
      outside: [SIMULATORS, OTHER],
    });
    const speeds = runs.map((run) => run.speedVsBound).sort((a, b) => a - b);
    return {
      bench: 'import',
      topology,
      stores: stores.length,
      workers: WORKERS,
      orders,
      shopkitRps: rps,
      speedVsBound: { min: speeds[0], median: quantile(speeds, 0.5), max: speeds.at(-1) },
      storesAtGoal: speeds.filter((speed) => speed >= 0.97).length,
      rateLimited: rateLimitedByRoute(stores),
      rejected: runs.reduce((sum, run) => sum + run.rejected, 0),
      // The import's last run (a hand-over to a new run would restart the count).
      historyEventsPerStore: median(runs.map((run) => run.historyEvents)),
      activitiesPerStore: median(runs.map((run) => run.activities)),
      perStore: runs.map((run) => `${run.wallSeconds}s/${run.boundSeconds}s`),
      // Per Shopkit page read, its mapping and its ShopiMind writes, in Temporal's processes and the workers.
      cpu: { unit: 'Shopkit page', ...cpu },
    };
  } finally {
    await deployed.close();
    await closeStores(stores);
  }
}

/** Started without the store's sync (unlike `startStoreImport`): the sync's Shopkit calls would count in the bound. */
async function timedImport(client: Client, store: BenchStore, taskQueue: string, rps: number) {
  const started = Date.now();
  const progress = await client.workflow.execute(initialImportWorkflow, {
    taskQueue,
    workflowId: importWorkflowId(store.storeId),
    args: [{ storeId: store.storeId }],
  });
  const wallMs = Date.now() - started;
  const boundMs = (store.shopkit.kit.stats().requests / rps) * 1000;
  const history = await client.workflow.getHandle(importWorkflowId(store.storeId)).fetchHistory();
  const events = history.events ?? [];
  return {
    wallSeconds: Number((wallMs / 1000).toFixed(1)),
    boundSeconds: Number((boundMs / 1000).toFixed(1)),
    speedVsBound: Number((boundMs / wallMs).toFixed(3)),
    rejected: progress.rejectedTotal,
    historyEvents: events.length,
    activities: events.filter((event) => event.activityTaskScheduledEventAttributes).length,
  };
}

/** Small stores at the documented quotas: imported, then order updates spread over all of them. */
async function latencyBench(topology: Topology) {
  // Shopkit 3,600/h and ShopiMind 600/min, per store.
  const stores = await startStores(Number(opts['latency-stores']), { products: 10, clients: 20, orders: 60 }, 1, 10);
  const deployed = await deployment(topology, stores, 1, 10);
  const gateway = spawnCli(['gateway'], deployed.env, { built: true });
  deployed.processes.push(gateway);
  const base = `http://127.0.0.1:${deployed.port}`;
  // An overloaded gateway answers 503 (Temporal too slow): ask again, as an operator would.
  const admin = async (path: string, method: 'GET' | 'POST' = 'POST'): Promise<Record<string, unknown>> => {
    for (;;) {
      const response = await request(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}` } });
      if (response.statusCode === 200) return response.body.json() as Promise<Record<string, unknown>>;
      await response.body.dump();
      await sleep(1_000);
    }
  };
  try {
    for (let ready = false; !ready; await sleep(200))
      ready = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
    const importStart = Date.now();
    // Registration is not paced by the store's quota: its 429s are counted apart from the sync's.
    await Promise.all(stores.map((store) => admin(`/stores/${store.storeId}/webhooks`)));
    const registrationRateLimited = totalRateLimited(stores);
    await Promise.all(stores.map((store) => admin(`/stores/${store.storeId}/import`)));
    for (const store of stores) {
      for (;;) {
        const status = (await admin(`/stores/${store.storeId}/status`, 'GET')) as {
          import: { phase: string } | null;
          sync: { importGate: string; provisioned: boolean } | null;
        };
        if (status.import?.phase === 'done' && status.sync?.importGate === 'clear' && status.sync.provisioned) break;
        await sleep(500);
      }
    }
    const importSeconds = (Date.now() - importStart) / 1000;

    const orderIds = new Map(
      stores.map((store) => [store, entitiesOf(store.shopkit.store, 'orders').map((o) => Number(o.id))]),
    );
    const rate = Number(opts.rate);
    const total = rate * Number(opts.seconds);
    // Every mutation waits for ShopiMind to hold its version (or a newer one) of the order.
    const waiting = new Map<BenchStore, Map<string, { version: number; at: number }[]>>();
    const latencies: number[] = [];
    let sending = true;
    // A store's orders are looked at again only once its ShopiMind accepted another batch.
    const batchesSeen = new Map<BenchStore, number>();
    const watcher = (async () => {
      for (let deadline = Infinity; (sending || waiting.size > 0) && Date.now() < deadline; await sleep(20)) {
        if (!sending && deadline === Infinity) deadline = Date.now() + DRAIN_MS;
        for (const [store, orders] of waiting) {
          const batches = store.shopimind.state.writes.batches;
          if (batchesSeen.get(store) === batches) continue;
          batchesSeen.set(store, batches);
          const now = Date.now();
          for (const order of store.shopimind.state.entities('orders')) {
            const key = String(order.order_id);
            // Only the orders waited for: the watcher shares the CPU with what it measures.
            const wanted = orders.get(key);
            if (!wanted) continue;
            const written = Date.parse(String(order.updated_at));
            const left = wanted.filter((mutation) => {
              if (written < mutation.version) return true;
              latencies.push(now - mutation.at);
              return false;
            });
            if (left.length > 0) orders.set(key, left);
            else orders.delete(key);
          }
          if (orders.size === 0) waiting.delete(store);
        }
      }
    })();
    const roles = deploymentRoles(deployed.workers, gateway);
    const cpuBefore = cpuSnapshot(roles);
    const started = Date.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      const store = stores[i % stores.length] as BenchStore;
      const orders = orderIds.get(store) as number[];
      const id = orders[Math.floor(i / stores.length) % orders.length] as number;
      const result = store.shopkit.store.update('orders', id, { note: `bench ${i}` }, { events: ['order_updated'] });
      const pending = waiting.get(store) ?? new Map<string, { version: number; at: number }[]>();
      const version = Date.parse(String(result?.entity.update_at));
      pending.set(String(id), [...(pending.get(String(id)) ?? []), { version, at: Date.now() }]);
      waiting.set(store, pending);
    }
    const sentSeconds = (Date.now() - started) / 1000;
    sending = false;
    await watcher;
    const cpu = cpuBetween(cpuBefore, cpuSnapshot(roles), {
      seconds: (Date.now() - started) / 1000,
      units: latencies.length,
      outside: [SIMULATORS, OTHER],
    });
    latencies.sort((a, b) => a - b);
    // What ShopiMind never showed within the drain counts as slower than any observed figure.
    const all = [...latencies, ...Array<number>(total - latencies.length).fill(Infinity)];
    const figure = (q: number) => (Number.isFinite(quantile(all, q)) ? quantile(all, q) : `> drain end`);
    const refused = stores.flatMap((s) => s.shopkit.webhooks.deliveries().filter((d) => !d.ok));
    return {
      bench: 'latency',
      topology,
      stores: stores.length,
      workers: WORKERS,
      importSeconds: Number(importSeconds.toFixed(1)),
      eventsPerSecond: Number((total / sentSeconds).toFixed(1)),
      observed: `${latencies.length}/${total}`,
      p50: figure(0.5),
      p95: figure(0.95),
      p99: figure(0.99),
      maxObserved: latencies.at(-1),
      refusedDeliveries: Object.fromEntries(
        [...new Set(refused.map((d) => String(d.status)))].map((status) => [
          status,
          refused.filter((d) => String(d.status) === status).length,
        ]),
      ),
      rateLimited: { registration: registrationRateLimited, after: totalRateLimited(stores) - registrationRateLimited },
      // From the first mutation to the end of the drain; the cores 100 events/s would keep busy at this cost.
      cpu: { unit: 'event shown', ...cpu, coresPer100PerSecond: Number((cpu.coreMsPerUnit / 10).toFixed(2)) },
    };
  } finally {
    await deployed.close();
    await closeStores(stores);
  }
}

async function main(): Promise<void> {
  console.log(
    `node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), ${new Date().toISOString()}`,
  );
  const topologies: Topology[] = opts.topology === 'both' ? ['postgres', 'dev'] : [opts.topology as Topology];
  const parts = opts.part === 'both' ? ['import', 'latency'] : [opts.part];
  for (const part of parts) {
    for (const topology of topologies) {
      console.log(JSON.stringify(part === 'import' ? await importBench(topology) : await latencyBench(topology)));
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
