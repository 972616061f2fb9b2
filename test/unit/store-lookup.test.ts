import { InstallationRegistry, openRegistryDatabase, RegistryStoreLookup, combinedLookup } from '../../src/registry';
import { StoreConfigSchema } from '../../src/config';
import { SecretBox } from '../../src/secrets/secret-box';

const defaults = {
  shopimindBaseUrl: 'http://127.0.0.1:2/v1',
  shopkitQuotaPerHour: 7200,
  shopimindQuotaPerMinute: 1200,
};
const configs = { shopkit_api_key: 'sk-1', shopkit_webhook_secret: 'wh-1', shopkit_base_url: 'http://127.0.0.1:1/v1' };

describe('RegistryStoreLookup', () => {
  let registry: InstallationRegistry;
  let clock: number;
  let lookup: RegistryStoreLookup;
  beforeEach(async () => {
    registry = new InstallationRegistry(
      openRegistryDatabase({ kind: 'sqlite', path: ':memory:' }),
      new SecretBox('7'.repeat(64)),
    );
    await registry.migrate();
    clock = 0;
    lookup = new RegistryStoreLookup(registry, defaults, 5_000, () => clock);
  });
  afterEach(() => registry.close());

  it('builds the store from the installation and the deployment defaults', async () => {
    await registry.install({ installationId: 'shop-1', accessToken: 'int_token_1', configs });
    expect(await lookup.get('shop-1')).toEqual({
      storeId: 'shop-1',
      shopkit: { baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'sk-1', webhookSecret: 'wh-1', quotaPerHour: 7200 },
      shopimind: { baseUrl: 'http://127.0.0.1:2/v1', apiKey: 'int_token_1', quotaPerMinute: 1200 },
    });
  });

  it('trusts what it read for the TTL, unless asked for a fresh read or told the store changed', async () => {
    expect(await lookup.get('shop-1')).toBeUndefined();
    await registry.install({ installationId: 'shop-1', accessToken: 'int_token_1', configs });
    clock = 4_999;
    expect(await lookup.get('shop-1')).toBeUndefined();
    expect((await lookup.get('shop-1', { fresh: true }))?.shopkit.apiKey).toBe('sk-1');
    await registry.updateConfigs('shop-1', { shopkit_api_key: 'sk-2' });
    expect((await lookup.get('shop-1'))?.shopkit.apiKey).toBe('sk-1');
    lookup.invalidate('shop-1');
    expect((await lookup.get('shop-1'))?.shopkit.apiKey).toBe('sk-2');
    await registry.uninstall('shop-1');
    clock += 5_000;
    expect(await lookup.get('shop-1')).toBeUndefined();
  });

  it('does not remember a failed read, and lets configured stores win', async () => {
    await registry.install({ installationId: 'shop-2', accessToken: 'int_token_2', configs });
    const failing = new RegistryStoreLookup(registry, defaults, 5_000, () => clock);
    jest.spyOn(registry, 'secretsOfStore').mockRejectedValueOnce(new Error('database is locked'));
    await expect(failing.get('shop-2')).rejects.toThrow('database is locked');
    expect((await failing.get('shop-2'))?.shopimind.apiKey).toBe('int_token_2');

    const configured = StoreConfigSchema.parse({
      storeId: 'shop-2',
      shopkit: { apiKey: 'env-key', webhookSecret: 'env-secret' },
      shopimind: { apiKey: 'env-spm' },
    });
    const both = combinedLookup(new Map([['shop-2', configured]]), lookup);
    expect((await both.get('shop-2'))?.shopkit.apiKey).toBe('env-key');
  });
});
