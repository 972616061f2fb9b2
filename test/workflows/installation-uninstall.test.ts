import { randomBytes } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { TemporalSyncBackend } from '../../src/gateway/sync-backend';
import { shopkitWebhookRegistrar, shopkitWebhookRemover } from '../../src/gateway/webhook-registration';
import { temporalConnectionCheck } from '../../src/integration/connection-check';
import { InstallationLifecycle } from '../../src/integration/installation-lifecycle';
import { InstallationRegistry, openRegistryDatabase, RegistryStoreLookup } from '../../src/registry';
import { startShopimindSimulator, type ShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import { startShopkitSimulator, type ShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import { SecretBox } from '../../src/secrets/secret-box';
import { importWorkflowId, storeSyncWorkflowId } from '../../src/contracts';
import { terminateStoreWorkflows } from '../support/store-workflows';
import { waitForPages } from '../support/sync-scenario';
import { connectTemporal, createTestWorker, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';

jest.setTimeout(120_000);

const STORE = 'uninstall-mid-import';
const PUBLIC_URL = 'http://127.0.0.1:9';

/**
 * Uninstalled while its import runs: the import is cancelled, the sync ends, the Shopkit webhooks are
 * deleted and the secrets destroyed, through the lifecycle the gateway runs, on a worker resolving the
 * store from the registry.
 */
describe('an installation uninstalled mid-import', () => {
  let ctx: TemporalTestContext;
  let shopkit: ShopkitSimulator;
  let shopimind: ShopimindSimulator;
  let registry: InstallationRegistry;

  beforeAll(async () => {
    ctx = await connectTemporal();
    shopkit = await startShopkitSimulator({ sizes: { products: 40, clients: 100, orders: 400 }, quota: null });
    shopimind = await startShopimindSimulator({ quota: null, apiKey: `int_${randomBytes(16).toString('hex')}` });
    registry = new InstallationRegistry(
      openRegistryDatabase({ kind: 'sqlite', path: ':memory:' }),
      new SecretBox(randomBytes(32).toString('hex')),
    );
    await registry.migrate();
  });
  afterAll(async () => {
    await terminateStoreWorkflows(ctx.client, STORE);
    await registry.close();
    await shopkit.close();
    await shopimind.close();
    await ctx.close();
  });

  it('cancels the import, ends the sync, deletes the webhooks and destroys the secrets', async () => {
    const taskQueue = uniqueTaskQueue('uninstall');
    // The import paces itself at two Shopkit reads per second: long enough to be interrupted.
    const defaults = {
      shopimindBaseUrl: shopimind.baseUrl,
      shopkitQuotaPerHour: 2 * 3600,
      shopimindQuotaPerMinute: 60_000,
    };
    const lookup = new RegistryStoreLookup(registry, defaults, 1_000);
    // No store in the environment: the worker knows the store from the registry only.
    const { worker } = await createTestWorker(
      ctx,
      { SHUTDOWN_GRACE_MS: '1000' },
      { taskQueue, deps: { stores: lookup } },
    );
    const lifecycle = new InstallationLifecycle({
      registry,
      backend: new TemporalSyncBackend(ctx.client, { taskQueue }),
      checkConnection: temporalConnectionCheck(ctx.client, taskQueue),
      registerWebhooks: shopkitWebhookRegistrar(lookup),
      removeWebhooks: shopkitWebhookRemover(lookup),
      publicUrl: PUBLIC_URL,
      changed: (storeId) => lookup.invalidate(storeId),
    });
    const hookUrl = `${PUBLIC_URL}/webhooks/shopkit/${STORE}`;

    await worker.runUntil(async () => {
      await registry.install({
        installationId: STORE,
        accessToken: shopimind.apiKey,
        configs: {
          shopkit_api_key: shopkit.apiKey,
          shopkit_webhook_secret: shopkit.webhookSecret,
          shopkit_base_url: shopkit.baseUrl,
        },
      });
      expect(await lifecycle.handle({ event: 'integration.activated', installationId: STORE })).toEqual({
        success: true,
      });
      expect(shopkit.webhooks.list().filter((w) => w.url === hookUrl).length).toBeGreaterThanOrEqual(18);
      await waitForPages(ctx.client, STORE, 3);

      expect(await lifecycle.handle({ event: 'integration.uninstalled', installationId: STORE })).toEqual({
        success: true,
      });
      const imported = ctx.client.workflow.getHandle(importWorkflowId(STORE));
      const failure = await imported.result().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((await imported.describe()).status.name).toBe('CANCELLED');
      expect((await ctx.client.workflow.getHandle(storeSyncWorkflowId(STORE)).result()).integration).toBe(
        'uninstalled',
      );
    });
    expect(shopkit.webhooks.list().filter((w) => w.url === hookUrl)).toEqual([]);
    expect(await registry.get(STORE)).toMatchObject({
      status: 'uninstalled',
      secrets: { access_token: false, shopkit_api_key: false, shopkit_webhook_secret: false },
    });
    expect(await lookup.get(STORE)).toBeUndefined();
    // A late event for the uninstalled installation changes nothing.
    expect(await lifecycle.handle({ event: 'integration.activated', installationId: STORE })).toEqual({
      success: false,
      error: 'unknown_installation',
    });
  });
});
