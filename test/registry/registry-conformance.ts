import { randomBytes } from 'node:crypto';
import {
  SelectQueryNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
} from 'kysely';
import { InstallationRegistry, openRegistryDatabase, type RegistryLocation } from '../../src/registry';
import { SecretBox, SecretDecryptionError } from '../../src/secrets/secret-box';

const KEY = 'a'.repeat(64);
const NEXT_KEY = 'b'.repeat(64);

/** Runs `between` after each read of the registry it is plugged into, before its next write: another process's write. */
class AfterEachRead implements KyselyPlugin {
  private readonly reads = new WeakSet<QueryId>();
  constructor(private readonly between: () => Promise<unknown>) {}
  transformQuery({ node, queryId }: PluginTransformQueryArgs) {
    if (SelectQueryNode.is(node)) this.reads.add(queryId);
    return node;
  }
  async transformResult({ queryId, result }: PluginTransformResultArgs) {
    if (this.reads.delete(queryId)) await this.between();
    return result;
  }
}

/**
 * One behaviour, two databases: every adapter of the registry runs this suite. `location()` gives a fresh,
 * empty database per call.
 */
export function describeRegistryConformance(name: string, location: () => Promise<RegistryLocation>): void {
  describe(`installation registry on ${name}`, () => {
    const opened: InstallationRegistry[] = [];
    const open = async (key = KEY, previous?: string, at?: RegistryLocation) => {
      const where = at ?? (await location());
      const registry = new InstallationRegistry(openRegistryDatabase(where), new SecretBox(key, previous));
      opened.push(registry);
      await registry.migrate();
      return { registry, where };
    };
    /** A registry rotating to NEXT_KEY, on a migrated database, with another process writing after each of its reads. */
    const rotatingWith = (where: RegistryLocation, between: () => Promise<unknown>) => {
      const db = openRegistryDatabase(where).withPlugin(new AfterEachRead(between));
      const registry = new InstallationRegistry(db, new SecretBox(NEXT_KEY, KEY));
      opened.push(registry);
      return registry;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((r) => r.close()));
    });

    const token = () => `int_${randomBytes(12).toString('hex')}`;
    const configs = {
      shopkit_api_key: 'sk-key-0001',
      shopkit_webhook_secret: 'whsec-0001',
      shopkit_base_url: 'http://127.0.0.1:9/v1',
    };

    it('migrates once: a second migration applies nothing', async () => {
      const { registry, where } = await open();
      const again = await open(KEY, undefined, where);
      expect(await again.registry.migrate()).toEqual([]);
      expect(await registry.list()).toEqual([]);
    });

    it('stores an installation inactive, derives its store id and hands back its secrets decrypted', async () => {
      const { registry } = await open();
      const accessToken = token();
      const installed = await registry.install({
        installationId: 'inst-42',
        accessToken,
        configs,
        shopName: 'Boutique',
      });
      expect(installed).toMatchObject({
        installationId: 'inst-42',
        storeId: 'inst-42',
        status: 'inactive',
        shopName: 'Boutique',
        shopkitBaseUrl: 'http://127.0.0.1:9/v1',
        secrets: { access_token: true, shopkit_api_key: true, shopkit_webhook_secret: true },
      });
      const found = await registry.secretsOfStore('inst-42');
      expect(found?.secrets).toEqual({ accessToken, shopkitApiKey: 'sk-key-0001', shopkitWebhookSecret: 'whsec-0001' });
      expect(JSON.stringify(await registry.list())).not.toContain(accessToken);
    });

    it('gives an installation id outside the store-id rule a stable digest as store id', async () => {
      const { registry } = await open();
      const a = await registry.install({ installationId: 'shop/42 ü', accessToken: token(), configs });
      expect(a.storeId).toMatch(/^inst-[0-9a-f]{32}$/);
      expect((await registry.findByStoreId(a.storeId))?.installationId).toBe('shop/42 ü');
    });

    it('keeps form values not sent again and replaces those sent, and a repeated access token', async () => {
      const { registry } = await open();
      await registry.install({ installationId: 'inst-7', accessToken: 'int_old', configs });
      await registry.updateConfigs('inst-7', { shopkit_api_key: 'sk-key-0002' }, 'int_new');
      expect((await registry.secretsOfStore('inst-7'))?.secrets).toEqual({
        accessToken: 'int_new',
        shopkitApiKey: 'sk-key-0002',
        shopkitWebhookSecret: 'whsec-0001',
      });
    });

    it('records status changes and the last error', async () => {
      const { registry } = await open();
      await registry.install({ installationId: 'inst-8', accessToken: token(), configs });
      await registry.setStatus('inst-8', 'active');
      expect((await registry.get('inst-8'))?.status).toBe('active');
      await registry.setStatus('inst-8', 'inactive', 'ShopkitAuthError: refused');
      expect(await registry.get('inst-8')).toMatchObject({
        status: 'inactive',
        lastError: 'ShopkitAuthError: refused',
      });
      await expect(registry.setStatus('nobody', 'active')).rejects.toThrow(
        'installation nobody is not in the registry',
      );
    });

    it('destroys every secret on uninstall and keeps the row; a re-install brings new ones', async () => {
      const { registry } = await open();
      await registry.install({ installationId: 'inst-9', accessToken: token(), configs });
      await registry.uninstall('inst-9');
      expect(await registry.get('inst-9')).toMatchObject({
        status: 'uninstalled',
        secrets: { access_token: false, shopkit_api_key: false, shopkit_webhook_secret: false },
      });
      expect(await registry.secretsOfStore('inst-9')).toBeUndefined();
      await registry.install({ installationId: 'inst-9', accessToken: 'int_again', configs });
      expect((await registry.secretsOfStore('inst-9'))?.secrets.accessToken).toBe('int_again');
      expect(await registry.remove('inst-9')).toBe(true);
      expect(await registry.remove('inst-9')).toBe(false);
      expect(await registry.list()).toEqual([]);
    });

    it('claims a delivery once, releases a failed one, takes over a dead claim and prunes expired ones', async () => {
      const { where } = await open();
      let clock = Date.parse('2026-03-01T12:00:00Z');
      const registry = new InstallationRegistry(openRegistryDatabase(where), new SecretBox(KEY), () => new Date(clock));
      opened.push(registry);
      const lease = 60_000;
      const retain = 600_000;
      const claim = (signature: string) =>
        registry.deliveries.claim(signature, 'inst-1', 'integration.activated', lease);

      // Two gateways racing on one delivery: one unique insert wins.
      expect(await Promise.all([claim('ab12'), claim('ab12')])).toEqual(expect.arrayContaining(['claimed', 'busy']));
      await registry.deliveries.release('ab12');
      expect(await claim('ab12')).toBe('claimed');
      await registry.deliveries.complete('ab12', retain);
      expect(await claim('ab12')).toBe('processed');
      await registry.deliveries.release('ab12');
      expect(await claim('ab12')).toBe('processed');

      // A claim whose holder died is taken over once its lease is over, by one caller.
      expect(await claim('cd34')).toBe('claimed');
      clock += lease + 1;
      expect(await claim('cd34')).toBe('claimed');
      expect(await claim('cd34')).toBe('busy');

      // Recording a delivery forgets those recorded longer ago than the retention, and only those.
      clock += retain - lease;
      await registry.deliveries.complete('cd34', retain);
      expect(await claim('ab12')).toBe('claimed');
      expect(await claim('cd34')).toBe('processed');
    });

    it('rotates: the previous key still decrypts, rotation re-encrypts, then the old key alone fails', async () => {
      const { registry, where } = await open(KEY);
      const accessToken = token();
      await registry.install({ installationId: 'inst-r', accessToken, configs });
      const rotating = await open(NEXT_KEY, KEY, where);
      expect((await rotating.registry.secretsOfStore('inst-r'))?.secrets.accessToken).toBe(accessToken);
      expect(await rotating.registry.rotateSecrets()).toEqual({ rotated: 3, skipped: 0 });
      expect(await rotating.registry.rotateSecrets()).toEqual({ rotated: 0, skipped: 0 });
      const newOnly = await open(NEXT_KEY, undefined, where);
      expect((await newOnly.registry.secretsOfStore('inst-r'))?.secrets.accessToken).toBe(accessToken);
      const oldOnly = await open(KEY, undefined, where);
      await expect(oldOnly.registry.secretsOfStore('inst-r')).rejects.toBeInstanceOf(SecretDecryptionError);
    });

    it('rotates without overwriting a secret written between its read and its write, re-reading that row', async () => {
      const { registry, where } = await open(KEY);
      await registry.install({ installationId: 'inst-a', accessToken: 'int_a', configs });
      await registry.install({ installationId: 'inst-b', accessToken: 'int_b', configs });
      // A gateway already on the new key stores a config_updated right after the rotation's first read.
      const gateway = await open(NEXT_KEY, KEY, where);
      let updates = 0;
      const rotating = rotatingWith(where, async () => {
        if (updates++ === 0) await gateway.registry.updateConfigs('inst-a', { shopkit_api_key: 'sk-key-new' });
      });
      // inst-a's new key is already sealed under NEXT_KEY: its two other secrets are rotated on the re-read.
      expect(await rotating.rotateSecrets()).toEqual({ rotated: 5, skipped: 0 });
      const newOnly = await open(NEXT_KEY, undefined, where);
      expect((await newOnly.registry.secretsOfStore('inst-a'))?.secrets).toEqual({
        accessToken: 'int_a',
        shopkitApiKey: 'sk-key-new',
        shopkitWebhookSecret: 'whsec-0001',
      });
      expect((await newOnly.registry.secretsOfStore('inst-b'))?.secrets.accessToken).toBe('int_b');
    });

    it('reports a row that keeps changing under the rotation as skipped, its last value kept', async () => {
      const { registry, where } = await open(KEY);
      await registry.install({ installationId: 'inst-a', accessToken: 'int_a', configs });
      await registry.install({ installationId: 'inst-b', accessToken: 'int_b', configs });
      // A process still on the old key writes inst-a after every read of the rotation.
      let version = 0;
      const rotating = rotatingWith(where, () =>
        registry.updateConfigs('inst-a', { shopkit_api_key: `sk-key-v${++version}` }),
      );
      expect(await rotating.rotateSecrets()).toEqual({ rotated: 3, skipped: 1 });
      expect(version).toBe(3);
      const both = await open(NEXT_KEY, KEY, where);
      expect((await both.registry.secretsOfStore('inst-a'))?.secrets.shopkitApiKey).toBe('sk-key-v3');
      expect(await both.registry.rotateSecrets()).toEqual({ rotated: 3, skipped: 0 });
    });
  });
}
