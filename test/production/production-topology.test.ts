import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { entitiesOf } from '../../src/sandbox/expected-state';
import { writeSandboxStoresFile } from '../../src/sandbox/sandbox-stores-file';
import { startShopimindSimulator, type ShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import {
  compressedShopkitQuota,
  startShopkitSimulator,
  type ShopkitSimulator,
} from '../../src/sandbox/shopkit-simulator';
import type { SimulatorStats } from '../../src/sandbox/simulator-kit';
import type { ShopkitStoreSizes } from '../../src/sandbox/store-generator';
import { freePort } from '../../src/temporal/free-port';
import { startProductionServer, type ProductionServer } from '../../src/temporal/production-server';
import { connectClient } from '../../src/temporal/temporal-client';
import { importWorkflowId, type ImportProgress } from '../../src/contracts';
import { minimalShopkitReads } from '../support/import-assertions';
import { terminateStoreWorkflows } from '../support/store-workflows';
import { waitForWorker, type SpawnedProcess } from '../support/processes';
import {
  COMPRESSED_SYNC_ENV,
  READS_LOST_PER_CRASH,
  shopkitReads,
  clientReads,
  converge,
  danglingLines,
  loopbackGatewayEnv,
  mutateStore,
  pagesDone,
  postAdmin,
  startGateway,
  waitForPages,
  workerPool,
} from '../support/sync-scenario';
import { testTemporalSettings } from '../support/temporal';

jest.setTimeout(600_000);

/**
 * The production topology on this machine: the Temporal server on PostgreSQL, three worker processes, a
 * gateway, three stores. The first store is small: it syncs webhooks while the two others still import.
 * Mid-run a worker is killed with SIGKILL, the Temporal server restarts, then PostgreSQL restarts.
 */
const ADMIN = 'admin-token-for-the-production-topology';
const SHOPKIT_PER_SECOND = 3;
const WORKERS = 3;
/** Disruptions that may each cost a store the pages it had in flight: worker kill, Temporal, PostgreSQL. */
const DISRUPTIONS = 3;
const SIZES: ShopkitStoreSizes[] = [
  { products: 30, clients: 80, orders: 300 },
  { products: 60, clients: 200, orders: 1_500 },
  { products: 60, clients: 200, orders: 1_500 },
];

interface StoreRun {
  storeId: string;
  shopkit: ShopkitSimulator;
  shopimind: ShopimindSimulator;
  progress?: ImportProgress;
  /** Shopkit requests before the import (webhook registration). */
  readsBefore?: number;
  importReads?: number;
  importClientReads?: number;
  /** 429s per route after the webhook registration (before the import) and after the import. */
  rateLimited: { registered?: Counts; imported?: Counts };
}

describe('Temporal server on PostgreSQL, three workers, three stores', () => {
  const dir = mkdtempSync(join(tmpdir(), 'production-topology-'));
  // PostgreSQL runs as its own user, which must traverse this directory.
  chmodSync(dir, 0o711);
  let server: ProductionServer | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends every store exact through a worker SIGKILL, a Temporal restart and a PostgreSQL restart', async () => {
    server = await startProductionServer({ dir });
    const postgres = server.localPostgres;
    if (!postgres) throw new Error('expected a local PostgreSQL cluster');
    const client = await connectClient(testTemporalSettings(server.address));
    const stores = await Promise.all(SIZES.map((sizes, index) => startStore(sizes, index)));
    const port = await freePort();
    const storesFile = join(dir, 'stores.json');
    writeSandboxStoresFile(
      storesFile,
      stores.map((store) => ({ ...store, shopkitPerSecond: SHOPKIT_PER_SECOND, shopimindPerSecond: 1000 })),
    );
    const taskQueue = `production-topology-${process.pid}`;
    const env = {
      STORES_FILE: storesFile,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SHUTDOWN_GRACE_MS: '2000',
      ...loopbackGatewayEnv(port, ADMIN),
      ...COMPRESSED_SYNC_ENV,
    };
    const { processes, workers, start: startWorker } = workerPool(env);
    let activity: Promise<void> | undefined;
    let activityOn = true;
    try {
      for (let i = 0; i < WORKERS; i++) startWorker();
      await waitForWorker(client, taskQueue);
      processes.push(await startGateway(port, env));
      for (const store of stores) await postAdmin(port, `/stores/${store.storeId}/webhooks`, ADMIN);
      for (const store of stores) {
        store.readsBefore = shopkitReads(store.shopkit.kit.stats());
        store.rateLimited.registered = rateLimitedCounts(store);
      }
      for (const store of stores) await postAdmin(port, `/stores/${store.storeId}/import`, ADMIN);
      const imports = stores.map((store) => awaitImport(client, store));
      // Awaited below; a failure before then must not surface as an unhandled rejection as well.
      for (const pending of imports) pending.catch(() => undefined);

      // The small store finishes first and syncs a steady stream of changes while the others import.
      const [small, ...large] = stores as [StoreRun, StoreRun, StoreRun];
      await imports[0];
      mutateStore(small.shopkit);
      activity = (async () => {
        const orders = entitiesOf(small.shopkit.store, 'orders');
        for (let i = 0; activityOn; i++) {
          small.shopkit.store.update('orders', Number(orders[(i * 7) % orders.length]?.id), { note: `change ${i}` });
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      })();

      // The three disruptions back to back once both large stores have done this many pages (of about 50
      // each): a worker killed, then the Temporal server restarted, then PostgreSQL. Spaced by progress
      // instead, one import could end before the last one (a client reconnecting after the restart sees
      // nothing while the workers go on).
      const disruptions = { kill: 0, temporal: 0, postgres: 0 };
      await Promise.all(large.map((store) => waitForPages(client, store.storeId, 5)));
      const victim = workers.shift() as SpawnedProcess;
      disruptions.kill = Date.now();
      expect(await victim.stop('SIGKILL')).toBeNull();
      startWorker();
      disruptions.temporal = Date.now();
      await server.restart();
      disruptions.postgres = Date.now();
      await postgres.restart();

      await Promise.all(imports);
      // Each disruption came while both large imports ran: they closed after the last one.
      const closedAt = await Promise.all(
        large.map(
          async (store) => (await client.workflow.getHandle(importWorkflowId(store.storeId)).describe()).closeTime,
        ),
      );
      expect(closedAt.map((at) => (at?.getTime() ?? 0) > disruptions.postgres)).toEqual([true, true]);
      for (const store of large) mutateStore(store.shopkit);
      activityOn = false;
      await activity;
      await Promise.all(stores.map((store) => store.shopkit.webhooks.idle()));

      const outcomes = [];
      for (const store of stores) {
        const progress = store.progress as ImportProgress;
        const { differences } = await converge(client, store.storeId, store.shopkit, store.shopimind, progress);
        const guests = store.shopkit.generator.guestBuyers;
        const minimal = minimalShopkitReads(progress, guests);
        // Beyond the pages in flight, a buyer without a client record may be searched once more by each other
        // worker and after each disruption, until its row is in ShopiMind.
        const extra = guests * (WORKERS - 1 + DISRUPTIONS) + DISRUPTIONS * READS_LOST_PER_CRASH;
        const reads = store.importReads as number;
        const limited = {
          registration: added(store.rateLimited.registered, {}),
          import: added(store.rateLimited.imported, store.rateLimited.registered),
          sync: added(rateLimitedCounts(store), store.rateLimited.imported),
        };
        process.stdout.write(
          `${store.storeId}: import ${reads}/${minimal} Shopkit reads, ${pagesDone(progress)} pages\n`,
        );
        const refusal = store.shopkit.kit.stats().firstRefusal;
        // What a 429 needs to be explained: the calls that filled the window, beside the disruptions.
        if (refusal) process.stdout.write(`${store.storeId}: ${describeRefusal(refusal, disruptions)}\n`);
        outcomes.push({
          storeId: store.storeId,
          phase: progress.phase,
          rejected: progress.rejectedTotal,
          differences,
          dangling: danglingLines(store.shopimind),
          // Buyers are found in ShopiMind, never read from Shopkit one by one.
          importClientReads: store.importClientReads,
          readsWithinBound: reads >= minimal && reads <= minimal + extra,
          // Every process calling one store's APIs keeps within its quotas, through every disruption.
          rateLimited: limited,
        });
      }
      expect(outcomes).toEqual(
        stores.map((store) => ({
          storeId: store.storeId,
          phase: 'done',
          rejected: 0,
          differences: [],
          dangling: [],
          importClientReads: 0,
          readsWithinBound: true,
          rateLimited: { registration: [], import: [], sync: [] },
        })),
      );
    } finally {
      activityOn = false;
      await activity;
      for (const store of stores) await terminateStoreWorkflows(client, store.storeId);
      await Promise.all(processes.map((proc) => proc.stop('SIGKILL')));
      await Promise.all(stores.flatMap((store) => [store.shopkit.close(), store.shopimind.close()]));
      await client.connection.close();
    }
  });
});

