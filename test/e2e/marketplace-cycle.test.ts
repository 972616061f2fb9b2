import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { request } from 'undici';
import { signShopimindLifecycle } from '../../src/gateway';
import { InstallationRegistry, openRegistryDatabase } from '../../src/registry';
import { entitiesOf } from '../../src/sandbox/expected-state';
import { startShopimindSimulator, type ShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import { startShopkitSimulator, type ShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import { SecretBox } from '../../src/secrets/secret-box';
import { freePort } from '../../src/temporal/free-port';
import { connectClient, payloadCodecFor } from '../../src/temporal/temporal-client';
import { importWorkflowId, progressQuery, storeSyncWorkflowId, syncStatusQuery } from '../../src/contracts';
import { waitForWorker, type SpawnedProcess, spawnCli } from '../support/processes';
import { terminateStoreWorkflows } from '../support/store-workflows';
import { converge, startGateway } from '../support/sync-scenario';
import { testTemporalSettings } from '../support/temporal';
import { until } from '../support/until';

jest.setTimeout(300_000);

const ADMIN = 'admin-token-for-the-marketplace-test';
const LIFECYCLE_SECRET = 'shopimind-integration-secret-for-e2e';
const SECRETS_KEY = randomBytes(32).toString('hex');

/** Every payload of a raw history, decoded by the product's codec, plus the history's own strings. */
async function historyText(client: Client, workflowId: string, runId?: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const payloads: Payload[] = [];
  const collect = (value: unknown): void => {
    if (value instanceof Uint8Array || value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record.data instanceof Uint8Array && record.metadata && typeof record.metadata === 'object') {
      payloads.push(record);
      return;
    }
    Object.values(record).forEach(collect);
  };
  collect(history);
  const decoded = await payloadCodecFor(testTemporalSettings()).decode(payloads);
  return [
    JSON.stringify(history),
    ...decoded.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8')),
  ].join('\n');
}

/**
 * The marketplace cycle on separate worker and gateway processes started with no store configured:
 * ShopiMind installs the integration (a wrong Shopkit key first), activates it, the import and the
 * webhooks run, it is deactivated (events are kept, nothing reaches ShopiMind), activated again (the
 * kept events are applied), and uninstalled (sync ended, webhooks and secrets gone). The access token
 * never appears in clear in the registry file, the logs or the workflow histories.
 */
describe('a ShopiMind marketplace installation, end to end', () => {
  let shopkit: ShopkitSimulator;
  let shopimind: ShopimindSimulator;
  let client: Client;
  let dir: string;
  const processes: SpawnedProcess[] = [];
  const storeId = `mkt-${Date.now()}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'marketplace-'));
    client = await connectClient(testTemporalSettings());
    shopkit = await startShopkitSimulator({
      sizes: { products: 10, clients: 20, orders: 40 },
      quota: null,
      webhooks: { retries: 10, retryIntervalMs: 300, timeoutMs: 5_000 },
    });
    // ShopiMind's simulator accepts exactly the installation's access token.
    shopimind = await startShopimindSimulator({ quota: null, apiKey: `int_${randomBytes(16).toString('hex')}` });
  });
  afterAll(async () => {
    await terminateStoreWorkflows(client, storeId);
    await Promise.all(processes.map((proc) => proc.stop('SIGKILL')));
    await shopkit.close();
    await shopimind.close();
    await client.connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs, activates, imports, syncs, deactivates, reactivates and uninstalls without a restart', async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const taskQueue = `e2e-marketplace-${process.pid}`;
    // The default registry (sqlite:.data/registry.sqlite) of a process working in `dir`.
    const registryPath = join(dir, '.data', 'registry.sqlite');
    const env = {
      // Spawned processes inherit this one's environment: no store may reach them from it.
      STORE_ID: '',
      STORES_FILE: '',
      SHOPKIT_API_KEY: '',
      SHOPKIT_WEBHOOK_SECRET: '',
      SHOPIMIND_API_KEY: '',
      // The gateway names the registry; the worker runs in `dir` with none, in the default registry mode.
      REGISTRY_URL: `sqlite:${registryPath}`,
      SECRETS_KEY,
      REGISTRY_CACHE_MS: '1000',
      SHOPIMIND_BASE_URL: shopimind.baseUrl,
      SHOPKIT_QUOTA_PER_HOUR: String(100 * 3600),
      SHOPIMIND_QUOTA_PER_MINUTE: String(1000 * 60),
      TEMPORAL_ADDRESS: testTemporalSettings().address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: String(port),
      GATEWAY_PUBLIC_URL: publicUrl,
      GATEWAY_ADMIN_TOKEN: ADMIN,
      SHOPIMIND_WEBHOOK_SECRET: LIFECYCLE_SECRET,
      LOG_LEVEL: 'info',
    };
    // Without REGISTRY_URL and no store configured, the worker opens the default registry of its working
    // directory: a temporary one, never the checkout's .data.
    const worker = spawnCli(['worker'], { ...env, REGISTRY_URL: '' }, { cwd: dir });
    processes.push(worker);
    await waitForWorker(client, taskQueue);
    const gateway = await startGateway(port, env);
    processes.push(gateway);

    let second = Math.floor(Date.now() / 1000);
    const signed = async (path: string, body: unknown) => {
      const raw = JSON.stringify(body);
      const ts = String(second++);
      const response = await request(`${publicUrl}${path}`, {
        method: 'POST',
        body: raw,
        headers: {
          'content-type': 'application/json',
          'x-shopimind-timestamp': ts,
          'x-shopimind-signature': signShopimindLifecycle(raw, ts, LIFECYCLE_SECRET),
        },
      });
      return { status: response.statusCode, body: await response.body.json() };
    };
    const lifecycle = (event: string, extra: Record<string, unknown> = {}) =>
      signed('/webhook/receive', { event: `integration.${event}`, installation_id: storeId, ...extra });
    const registry = new InstallationRegistry(
      openRegistryDatabase({ kind: 'sqlite', path: registryPath }),
      new SecretBox(SECRETS_KEY),
    );
    const secrets = [shopimind.apiKey, shopkit.apiKey, shopkit.webhookSecret];
    const sync = client.workflow.getHandle(storeSyncWorkflowId(storeId));
    try {
      // The merchant's form is tested, then installed with a mistyped key: activation is refused.
      const form = { shopkit_api_key: shopkit.apiKey, shopkit_webhook_secret: shopkit.webhookSecret };
      expect((await signed('/webhook/test-connection', { ...form, shopkit_base_url: shopkit.baseUrl })).body).toEqual({
        success: true,
      });
      const configs = { ...form, shopkit_api_key: 'mistyped-key', shopkit_base_url: shopkit.baseUrl };
      expect(await lifecycle('installed', { access_token: shopimind.apiKey, configs, shop_name: 'E2E' })).toEqual({
        status: 200,
        body: { success: true },
      });
      expect((await registry.get(storeId))?.status).toBe('inactive');
      expect((await lifecycle('activated')).body).toEqual({ success: false, error: 'connection_failed' });
      expect(await registry.get(storeId)).toMatchObject({
        status: 'inactive',
        lastError: expect.stringMatching(/^ShopkitAuthError/),
      });

      // The merchant fixes the key; activation now checks, registers the webhooks, imports, then syncs.
      expect((await lifecycle('config_updated', { configs: { shopkit_api_key: shopkit.apiKey } })).body).toEqual({
        success: true,
      });
      expect((await lifecycle('activated')).body).toEqual({ success: true });
      expect((await registry.get(storeId))?.status).toBe('active');
      const hookUrl = `${publicUrl}/webhooks/shopkit/${storeId}`;
      expect(shopkit.webhooks.list().filter((w) => w.url === hookUrl).length).toBeGreaterThanOrEqual(18);
      await client.workflow.getHandle(importWorkflowId(storeId)).result();
      const progress = await client.workflow.getHandle(importWorkflowId(storeId)).query(progressQuery);

      const orders = entitiesOf(shopkit.store, 'orders').map((order) => Number(order.id));
      for (const id of orders.slice(0, 10)) shopkit.store.update('orders', id, { status_alias: 'sent' });
      await shopkit.webhooks.idle();
      expect((await converge(client, storeId, shopkit, shopimind, progress)).differences).toEqual([]);

      // A sync an operator ended comes back active with the next webhook: its start state is the registry's.
      await sync.terminate('operator');
      shopkit.store.update('orders', orders[0] as number, { status_alias: 'delivered' });
      await shopkit.webhooks.idle();
      expect((await converge(client, storeId, shopkit, shopimind, progress)).differences).toEqual([]);
      expect((await sync.query(syncStatusQuery)).integration).toBe('active');

      // Deactivated: webhooks are still accepted and kept, and nothing is sent to ShopiMind.
      expect((await lifecycle('deactivated')).body).toEqual({ success: true });
      const received = (await sync.query(syncStatusQuery)).counters.received;
      const shopimindRequests = shopimind.kit.stats().requests;
      for (const id of orders.slice(10, 20)) shopkit.store.update('orders', id, { status_alias: 'delivered' });
      await shopkit.webhooks.idle();
      const held = await until('the held events', async () => {
        const status = await sync.query(syncStatusQuery);
        return status.counters.received >= received + 10 ? status : undefined;
      });
      expect([held.integration, held.pending]).toEqual(['inactive', 10]);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(shopimind.kit.stats().requests).toBe(shopimindRequests);

      // Activated again: the kept events reach ShopiMind.
      expect((await lifecycle('activated')).body).toEqual({ success: true });
      expect((await converge(client, storeId, shopkit, shopimind, progress)).differences).toEqual([]);
      const delivered = shopimind.state
        .entities('orders')
        .filter((o) => orders.slice(10, 20).includes(Number(o.order_id)));
      expect(delivered).toHaveLength(10);

      // The registry file holds ciphertexts only.
      const files = readdirSync(dirname(registryPath)).filter((name) => name.startsWith('registry.sqlite'));
      const bytes = files.map((name) => readFileSync(join(dirname(registryPath), name)).toString('latin1')).join('');
      expect(bytes).toContain(storeId);
      for (const secret of secrets) expect(bytes).not.toContain(secret);

      // Uninstalled: the sync ends, Shopkit stops calling, the secrets are destroyed.
      expect((await lifecycle('uninstalled')).body).toEqual({ success: true });
      expect((await sync.result()).integration).toBe('uninstalled');
      expect(shopkit.webhooks.list().filter((w) => w.url === hookUrl)).toEqual([]);
      expect(await registry.get(storeId)).toMatchObject({
        status: 'uninstalled',
        secrets: { access_token: false, shopkit_api_key: false, shopkit_webhook_secret: false },
      });

      const histories: string[] = [];
      for await (const run of client.workflow.list({
        query: `WorkflowId STARTS_WITH "check-connection/${storeId}/"`,
      })) {
        histories.push(await historyText(client, run.workflowId, run.runId));
      }
      expect(histories.length).toBe(3);
      histories.push(
        await historyText(client, storeSyncWorkflowId(storeId)),
        await historyText(client, importWorkflowId(storeId)),
      );
      // Decoded: the webhook signals' orders are there in clear, so the search below reads real content.
      expect(histories.join('\n')).toContain('"status_alias":"delivered"');
      for (const secret of secrets) {
        expect(histories.join('\n')).not.toContain(secret);
        expect(worker.output() + gateway.output()).not.toContain(secret);
      }
    } finally {
      await registry.close();
    }
  });
});
