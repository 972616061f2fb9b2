import { request } from 'undici';
import { diffState, expectedImportState } from '../../src/sandbox/expected-state';
import { freePort } from '../../src/temporal/free-port';
import { importWorkflowId, progressQuery, storeSyncWorkflowId, syncStatusQuery } from '../../src/contracts';
import { terminateStoreWorkflows } from '../support/store-workflows';
import { spawnCli, waitForWorker, type SpawnedProcess } from '../support/processes';
import { startShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import { startShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import { sandboxStoreEnv } from '../../src/sandbox/sandbox-env';
import { readTestRuntime } from '../support/test-runtime';
import { connectClient } from '../../src/temporal/temporal-client';
import { testTemporalSettings } from '../support/temporal';

jest.setTimeout(240_000);

const ADMIN = 'admin-token-for-the-process-test';

/**
 * Worker and gateway as separate processes, as in production: an import through the gateway's admin
 * route, then a webhook burst during which the gateway is killed with SIGKILL and started again. Shopkit's
 * redelivery must bring every change: ShopiMind ends equal to the mapping of the final store.
 */
describe('gateway and worker as separate processes', () => {
  it('loses nothing when the gateway is killed during a webhook burst', async () => {
    const { address } = readTestRuntime();
    const client = await connectClient(testTemporalSettings(address));
    const connection = client.connection;
    const storeId = `store-processes-${Date.now()}`;
    const taskQueue = `e2e-processes-${process.pid}`;
    const shopkit = await startShopkitSimulator({
      sizes: { products: 20, clients: 40, orders: 120 },
      quota: null,
      // Shopkit redelivers hourly; compressed here, with room for the gateway's outage.
      webhooks: { retries: 40, retryIntervalMs: 300, timeoutMs: 5_000 },
    });
    const shopimind = await startShopimindSimulator({ quota: null });
    const port = await freePort();
    const env = {
      ...sandboxStoreEnv({ storeId, shopkit, shopimind, shopkitPerSecond: 100, shopimindPerSecond: 1000 }),
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: String(port),
      GATEWAY_PUBLIC_URL: `http://127.0.0.1:${port}`,
      GATEWAY_ADMIN_TOKEN: ADMIN,
    };
    const processes: SpawnedProcess[] = [];
    const startGateway = async () => {
      const gateway = spawnCli(['gateway'], env);
      processes.push(gateway);
      for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
        const ready = await request(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        if (ready?.statusCode === 200) return gateway;
        await ready?.body.dump();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`gateway did not become ready: ${gateway.output()}`);
    };
    const admin = async (path: string) => {
      const response = await request(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      const body = await response.body.text();
      expect({ path, status: response.statusCode, body }).toMatchObject({ path, status: 200 });
    };
    try {
      processes.push(spawnCli(['worker'], env));
      await waitForWorker(client, taskQueue);
      let gateway = await startGateway();
      await admin(`/stores/${storeId}/webhooks`);
      await admin(`/stores/${storeId}/import`);
      await client.workflow.getHandle(importWorkflowId(storeId)).result();

      const orderIds = shopkit.store.collections.orders.slice(0, 120).map((order) => Number(order.id));
      for (let i = 0; i < 60; i++) {
        shopkit.store.update('orders', orderIds[i % orderIds.length] as number, {
          status_alias: i % 2 === 0 ? 'sent' : 'delivered',
        });
        if (i % 3 === 0) shopkit.store.update('clients', 700_000 + (i % 40), { company: `Empresa ${i}` });
        if (i === 20) {
          expect(await gateway.stop('SIGKILL')).toBeNull();
        }
        if (i === 40) gateway = await startGateway();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await shopkit.webhooks.idle();
      expect(shopkit.webhooks.deliveries().some((delivery) => !delivery.ok)).toBe(true);

      const sync = client.workflow.getHandle(storeSyncWorkflowId(storeId));
      const progress = await client.workflow.getHandle(importWorkflowId(storeId)).query(progressQuery);
      if (!progress.mapping) throw new Error('the import did not provision');
      const mapping = progress.mapping;
      let differences: string[] = [];
      for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
        const status = await sync.query(syncStatusQuery);
        const expected = expectedImportState(shopkit.store, shopkit.generator, mapping);
        differences = diffState(expected, shopimind.state, mapping, {
          collections: ['orders', 'customers'],
          ignore: { customers: ['updated_at'] },
        }).flatMap((d) => [...d.missing, ...d.unexpected, ...d.different].map((key) => `${d.collection} ${key}`));
        if (status.pending + status.inFlight === 0 && differences.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(differences).toEqual([]);
    } finally {
      await terminateStoreWorkflows(client, storeId);
      await Promise.all(processes.map((proc) => proc.stop('SIGKILL')));
      await shopkit.close();
      await shopimind.close();
      await connection.close();
    }
  });
});
