/**
 * Records the workflow histories that the replay tests (test/workflows/replay.test.ts) replay, so a
 * change that breaks determinism fails CI. Run after an intended change to workflow code:
 *   npx tsx scripts/record-histories.ts [--out DIR]
 * Histories of earlier code stay: they prove that runs started before a change still replay. Record a
 * changed path into a scratch DIR and add the history it concerns under a new name.
 * Payloads are sealed by the product's codec under a fixture key (test/support/recording-key.ts) that the
 * replay test decodes with, so the recorded histories look like production ones.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { request } from 'undici';
import { loadConfig } from '../src/config';
import { startShopimindSimulator } from '../src/sandbox/shopimind-simulator';
import { startShopkitSimulator } from '../src/sandbox/shopkit-simulator';
import { startDevServer } from '../src/temporal/dev-server';
import { createWorker } from '../src/worker';
import { buildGateway, shopkitWebhookRegistrar, TemporalSyncBackend } from '../src/gateway';
import { freePort } from '../src/temporal/free-port';
import { connectClient, connectWorkerConnection } from '../src/temporal/temporal-client';
import { acceptedUpdates } from '../test/support/history';
import { RECORDING_PAYLOAD_KEY } from '../test/support/recording-key';
import {
  pauseSignal,
  reserveShopkitUpdate,
  resumeSignal,
  storeSyncWorkflowId,
  syncStatusQuery,
} from '../src/contracts';
import { checkConnectionWorkflow, initialImportWorkflow } from '../src/workflows';

const outFlag = process.argv.indexOf('--out');
const outDir = outFlag > 0 ? resolve(process.argv[outFlag + 1] ?? '.') : resolve(__dirname, '..', 'test', 'histories');

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer({
    dbFile: join(mkdtempSync(join(tmpdir(), 'record-')), 'db.sqlite'),
    uiPort: false,
  });
  const shopkit = await startShopkitSimulator({ sizes: { products: 30, clients: 90, orders: 300 }, quota: null });
  const shopimind = await startShopimindSimulator({ quota: null });
  const config = loadConfig({
    STORE_ID: 'recorded-store',
    SHOPKIT_BASE_URL: shopkit.baseUrl,
    SHOPKIT_API_KEY: shopkit.apiKey,
    SHOPKIT_WEBHOOK_SECRET: shopkit.webhookSecret,
    SHOPIMIND_BASE_URL: shopimind.baseUrl,
    SHOPIMIND_API_KEY: shopimind.apiKey,
    SHOPKIT_QUOTA_PER_HOUR: '360000',
    SHOPIMIND_QUOTA_PER_MINUTE: '60000',
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_PAYLOAD_KEY: RECORDING_PAYLOAD_KEY,
  });
  const gatewayPort = await freePort();
  const client = await connectClient(config.temporal);
  const worker = await createWorker({ config, connection: await connectWorkerConnection(config.temporal) });
  try {
    await worker.runUntil(async () => {
      const taskQueue = config.temporal.taskQueue;
      const check = await client.workflow.start(checkConnectionWorkflow, {
        taskQueue,
        workflowId: 'check-connection/recorded-store',
        args: [{ storeId: 'recorded-store' }],
      });
      await check.result();
      // A small history budget and a pause make the recorded import cover continueAsNew and signals.
      const handle = await client.workflow.start(initialImportWorkflow, {
        taskQueue,
        workflowId: 'import/recorded-store',
        args: [{ storeId: 'recorded-store', historyBudget: 40 }],
      });
      await handle.signal(pauseSignal);
      await handle.signal(resumeSignal);
      await handle.result();
      mkdirSync(outDir, { recursive: true });
      const save = async (name: string, workflowId: string, runId: string) => {
        const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
        // Proto messages serialise through their toJSON (longs as strings, bytes as base64, enum names).
        writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(history)}\n`);
        process.stdout.write(`recorded ${name} (${history.events?.length ?? 0} events)\n`);
      };
      await save('check-connection', check.workflowId, check.firstExecutionRunId);
      await save('initial-import-first-run', handle.workflowId, handle.firstExecutionRunId);
      const last = await handle.describe();
      await save('initial-import-last-run', handle.workflowId, last.runId);
      // The first run in which a page reserved its buyer searches (an update from the activity).
      for (let runId: string | null | undefined = handle.firstExecutionRunId; runId;) {
        const history: temporal.api.history.v1.IHistory = await client.workflow
          .getHandle(handle.workflowId, runId)
          .fetchHistory();
        const events = history.events ?? [];
        if (acceptedUpdates(events, reserveShopkitUpdate.name) > 0) {
          await save('initial-import-reservation-run', handle.workflowId, runId);
          break;
        }
        runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      }

      // The sync: webhooks from sandbox mutations through a gateway, until the workflow is idle.
      const gateway = buildGateway({
        stores: config.stores,
        backend: new TemporalSyncBackend(client, { taskQueue }),
        adminToken: 'record-histories',
        publicUrl: `http://127.0.0.1:${gatewayPort}`,
        registerWebhooks: shopkitWebhookRegistrar(config.stores),
      });
      await gateway.listen({ host: '127.0.0.1', port: gatewayPort });
      try {
        const registered = await request(`http://127.0.0.1:${gatewayPort}/stores/recorded-store/webhooks`, {
          method: 'POST',
          headers: { authorization: 'Bearer record-histories' },
        });
        if (registered.statusCode !== 200) throw new Error(`webhook registration: ${await registered.body.text()}`);
        await registered.body.dump();
        shopkit.store.update('orders', 100_001, { status_alias: 'sent' });
        shopkit.store.update('clients', 700_002, { company: 'Recorded Lda' });
        shopkit.store.update('products', 20_003, { title: 'Recorded product' });
        shopkit.store.create('orders', { client_id: 700_004 });
        shopkit.store.remove('orders', 100_005);
        shopkit.store.setNewsletter(700_006, false);
        const sync = client.workflow.getHandle(storeSyncWorkflowId('recorded-store'));
        const settled = async (flushesBefore: number) => {
          for (const deadline = Date.now() + 60_000; ;) {
            await new Promise((resolve) => setTimeout(resolve, 500));
            const status = await sync.query(syncStatusQuery).catch(() => undefined);
            const idle = status && status.pending + status.inFlight + status.pendingTriggers === 0;
            if (idle && status.counters.flushes > flushesBefore) return status.counters.flushes;
            if (Date.now() > deadline) throw new Error('the sync did not settle');
          }
        };
        const flushes = await settled(0);
        // A lone order change afterwards: a flush without a Shopkit read, run as a local activity.
        shopkit.store.update('orders', 100_007, { note: 'recorded alone' });
        await settled(flushes);
        await save('store-sync', sync.workflowId, (await sync.describe()).runId);
        await sync.terminate('recorded');
      } finally {
        await gateway.close();
      }
    });
  } finally {
    await client.connection.close();
    await shopkit.close();
    await shopimind.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
