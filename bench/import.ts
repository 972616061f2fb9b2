/**
 * Initial-import benchmarks, on a real Temporal dev server and the simulators (see bench/RESULTS.md):
 *
 *   npx tsx bench/import.ts bound [orders=10000] [shopkitRps=5]   wall time against the quota bound
 *   npx tsx bench/import.ts throughput [orders=5000]              quotas off, against a plain loop
 *   npx tsx bench/import.ts rss [orders=5000]                     peak RSS of a separate worker process
 *
 * `--codec on|off|both` (default on) runs `bound` and `throughput` with the encrypting payload codec, without
 * it, or both in turn (off first) to measure its cost. Each run prints one JSON line with its figures.
 * `rss` needs `npm run build` first (it runs dist/) and always runs with the codec.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createImportActivities } from '../src/activities/import/import-activities';
import { StoreClientFactory } from '../src/activities/store-clients';
import { loadConfig } from '../src/config';
import { sandboxStoreEnv } from '../src/sandbox/sandbox-env';
import { startShopimindSimulator } from '../src/sandbox/shopimind-simulator';
import { startShopkitSimulator } from '../src/sandbox/shopkit-simulator';
import { startDevServer } from '../src/temporal/dev-server';
import { generatePayloadKey } from '../src/temporal/payload-codec';
import { connectClient, connectWorkerConnection } from '../src/temporal/temporal-client';
import { createWorker } from '../src/worker';
import { IMPORT_STAGES, importWorkflowId, VOUCHER_BATCH, type ImportProgress, type PageInput } from '../src/contracts';
import { initialImportWorkflow } from '../src/workflows';

type Sizes = { products: number; clients: number; orders: number };
const sizesFor = (orders: number): Sizes => ({
  orders,
  products: Math.max(20, Math.round(orders / 10)),
  clients: Math.max(30, Math.round(orders / 3)),
});
const UNLIMITED = 1_000_000;
const PAYLOAD_KEY = generatePayloadKey();

async function sandbox(sizes: Sizes, shopkitRps: number, shopimindRps: number) {
  const shopkit = await startShopkitSimulator({ sizes, quota: { requests: shopkitRps, windowMs: 1_000 } });
  const shopimind = await startShopimindSimulator({ quota: { requests: shopimindRps, windowMs: 1_000 } });
  const env = sandboxStoreEnv({
    storeId: 'bench-store',
    shopkit,
    shopimind,
    shopkitPerSecond: shopkitRps,
    shopimindPerSecond: shopimindRps,
  });
  env.TEMPORAL_PAYLOAD_KEY = PAYLOAD_KEY;
  return { shopkit, shopimind, env, close: () => Promise.all([shopkit.close(), shopimind.close()]) };
}

async function temporal(plaintext = false) {
  const server = await startDevServer({
    dbFile: join(mkdtempSync(join(tmpdir(), 'bench-')), 'db.sqlite'),
    uiPort: false,
  });
  const client = await connectClient({
    address: server.address,
    namespace: server.namespace,
    payloadKey: PAYLOAD_KEY,
    plaintext,
  });
  return {
    server,
    client,
    close: async () => (await client.connection.close(), await server.stop()),
  };
}

/**
 * Runs one import with an in-process worker; returns its progress, wall time and history size. The import
 * starts on its own, not through `startStoreImport`: the store's sync that would start beside it provisions
 * and reconciles, Shopkit calls that are not the import's and would count against its bound.
 */
async function importWithWorker(sizes: Sizes, shopkitRps: number, shopimindRps: number, plaintext: boolean) {
  const t = await temporal(plaintext);
  const box = await sandbox(sizes, shopkitRps, shopimindRps);
  const config = loadConfig({ ...box.env, TEMPORAL_ADDRESS: t.server.address, TEMPORAL_TASK_QUEUE: 'bench' });
  const worker = await createWorker({
    config,
    connection: await connectWorkerConnection(config.temporal),
    plaintext,
  });
  try {
    return await worker.runUntil(async () => {
      const started = Date.now();
      const handle = await t.client.workflow.start(initialImportWorkflow, {
        taskQueue: 'bench',
        workflowId: importWorkflowId('bench-store'),
        args: [{ storeId: 'bench-store' }],
      });
      const progress = await handle.result();
      const wallMs = Date.now() - started;
      let events = 0;
      for (let runId: string | null | undefined = handle.firstExecutionRunId; runId;) {
        const history = await t.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
        events += history.events?.length ?? 0;
        runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      }
      return { progress, wallMs, events, shopkitRequests: box.shopkit.kit.stats().requests, box };
    });
  } finally {
    await box.close();
    await t.close();
  }
}

function pagesOf(progress: ImportProgress): number {
  return Object.values(progress.resources).reduce((sum, r) => sum + (r?.pagesDone ?? 0), 0);
}

function itemsOf(progress: ImportProgress): number {
  return Object.values(progress.resources).reduce((sum, r) => sum + (r?.sent ?? 0), 0);
}

/** Wall time of an import against the physical bound: every Shopkit request at exactly the quota. */
async function bound(orders: number, shopkitRps: number, plaintext: boolean) {
  const { progress, wallMs, shopkitRequests, events } = await importWithWorker(
    sizesFor(orders),
    shopkitRps,
    1000,
    plaintext,
  );
  const boundMs = (shopkitRequests / shopkitRps) * 1000;
  return {
    bench: 'bound',
    codec: !plaintext,
    orders,
    shopkitRps,
    shopkitRequests,
    pages: pagesOf(progress),
    wallSeconds: wallMs / 1000,
    boundSeconds: boundMs / 1000,
    speedVsBound: Number((boundMs / wallMs).toFixed(3)),
    historyEvents: events,
    eventsPerPage: Number((events / pagesOf(progress)).toFixed(1)),
    rejected: progress.rejectedTotal,
  };
}