async function startStore(sizes: ShopkitStoreSizes, index: number): Promise<StoreRun> {
  const shopkit = await startShopkitSimulator({
    seed: 11 + index,
    sizes,
    quota: compressedShopkitQuota(SHOPKIT_PER_SECOND),
    // Shopkit redelivers hourly; compressed here, with room for the Temporal server's restart.
    webhooks: { retries: 100, retryIntervalMs: 300, timeoutMs: 5_000 },
  });
  const shopimind = await startShopimindSimulator({ quota: { requests: 1000, windowMs: 1_000 } });
  return { storeId: `store-topology-${index}-${Date.now()}`, shopkit, shopimind, rateLimited: {} };
}

/** Awaits the store's import and records its Shopkit reads before any sync read can add to them. */
async function awaitImport(client: Client, store: StoreRun): Promise<void> {
  store.progress = await client.workflow.getHandle(importWorkflowId(store.storeId)).result();
  const stats = store.shopkit.kit.stats();
  store.importReads = shopkitReads(stats) - (store.readsBefore ?? 0);
  store.importClientReads = clientReads(stats);
  store.rateLimited.imported = rateLimitedCounts(store);
}

type Counts = Record<string, number>;

/** A refused call, with the window's admitted calls and the disruptions as ms before it. */
function describeRefusal(
  refusal: NonNullable<SimulatorStats['firstRefusal']>,
  disruptions: Record<string, number>,
): string {
  const before = (at: number) => refusal.at - at;
  const marks = Object.entries(disruptions).map(([name, at]) => `${name} ${before(at)}`);
  return `429 on ${refusal.route}; window calls ms before it: ${refusal.window.map(before).join(' ')}; disruptions ms before it: ${marks.join(', ')}`;
}

/** 429 answers per route of both simulators. */
function rateLimitedCounts(store: StoreRun): Counts {
  return Object.fromEntries(
    [store.shopkit, store.shopimind].flatMap((simulator) =>
      Object.entries(simulator.kit.stats().routes).map(([route, counters]) => [route, counters.rateLimited]),
    ),
  );
}

/** The routes whose count grew since `before`, as `route: growth`. */
function added(now: Counts = {}, before: Counts = {}): string[] {
  return Object.entries(now)
    .filter(([route, count]) => count > (before[route] ?? 0))
    .map(([route, count]) => `${route}: ${count - (before[route] ?? 0)}`);
}
