import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import pino from 'pino';
import { loadConfig, SECRET_LOG_PATHS, type AppConfig } from '../../config';
import { diffState, expectedImportState } from '../../sandbox/expected-state';
import { sandboxStoreEnv } from '../../sandbox/sandbox-env';
import { startShopimindSimulator, type ShopimindSimulator } from '../../sandbox/shopimind-simulator';
import { startShopkitSimulator, type ShopkitSimulator } from '../../sandbox/shopkit-simulator';
import { findTemporalCli } from '../../temporal/cli-binary';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { freePort } from '../../temporal/free-port';
import { generatePayloadKey } from '../../temporal/payload-codec';
import { connectClient, connectWorkerConnection, temporalAnswers } from '../../temporal/temporal-client';
import { startStoreImport } from '../../temporal/store-workflow-starts';
import { importWorkflowId, rejectedQuery, storeSyncWorkflowId } from '../../contracts';
import { createWorker, installRuntime } from '../../worker';
import { followImport } from '../import-follow';
import { webUiCodecSteps } from '../web-ui-codec';
import { driveLiveActivity } from './demo-activity';
import { startDemoCodecEndpoint, type DemoCodecEndpoint } from './demo-codec';
import { formatSummary, summaryRows, type DemoSummary } from './demo-summary';

export interface DemoOptions {
  seed: number;
  products: number;
  clients: number;
  orders: number;
  /** Scaled quotas: Shopkit requests per second and ShopiMind requests per second. */
  shopkitPerSecond: number;
  shopimindPerSecond: number;
  /** Seconds of live shop activity after the import (0 skips the incremental-sync part). */
  activitySeconds: number;
  eventsPerSecond: number;
  json: boolean;
  keep: boolean;
  /** Where the demo keeps its Temporal state and logs. */
  dataDir: string;
}

export const DEMO_STORE_ID = 'demo-store';

/**
 * After live activity, the collections the incremental sync keeps equal to the mapping of the store.
 * Customers' `updated_at` follows webhook receipt (D27), so it is left out, and so is an address's
 * `company`: an address block shared by a client profile and an order snapshot (same D3 id) carries
 * the company of whichever was written last. Vouchers (no Shopkit webhook), newsletter rows and profile
 * records (dated by receipt) are reconciled by the daily scan and compared only after an import.
 */
const LIVE_SYNC_COMPARISON = {
  collections: [
    'customersGroups',
    'ordersStatuses',
    'ordersCarriers',
    'productsCategories',
    'productsManufacturers',
    'products',
    'productVariations',
    'productImages',
    'catalogIndex',
    'customers',
    'customerAddresses',
    'orders',
  ],
  ignore: { customers: ['updated_at'], customerAddresses: ['company'] },
};

interface Started {
  server?: DevServer;
  address: string;
  webUi: string | null;
  shopkit: ShopkitSimulator;
  shopimind: ShopimindSimulator;
  worker: Worker;
  workerRun: Promise<void>;
  native: NativeConnection;
  client: Client;
  codec: DemoCodecEndpoint;
  config: AppConfig;
}

/**
 * The whole product on the embedded sandbox: a Temporal dev server (reused when one answers),
 * both simulators with a seeded store, a worker, then the initial import with live bars and a
 * summary that compares ShopiMind with the mapping of the Shopkit store, collection by collection.
 */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  mkdirSync(options.dataDir, { recursive: true });
  const logger = pino(
    { level: 'info', redact: { paths: SECRET_LOG_PATHS, censor: '[redacted]' } },
    pino.destination({ dest: resolve(options.dataDir, 'demo.log'), sync: false }),
  );
  installRuntime(logger);
  const say = (line: string) => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };

  const started = await start(options, say);
  try {
    // A reused server may hold a previous demo's workflows, bound to simulators that are gone.
    await endDemoWorkflows(started.client, 'a new demo starts');
    const importStarted = Date.now();
    // A reused server may also hold the previous demo's completed import: this demo imports again.
    const { workflowId } = await startStoreImport(started.client, DEMO_STORE_ID, {
      taskQueue: started.config.temporal.taskQueue,
      requireActivation: false,
      again: true,
    });
    const handle = started.client.workflow.getHandle(workflowId);
    say(`Importing store "${DEMO_STORE_ID}" (workflow ${handle.workflowId}):`);
    const progress = await followImport(handle, { bars: !options.json, print: 'none' });
    const importSeconds = (Date.now() - importStarted) / 1000;
    if (!progress.mapping) throw new Error('the import finished without provisioning the store');

    say(`Import done in ${importSeconds.toFixed(1)} s.`);
    const importedCounts = started.shopkit.store.counts();
    const afterImport = diffState(
      expectedImportState(started.shopkit.store, started.shopkit.generator, progress.mapping),
      started.shopimind.state,
      progress.mapping,
    );
    const sync =
      options.activitySeconds > 0
        ? await driveLiveActivity(
            {
              storeId: DEMO_STORE_ID,
              seed: options.seed,
              seconds: options.activitySeconds,
              eventsPerSecond: options.eventsPerSecond,
            },
            started,
            say,
          )
        : null;

    const afterSync = sync
      ? diffState(
          expectedImportState(started.shopkit.store, started.shopkit.generator, progress.mapping),
          started.shopimind.state,
          progress.mapping,
          LIVE_SYNC_COMPARISON,
        )
      : [];
    const rows = summaryRows(afterImport, afterSync, importedCounts, await handle.query(rejectedQuery));
    const summary: DemoSummary = {
      storeId: DEMO_STORE_ID,
      ok: rows.every((row) => row.mismatches === 0 && !row.mismatchesAfterSync && row.rejected === 0),
      importSeconds,
      sync,
      rows,
      webUi: started.webUi,
      temporalAddress: started.address,
    };
    process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    say(inspectionHints(started, handle.workflowId, options.keep));
    if (options.keep) {
      say('--keep: everything stays up until Ctrl-C.');
      await new Promise<void>((done) => {
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      });
    }
    return summary;
  } finally {
    if (!options.keep) await endDemoWorkflows(started.client, 'the demo is over');
    await stop(started);
    logger.flush();
  }
}

