import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { request } from 'undici';
import { SECRET_LOG_PATHS } from '../../src/config';
import { buildGateway, signShopimindLifecycle, type SyncBackend } from '../../src/gateway';
import { InstallationLifecycle } from '../../src/integration/installation-lifecycle';
import type { INTEGRATION_MANIFEST } from '../../src/integration/manifest';
import { shopkitKeyWorks } from '../../src/integration/shopkit-key-check';
import { InstallationRegistry, openRegistryDatabase } from '../../src/registry';
import { startShopkitSimulator, type ShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import { SecretBox } from '../../src/secrets/secret-box';
import type { LifecycleChange } from '../../src/contracts/sync';
import { until } from '../support/until';

const SECRET = 'shopimind-integration-secret-42';
const PREVIOUS_SECRET = 'shopimind-integration-secret-41';
const NOW = Date.parse('2026-03-01T12:00:00Z');
const TOKEN = 'int_live_token_0123456789abcdef';
const PUBLIC_URL = 'https://sync.example.com';

/** Records what reaches Temporal, in order. */
class RecordingBackend implements SyncBackend {
  calls: string[] = [];
  deliverEvent() {
    return Promise.resolve();
  }
  deliverLifecycle(storeId: string, change: LifecycleChange) {
    this.calls.push(`lifecycle ${change.event} ${storeId}`);
    return Promise.resolve();
  }
  startImport(storeId: string) {
    this.calls.push(`startImport ${storeId}`);
    return Promise.resolve({ workflowId: `import/${storeId}`, started: true });
  }
  stopImport(storeId: string) {
    this.calls.push(`stopImport ${storeId}`);
    return Promise.resolve(true);
  }
  status() {
    return Promise.resolve({ import: null, sync: null });
  }
  pauseOrResume(storeId: string, action: 'pause' | 'resume') {
    this.calls.push(`${action} ${storeId}`);
    return Promise.resolve({ import: true, sync: true });
  }
  ready() {
    return Promise.resolve(true);
  }
}

describe('marketplace routes (/webhook/*, /health, /manifest)', () => {
  let app: FastifyInstance;
  let registry: InstallationRegistry;
  let backend: RecordingBackend;
  let checks: string[];
  let checkResult: { ok: true } | { ok: false; error: string };
  /** What a connection check waits for before it answers. */
  let checkGate: () => Promise<void>;
  let webhooks: string[];
  let logs: string;
  let testKey: typeof shopkitKeyWorks;
  let timestamp = NOW / 1000;
  let base: string;

  beforeEach(async () => {
    registry = new InstallationRegistry(
      openRegistryDatabase({ kind: 'sqlite', path: ':memory:' }),
      new SecretBox('5a'.repeat(32)),
    );
    await registry.migrate();
    backend = new RecordingBackend();
    checks = [];
    checkResult = { ok: true };
    checkGate = () => Promise.resolve();
    webhooks = [];
    logs = '';
    testKey = shopkitKeyWorks;
    const logger = pino(
      { level: 'debug', redact: { paths: SECRET_LOG_PATHS, censor: '[redacted]' } },
      { write: (line: string) => void (logs += line) },
    );
    app = buildGateway({
      stores: new Map(),
      backend,
      adminToken: 'admin-token-abcdefghijklmnop',
      now: () => NOW,
      installations: (gatewayBackend) => ({
        lifecycle: new InstallationLifecycle({
          registry,
          backend: gatewayBackend,
          checkConnection: (storeId) => {
            checks.push(storeId);
            return checkGate().then(() => checkResult);
          },
          registerWebhooks: (storeId, url) => {
            webhooks.push(`register ${storeId} ${url}`);
            return Promise.resolve({ url, created: ['order_created'], existing: [], failed: [] });
          },
          removeWebhooks: (storeId, url) => {
            webhooks.push(`remove ${storeId} ${url}`);
            return Promise.resolve(18);
          },
          publicUrl: PUBLIC_URL,
          changed: () => undefined,
          now: () => NOW,
          logger,
        }),
        registry,
        secrets: [SECRET, PREVIOUS_SECRET],
        claimWaitMs: 1_000,
        testShopkitKey: (values) => testKey(values),
        temporalReady: () => backend.ready(),
        now: () => NOW,
        logger,
      }),
    });
  });
  beforeEach(async () => {
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    await app.close();
    await registry.close();
  });

  /** A signed delivery; each call signs at a new second, so two calls are two distinct deliveries. */
  const post = async (path: string, body: unknown, secret = SECRET, ts = String(timestamp++)) => {
    const raw = JSON.stringify(body);
    const response = await request(`${base}${path}`, {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-shopimind-timestamp': ts,
        'x-shopimind-signature': signShopimindLifecycle(raw, ts, secret),
      },
    });
    return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown>, ts };
  };
  const installed = {
    event: 'integration.installed',
    installation_id: 'inst-77',
    shop_name: 'Boutique',
    access_token: TOKEN,
    configs: {
      shopkit_api_key: 'sk-first',
      shopkit_webhook_secret: 'wh-secret-1',
      shopkit_base_url: 'http://127.0.0.1:9/v1',
    },
  };

  it('refuses a bad signature, names an unknown event, and accepts the previous secret during a rotation', async () => {
    expect((await post('/webhook/receive', installed, 'not-the-secret-at-all')).status).toBe(401);
    expect(await registry.list()).toEqual([]);
    expect((await post('/webhook/receive', { event: 'integration.exploded', installation_id: 'x' })).body).toEqual({
      success: false,
      error: 'unknown_event',
    });
    expect((await post('/webhook/receive', installed, PREVIOUS_SECRET)).body).toEqual({ success: true });
    expect((await registry.get('inst-77'))?.status).toBe('inactive');
  });

  it('runs install → failed activation → activation → deactivation → config update → uninstall', async () => {
    expect((await post('/webhook/receive', installed)).body).toEqual({ success: true });
    expect(backend.calls).toEqual([]);

    checkResult = { ok: false, error: 'ShopkitAuthError: Shopkit refused the key' };
    const refused = await post('/webhook/receive', { event: 'integration.activated', installation_id: 'inst-77' });
    expect(refused.body).toEqual({ success: false, error: 'connection_failed' });
    expect(await registry.get('inst-77')).toMatchObject({ status: 'inactive', lastError: checkResult.error });
    expect(backend.calls).toEqual([]);

    checkResult = { ok: true };
    const activation = { event: 'integration.activated', installation_id: 'inst-77', activated_at: '2026-03-01' };
    const activated = await post('/webhook/receive', activation);
    expect(activated.body).toEqual({ success: true });
    expect(await registry.get('inst-77')).toMatchObject({ status: 'active', lastError: null });
    expect(backend.calls).toEqual(['lifecycle activate inst-77', 'startImport inst-77', 'resume inst-77']);
    expect(webhooks).toEqual([`register inst-77 ${PUBLIC_URL}/webhooks/shopkit/inst-77`]);
    expect(checks).toEqual(['inst-77', 'inst-77']);

    // A verbatim replay (same timestamp, same signature) is answered without processing it again.
    expect((await post('/webhook/receive', activation, SECRET, activated.ts)).body).toEqual({ success: true });
    expect(checks).toHaveLength(2);

    backend.calls = [];
    await post('/webhook/receive', { event: 'integration.deactivated', installation_id: 'inst-77' });
    expect((await registry.get('inst-77'))?.status).toBe('inactive');
    expect(backend.calls).toEqual(['lifecycle deactivate inst-77', 'pause inst-77']);

    await post('/webhook/receive', { event: 'integration.activated', installation_id: 'inst-77' });
    backend.calls = [];
    const updated = await post('/webhook/receive', {
      event: 'integration.config_updated',
      installation_id: 'inst-77',
      configs: { shopkit_api_key: 'sk-second' },
    });
    expect(updated.body).toEqual({ success: true });
    expect((await registry.secretsOfStore('inst-77'))?.secrets).toEqual({
      accessToken: TOKEN,
      shopkitApiKey: 'sk-second',
      shopkitWebhookSecret: 'wh-secret-1',
    });
    expect(backend.calls).toEqual(['lifecycle config_updated inst-77']);

    backend.calls = [];
    webhooks = [];
    expect(
      (await post('/webhook/receive', { event: 'integration.uninstalled', installation_id: 'inst-77' })).body,
    ).toEqual({ success: true });
    expect(backend.calls).toEqual(['lifecycle uninstall inst-77', 'stopImport inst-77']);
    expect(webhooks).toEqual([`remove inst-77 ${PUBLIC_URL}/webhooks/shopkit/inst-77`]);
    expect(await registry.get('inst-77')).toMatchObject({
      status: 'uninstalled',
      secrets: { access_token: false, shopkit_api_key: false, shopkit_webhook_secret: false },
    });
    expect(logs).toContain('inst-77');
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain('sk-first');
  });

  describe('an activation delivered twice while its connection check is held', () => {
    const activation = { event: 'integration.activated', installation_id: 'inst-77' };
    let open: () => void;
    let ts: string;
    /** Installs, then sends the activation once and waits until its connection check is held (not answered). */
    const firstDelivery = async () => {
      await post('/webhook/receive', installed);
      const gate = new Promise<void>((resolve) => (open = resolve));
      checkGate = () => gate;
      ts = String(timestamp++);
      const first = post('/webhook/receive', activation, SECRET, ts);
      await until('the first connection check', () => (checks.length > 0 ? true : undefined));
      return { first };
    };

    it('processes one of two identical deliveries arriving together, and answers both', async () => {
      const { first } = await firstDelivery();
      const second = post('/webhook/receive', activation, SECRET, ts);
      // Time for the second delivery to arrive and find the first one's claim.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(checks).toEqual(['inst-77']);
      open();
      expect([(await first).body, (await second).body]).toEqual([{ success: true }, { success: true }]);
      expect(checks).toEqual(['inst-77']);
      expect(backend.calls).toEqual(['lifecycle activate inst-77', 'startImport inst-77', 'resume inst-77']);
    });

    it('answers 503 to a duplicate that outwaits the first one, and success to the retry once it is done', async () => {
      const { first } = await firstDelivery();
      const second = await post('/webhook/receive', activation, SECRET, ts);
      expect([second.status, second.body]).toEqual([503, { success: false, error: 'temporarily_unavailable' }]);
      open();
      expect((await first).body).toEqual({ success: true });
      expect((await post('/webhook/receive', activation, SECRET, ts)).body).toEqual({ success: true });
      expect(checks).toEqual(['inst-77']);
    });
  });

  it('processes the retry of a delivery whose processing failed', async () => {
    await post('/webhook/receive', installed);
    checkGate = () => Promise.reject(new Error('Temporal did not answer'));
    const activation = { event: 'integration.activated', installation_id: 'inst-77' };
    const failed = await post('/webhook/receive', activation);
    expect([failed.status, failed.body]).toEqual([503, { success: false, error: 'temporarily_unavailable' }]);
    checkGate = () => Promise.resolve();
    expect((await post('/webhook/receive', activation, SECRET, failed.ts)).body).toEqual({ success: true });
    expect(checks).toEqual(['inst-77', 'inst-77']);
    expect((await registry.get('inst-77'))?.status).toBe('active');
  });

  it('takes a legacy numeric id_shop_integration as the installation id, and needs the token at install', async () => {
    const { access_token: _token, ...withoutToken } = installed;
    expect(
      (await post('/webhook/receive', { ...withoutToken, installation_id: undefined, id_shop_integration: 42 })).body,
    ).toEqual({
      success: false,
      error: 'missing_access_token',
    });
    expect(
      (await post('/webhook/receive', { ...installed, installation_id: undefined, id_shop_integration: 42 })).body,
    ).toEqual({
      success: true,
    });
    expect((await registry.get('42'))?.storeId).toBe('42');
    expect(
      (await post('/webhook/receive', { event: 'integration.activated', installation_id: 'nobody' })).body,
    ).toEqual({
      success: false,
      error: 'unknown_installation',
    });
  });

  describe('with a Shopkit simulator', () => {
    let shopkit: ShopkitSimulator;
    beforeAll(async () => {
      shopkit = await startShopkitSimulator({ sizes: { products: 1, clients: 1, orders: 1 }, quota: null });
    });
    afterAll(() => shopkit.close());

    it('tests the form key with one read of the store', async () => {
      const good = { shopkit_api_key: shopkit.apiKey, shopkit_base_url: shopkit.baseUrl };
      expect((await post('/webhook/test-connection', good)).body).toEqual({ success: true });
      expect(shopkit.kit.stats().routes['GET /v1/store']?.requests).toBe(1);
      const bad = { ...good, shopkit_api_key: 'not-the-key' };
      expect((await post('/webhook/test-connection', bad)).body).toEqual({
        success: false,
        error: 'connection_failed',
      });
      expect((await post('/webhook/test-connection', {})).body).toEqual({ success: false, error: 'connection_failed' });
      expect((await post('/webhook/test-connection', good, 'wrong-secret-wrong')).status).toBe(401);
    });
  });

  it('answers a connection test that fails unexpectedly as a failed test, without the key', async () => {
    const form = { shopkit_api_key: 'sk-typed-by-the-merchant', shopkit_base_url: 'http://127.0.0.1:9/v1' };
    testKey = () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'currency')"));
    const answer = await post('/webhook/test-connection', form);
    expect([answer.status, answer.body]).toEqual([
      200,
      {
        success: false,
        error: 'connection_failed',
        message: 'the connection test could not be completed; the integrator can find why in the gateway log',
      },
    ]);
    expect(logs).toContain("reading 'currency'");
    expect(logs + JSON.stringify(answer.body)).not.toContain(form.shopkit_api_key);
  });

  it('masks the token and the form values of a lifecycle payload logged whole', () => {
    const lines: string[] = [];
    pino(
      { redact: { paths: SECRET_LOG_PATHS, censor: '[redacted]' } },
      { write: (line: string) => void lines.push(line) },
    ).info({ payload: installed }, 'lifecycle payload');
    expect(JSON.parse(lines[0] as string).payload).toEqual({
      ...installed,
      access_token: '[redacted]',
      configs: '[redacted]',
    });
  });

  it('serves the manifest, the health probe and no option for any remote resource', async () => {
    const manifest = (await (await request(`${base}/manifest`)).body.json()) as typeof INTEGRATION_MANIFEST;
    const fields = manifest.config_schema.steps[0].fields.map((f: Record<string, unknown>) => [
      f.key,
      f.type,
      f.sensitive,
      f.owner,
    ]);
    expect(fields).toEqual([
      ['shopkit_api_key', 'password', true, 'merchant'],
      ['shopkit_webhook_secret', 'password', true, 'merchant'],
      ['shopkit_base_url', 'url', undefined, 'integrator'],
    ]);
    expect(manifest.webhooks.lifecycle).toBe('/webhook/receive');
    const health = await request(`${base}/health`);
    expect([health.statusCode, await health.body.json()]).toEqual([200, { status: 'ok' }]);
    const remote = await post('/webhook/remote-data/countries', {});
    expect([remote.status, remote.body]).toEqual([200, { data: [] }]);
    expect((await post('/webhook/remote-data/countries', {}, 'wrong-secret-wrong')).status).toBe(401);
  });
});
