import type { Client } from '@temporalio/client';
import { canonical, type ExpectedState } from '../../src/sandbox/expected-state';
import { sandboxStoreEnv } from '../../src/sandbox/sandbox-env';
import { startShopimindSimulator, type ShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import { startShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import { freePort } from '../../src/temporal/free-port';
import { importWorkflowId, type ImportProgress } from '../../src/contracts';
import { minimalShopkitReads } from '../support/import-assertions';
import { spawnCli, waitForWorker, type SpawnedProcess } from '../support/processes';
import {
  clientReads,
  converge,
  currentPages,
  danglingLines,
  IGNORED,
  loopbackGatewayEnv,
  mutateStore,
  READS_LOST_PER_CRASH,
  shopkitReads,
  postAdmin,
  startGateway,
  waitForPages,
} from '../support/sync-scenario';
import { terminateStoreWorkflows } from '../support/store-workflows';
import { connectTemporal, type TemporalTestContext } from '../support/temporal';
import { readTestRuntime } from '../support/test-runtime';

jest.setTimeout(900_000);

/**
 * The same store, imported and then synced through webhooks by one worker, by three, and by one worker
 * killed with SIGKILL three times, must end in the same ShopiMind state, field by field; adding workers
 * costs no Shopkit read, and each kill at most the two pages in flight. The store names inactive options
 * in its orders, and an option is disabled during the sync: no order line may point at a variation
 * ShopiMind does not have.
 */
const SIZES = { products: 60, clients: 200, orders: 1_500 };
const SHOPKIT_PER_SECOND = 15;
const ADMIN = 'admin-token-for-worker-independence';
const seed = Number(process.env.WORKER_TEST_SEED ?? Date.now() % 100_000);

interface Outcome {
  name: string;
  /** ShopiMind's final state: per collection, its items as sorted canonical JSON. */
  state: Record<string, string[]>;
  differences: string[];
  dangling: string[];
  /** Shopkit reads served during the import (429 answers are counted apart). */
  importReads: number;
  importRateLimited: number;
  minimalReads: number;
  importClientReads: number;
  syncReads: number;
}

const outcomes: Outcome[] = [];

afterAll(() => {
  // The figures the issue asks to see, whatever the assertions said.
  const rows = outcomes.map(
    (o) =>
      `${o.name}: import ${o.importReads}/${o.minimalReads} reads (${o.importRateLimited} answered 429), sync ${o.syncReads}`,
  );
  process.stdout.write(`worker independence (seed ${seed}):\n  ${rows.join('\n  ')}\n`);
});

describe('same ShopiMind state whichever worker runs a step', () => {
  let temporal: TemporalTestContext;
  let client: Client;
  beforeAll(async () => {
    temporal = await connectTemporal();
    client = temporal.client;
  });
  afterAll(async () => temporal.close());

  it('1 worker, 3 workers and 1 worker killed three times end identical and exact', async () => {
    const single = await scenario(client, 'one worker', { workers: 1, kills: 0 });
    const three = await scenario(client, 'three workers', { workers: 3, kills: 0 });
    const killed = await scenario(client, 'killed three times', { workers: 1, kills: 3 });

    for (const outcome of [single, three, killed]) {
      expect({ name: outcome.name, differences: outcome.differences, dangling: outcome.dangling }).toEqual({
        name: outcome.name,
        differences: [],
        dangling: [],
      });
      // Buyers are found in ShopiMind (50 a request), never one Shopkit read each.
      expect({ name: outcome.name, clientReads: outcome.importClientReads }).toEqual({
        name: outcome.name,
        clientReads: 0,
      });
    }
    expect(stateDifferences(single, three)).toEqual([]);
    expect(stateDifferences(single, killed)).toEqual([]);
    expect(single.importReads).toBe(single.minimalReads);
    expect(three.importReads).toBe(three.minimalReads);
    expect(killed.importReads).toBeGreaterThanOrEqual(killed.minimalReads);
    expect(killed.importReads).toBeLessThanOrEqual(killed.minimalReads + 3 * READS_LOST_PER_CRASH);
  });
});

async function scenario(client: Client, name: string, plan: { workers: number; kills: number }): Promise<Outcome> {
  const storeId = `store-indep-${plan.workers}-${plan.kills}-${Date.now()}`;
  const taskQueue = `e2e-indep-${process.pid}-${plan.workers}-${plan.kills}`;
  const shopkit = await startShopkitSimulator({
    seed,
    sizes: SIZES,
    quota: { requests: SHOPKIT_PER_SECOND, windowMs: 1_000 },
    webhooks: { retries: 40, retryIntervalMs: 300, timeoutMs: 5_000 },
    // Every scenario's changes carry the same times, a second apart, so their states compare exactly.
    clock: steppingClock(),
  });
  const shopimind = await startShopimindSimulator({ quota: null });
  const port = await freePort();
  const env = {
    ...sandboxStoreEnv({ storeId, shopkit, shopimind, shopkitPerSecond: SHOPKIT_PER_SECOND, shopimindPerSecond: 1000 }),
    TEMPORAL_ADDRESS: readTestRuntime().address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SHUTDOWN_GRACE_MS: '2000',
    ...loopbackGatewayEnv(port, ADMIN),
    // The daily scan, compressed: it repairs the orders that name an option disabled during the sync.
    SYNC_SCAN_INTERVAL_MS: '5000',
    SYNC_ORDERS_RECONCILE_MS: '0',
  };
  const processes: SpawnedProcess[] = [];
  const workers: SpawnedProcess[] = [];
  const startWorker = () => {
    const worker = spawnCli(['worker'], env);
    processes.push(worker);
    workers.push(worker);
  };
  try {
    for (let i = 0; i < plan.workers; i++) startWorker();
    await waitForWorker(client, taskQueue);
    processes.push(await startGateway(port, env));
    await postAdmin(port, `/stores/${storeId}/webhooks`, ADMIN);
    const before = shopkit.kit.stats();
    await postAdmin(port, `/stores/${storeId}/import`, ADMIN);
    const handle = client.workflow.getHandle(importWorkflowId(storeId));

    for (let kill = 0; kill < plan.kills; kill++) {
      await waitForPages(client, storeId, (await currentPages(client, storeId)) + 3 + Math.floor(Math.random() * 10));
      const victim = workers.shift() as SpawnedProcess;
      expect(await victim.stop('SIGKILL')).toBeNull();
      startWorker();
    }
    const progress: ImportProgress = await handle.result();
    const afterImport = shopkit.kit.stats();

    mutateStore(shopkit);
    await shopkit.webhooks.idle();
    const { differences, expected } = await converge(client, storeId, shopkit, shopimind, progress);
    const outcome: Outcome = {
      name,
      state: snapshot(expected, shopimind, progress),
      differences,
      dangling: danglingLines(shopimind),
      importReads: shopkitReads(afterImport) - shopkitReads(before),
      importRateLimited: afterImport.rateLimited - before.rateLimited,
      minimalReads: minimalShopkitReads(progress),
      importClientReads: clientReads(afterImport) - clientReads(before),
      syncReads: shopkitReads(shopkit.kit.stats()) - shopkitReads(afterImport),
    };
    outcomes.push(outcome);
    return outcome;
  } finally {
    await terminateStoreWorkflows(client, storeId);
    await Promise.all(processes.map((proc) => proc.stop('SIGKILL')));
    await shopkit.close();
    await shopimind.close();
  }
}

/** A clock that starts at the same instant in every scenario and moves one second per reading. */
function steppingClock(): () => number {
  let now = Date.parse('2026-11-30T09:00:00Z');
  return () => (now += 1_000);
}

/** ShopiMind's entities for every expected collection, without the ignored fields, in a stable order. */
function snapshot(
  expected: ExpectedState,
  shopimind: ShopimindSimulator,
  progress: ImportProgress,
): Record<string, string[]> {
  const mapping = progress.mapping;
  if (!mapping) return {};
  const sources: Record<string, string> = {
    customerProfiles: `customDataRecords-${String(mapping.customDataDefinitionId)}`,
    catalogIndex: `customDataRecords-${String(mapping.catalogDefinitionId)}`,
  };
  return Object.fromEntries(
    [...expected.keys()].map((collection) => {
      const ignored = [...((IGNORED as Record<string, string[]>)[collection] ?? []), 'id'];
      const items = shopimind.state
        .entities(sources[collection] ?? collection)
        .map((item) => canonical(Object.fromEntries(Object.entries(item).filter(([key]) => !ignored.includes(key)))))
        // Each scenario's ShopiMind is new: its installation time (D36) dates the reference data.
        .map((item) => item.replaceAll(mapping.seedTimestamp, '<installation time>'))
        .sort();
      return [collection, items];
    }),
  );
}

/** Where two final states differ: per collection, a few items only one of them holds. */
function stateDifferences(a: Outcome, b: Outcome): string[] {
  return Object.keys({ ...a.state, ...b.state }).flatMap((collection) => {
    const left = new Set(a.state[collection]);
    const right = new Set(b.state[collection]);
    const onlyLeft = [...left].filter((item) => !right.has(item)).slice(0, 2);
    const onlyRight = [...right].filter((item) => !left.has(item)).slice(0, 2);
    return [
      ...onlyLeft.map((item) => `${collection}: only ${a.name}: ${item}`),
      ...onlyRight.map((item) => `${collection}: only ${b.name}: ${item}`),
    ];
  });
}