async function start(options: DemoOptions, say: (line: string) => void): Promise<Started> {
  const reuse = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  let server: DevServer | undefined;
  let address = reuse;
  let webUi: string | null = null;
  const codecPort = await freePort();
  if (!(await temporalAnswers(reuse))) {
    server = await startDevServer({
      dbFile: resolve(options.dataDir, 'temporal.sqlite'),
      port: await preferredPort(7233),
      uiPort: await preferredPort(8233),
      logFile: resolve(options.dataDir, 'temporal.log'),
      uiCodecEndpoint: `http://127.0.0.1:${codecPort}/codec`,
    });
    address = server.address;
    webUi = server.uiUrl ?? null;
    say(`Started a Temporal dev server at ${address} (Web UI ${webUi ?? 'off'}).`);
  } else {
    say(`Reusing the Temporal server at ${address}.`);
  }

  const sizes = { products: options.products, clients: options.clients, orders: options.orders };
  const shopkit = await startShopkitSimulator({
    seed: options.seed,
    sizes,
    quota: { requests: options.shopkitPerSecond, windowMs: 1_000 },
  });
  const shopimind = await startShopimindSimulator({ quota: { requests: options.shopimindPerSecond, windowMs: 1_000 } });
  say(
    `Sandbox: ${sizes.products} products, ${sizes.clients} clients, ${sizes.orders} orders; quotas scaled to ` +
      `${options.shopkitPerSecond} Shopkit and ${options.shopimindPerSecond} ShopiMind requests/s.`,
  );

  const config = loadConfig({
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: process.env.TEMPORAL_TASK_QUEUE ?? 'shopkit-shopimind-demo',
    // The sandbox seals its payloads like production; with no key given, one lives as long as the demo.
    TEMPORAL_PAYLOAD_KEY: process.env.TEMPORAL_PAYLOAD_KEY ?? generatePayloadKey(),
    ...sandboxStoreEnv({ ...options, storeId: DEMO_STORE_ID, shopkit, shopimind }),
  });
  const native = await connectWorkerConnection(config.temporal);
  const worker = await createWorker({ config, connection: native });
  const workerRun = worker.run();
  webUi = webUi ?? (server ? null : 'http://127.0.0.1:8233');
  const codec = await startDemoCodecEndpoint({
    port: codecPort,
    temporal: config.temporal,
    webUi,
    dataDir: options.dataDir,
  });
  return {
    server,
    address,
    webUi,
    codec,
    shopkit,
    shopimind,
    worker,
    workerRun,
    native,
    client: await connectClient(config.temporal),
    config,
  };
}

async function stop(started: Started): Promise<void> {
  // SIGINT/SIGTERM already make the SDK runtime shut the worker down.
  if (started.worker.getState() === 'RUNNING') started.worker.shutdown();
  await started.workerRun;
  await started.client.connection.close();
  await started.native.close();
  await started.codec.close();
  await started.shopkit.close();
  await started.shopimind.close();
  await started.server?.stop();
}

function inspectionHints(started: Started, workflowId: string, keep: boolean): string {
  const temporal = findTemporalCliOrName();
  // Payloads are sealed: the CLI reads them through the demo's codec endpoint, token from a file.
  const codec = `--codec-endpoint ${started.codec.endpoint} --codec-auth "Bearer $(cat ${started.codec.tokenFile})"`;
  return [
    '',
    started.server && !keep
      ? "Inspect the runs (the demo's dev server stops with it: add --keep to browse them):"
      : 'Inspect the runs:',
    started.webUi
      ? `  Web UI:        ${started.webUi}/namespaces/default/workflows?query=ShopkitStore%3D%22${DEMO_STORE_ID}%22`
      : '',
    started.webUi
      ? webUiCodecSteps({
          endpoint: started.codec.endpoint,
          webUi: started.webUi,
          token: `the token in ${started.codec.tokenFile}`,
          corsReminder: false,
          browserSetting: true,
        }).replace(/^/gm, '  ')
      : '',
    `  Temporal CLI:  ${temporal} workflow list --address ${started.address} --query 'ShopkitStore="${DEMO_STORE_ID}"'`,
    `                 ${temporal} workflow show --address ${started.address} --workflow-id ${workflowId} ${codec}`,
    `                 ${temporal} workflow query --address ${started.address} --workflow-id ${workflowId} --type progress ${codec}`,
    `                 ${temporal} workflow query --address ${started.address} --workflow-id ${storeSyncWorkflowId(DEMO_STORE_ID)} --type status ${codec}`,
  ]
    .filter(Boolean)
    .join('\n');
}

async function endDemoWorkflows(client: Client, reason: string): Promise<void> {
  for (const workflowId of [importWorkflowId(DEMO_STORE_ID), storeSyncWorkflowId(DEMO_STORE_ID)]) {
    await client.workflow
      .getHandle(workflowId)
      .terminate(reason)
      .catch(() => undefined); // not running: nothing to end
  }
}

function findTemporalCliOrName(): string {
  try {
    return findTemporalCli();
  } catch {
    return 'temporal';
  }
}

/** The conventional port when it is free, so the printed addresses are the familiar ones. */
async function preferredPort(port: number): Promise<number> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => void freePort().then(done));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(port)));
  });
}