/**
 * Quotas off: the workflow-orchestrated import against a plain loop that makes the same reads, mapping
 * and writes with the same activity code, in one process, without Temporal.
 */
async function throughput(orders: number, plaintext: boolean) {
  const sizes = sizesFor(orders);
  const imported = await importWithWorker(sizes, UNLIMITED, UNLIMITED, plaintext);
  const box = await sandbox(sizes, UNLIMITED, UNLIMITED);
  try {
    const config = loadConfig(box.env);
    const activities = createImportActivities(new StoreClientFactory(config.stores));
    // Activities read their heartbeat context; the mock environment provides one without a server.
    const env = new MockActivityEnvironment();
    const run = <A, R>(activity: (input: A) => Promise<R>, input: A) =>
      env.run<[A], R, typeof activity>(activity, input);
    const plainStarted = Date.now();
    const provision = await run(activities.provisionStore, { storeId: 'bench-store', dryRun: false });
    const mapping = {
      dataSourceId: provision.dataSourceId,
      seedTimestamp: new Date().toISOString(),
      storeCurrency: provision.storeCurrency,
      storeUrl: provision.storeUrl,
      taxesIncluded: provision.taxesIncluded,
      customDataDefinitionId: provision.customDataDefinitionId,
      catalogDefinitionId: provision.catalogDefinitionId,
    };
    let items = 0;
    const codes: string[] = [];
    for (const stage of IMPORT_STAGES) {
      for (const resource of stage.resources) {
        for (let page = 1; ; page++) {
          const input: PageInput = {
            storeId: 'bench-store',
            resource,
            page,
            mapping,
            dryRun: false,
            shopkitIntervalMs: 0,
            notBefore: 0,
            codes: resource === 'vouchers' ? codes.slice((page - 1) * VOUCHER_BATCH, page * VOUCHER_BATCH) : undefined,
          };
          const result = await run(activities.importPage, input);
          items += Object.values(result.sent).reduce((a, b) => a + b, 0);
          codes.push(...result.couponCodes.filter((code) => !codes.includes(code)));
          const lastVoucherBatch = resource === 'vouchers' && page * VOUCHER_BATCH >= codes.length;
          if (result.done || lastVoucherBatch) break;
        }
      }
    }
    const plainMs = Date.now() - plainStarted;
    const workflowItems = itemsOf(imported.progress);
    return {
      bench: 'throughput',
      codec: !plaintext,
      orders,
      workflow: {
        seconds: imported.wallMs / 1000,
        itemsPerSecond: Math.round(workflowItems / (imported.wallMs / 1000)),
      },
      plainLoop: { seconds: plainMs / 1000, itemsPerSecond: Math.round(items / (plainMs / 1000)) },
      ratio: Number((workflowItems / imported.wallMs / (items / plainMs)).toFixed(3)),
    };
  } finally {
    await box.close();
  }
}

/** Peak RSS (VmHWM) of a worker process running a whole import, quotas off. */
async function rss(orders: number) {
  const t = await temporal();
  const box = await sandbox(sizesFor(orders), UNLIMITED, UNLIMITED);
  // WORKER_NODE_OPTIONS (e.g. --max-old-space-size=256) bounds the worker's heap to tell live memory from GC slack.
  const nodeOptions = (process.env.WORKER_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const worker = spawn(
    process.execPath,
    [...nodeOptions, resolve(__dirname, '..', 'dist', 'cli', 'main.js'), 'worker'],
    {
      env: {
        ...process.env,
        ...box.env,
        TEMPORAL_ADDRESS: t.server.address,
        TEMPORAL_TASK_QUEUE: 'bench-rss',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    },
  );
  try {
    const started = Date.now();
    const progress = await t.client.workflow.execute(initialImportWorkflow, {
      taskQueue: 'bench-rss',
      workflowId: importWorkflowId('bench-store'),
      args: [{ storeId: 'bench-store' }],
    });
    const status = readFileSync(`/proc/${worker.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return {
      bench: 'rss',
      orders,
      seconds: (Date.now() - started) / 1000,
      pages: pagesOf(progress),
      peakRssMb: Math.round(kb('VmHWM') / 1024),
      rssAtEndMb: Math.round(kb('VmRSS') / 1024),
    };
  } finally {
    worker.kill('SIGKILL');
    await box.close();
    await t.close();
  }
}

/** `--codec on|off|both`: which runs of a figure to make, as `plaintext` flags (off first). */
function codecRuns(args: string[]): boolean[] {
  const at = args.indexOf('--codec');
  const value = at === -1 ? 'on' : args.splice(at, 2)[1];
  const runs: Record<string, boolean[]> = { on: [false], off: [true], both: [true, false] };
  const chosen = runs[value ?? ''];
  if (!chosen) throw new Error('--codec takes on, off or both');
  return chosen;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const args = process.argv.slice(2);
  const runs = codecRuns(args);
  const [kind, a, b] = args;
  for (const plaintext of kind === 'rss' ? [false] : runs) {
    const result =
      kind === 'bound'
        ? await bound(Number(a ?? 10_000), Number(b ?? 5), plaintext)
        : kind === 'throughput'
          ? await throughput(Number(a ?? 5_000), plaintext)
          : kind === 'rss'
            ? await rss(Number(a ?? 5_000))
            : undefined;
    if (!result)
      throw new Error('usage: bench/import.ts bound|throughput|rss [orders] [shopkitRps] [--codec on|off|both]');
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
