import { ConfigError } from '../../src/config';
import { loadRegistryConfig, parseRegistryUrl, registryEnabled } from '../../src/registry';

const KEY = 'c3'.repeat(32);

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadRegistryConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('configuration was accepted');
}

describe('parseRegistryUrl', () => {
  it.each([
    ['sqlite:.data/registry.sqlite', { kind: 'sqlite', path: '.data/registry.sqlite' }],
    ['sqlite:///var/lib/registry.sqlite', { kind: 'sqlite', path: '/var/lib/registry.sqlite' }],
    ['sqlite::memory:', { kind: 'sqlite', path: ':memory:' }],
    ['postgres://sync:pw@db:5432/registry', { kind: 'postgres', url: 'postgres://sync:pw@db:5432/registry' }],
    ['postgresql://db/registry', { kind: 'postgres', url: 'postgresql://db/registry' }],
  ])('reads %s', (url, location) => {
    expect(parseRegistryUrl(url)).toEqual(location);
  });

  it.each(['sqlite:', 'mysql://db/registry', 'registry.sqlite', 'postgres:db'])('refuses %s', (url) => {
    expect(parseRegistryUrl(url)).toBeUndefined();
  });
});

describe('loadRegistryConfig', () => {
  it('defaults to the SQLite file under .data and the documented cache and quotas', () => {
    expect(loadRegistryConfig({ SECRETS_KEY: KEY })).toEqual({
      location: { kind: 'sqlite', path: '.data/registry.sqlite' },
      secretsKey: KEY,
      secretsKeyPrevious: undefined,
      cacheMs: 5_000,
      defaults: {
        shopimindBaseUrl: 'https://core.shopimind.com/v1',
        shopkitQuotaPerHour: 3600,
        shopimindQuotaPerMinute: 600,
      },
    });
  });

  it('reads a PostgreSQL URL, the previous key and the cache delay', () => {
    const config = loadRegistryConfig({
      REGISTRY_URL: ' postgres://sync:pw@db:5432/registry ',
      SECRETS_KEY: KEY,
      SECRETS_KEY_PREVIOUS: 'd4'.repeat(32),
      REGISTRY_CACHE_MS: '250',
    });
    expect([config.location, config.secretsKeyPrevious, config.cacheMs]).toEqual([
      { kind: 'postgres', url: 'postgres://sync:pw@db:5432/registry' },
      'd4'.repeat(32),
      250,
    ]);
  });

  it('refuses a missing or blank SECRETS_KEY with the way to make one', () => {
    for (const SECRETS_KEY of [undefined, '', '  ']) {
      expect(problemsOf({ SECRETS_KEY })).toEqual([
        'SECRETS_KEY: SECRETS_KEY is required with the installation registry: 64 hex characters (openssl rand -hex 32)',
      ]);
    }
    expect(problemsOf({ SECRETS_KEY: 'not-hex', SECRETS_KEY_PREVIOUS: 'abc' })).toEqual([
      'SECRETS_KEY: SECRETS_KEY must be 64 hex characters (openssl rand -hex 32)',
      'SECRETS_KEY_PREVIOUS: SECRETS_KEY_PREVIOUS must be 64 hex characters (openssl rand -hex 32)',
    ]);
  });

  it('refuses a REGISTRY_URL that is neither sqlite: nor postgres://, without echoing it', () => {
    const problems = problemsOf({ REGISTRY_URL: 'mysql://user:hunter2@db/registry', SECRETS_KEY: KEY });
    expect(problems).toEqual(['REGISTRY_URL: expected sqlite:<path> or postgres://…']);
  });
});

describe('registryEnabled', () => {
  it('is on with REGISTRY_URL or with no store configured, off for one configured store', () => {
    expect(registryEnabled({})).toBe(true);
    expect(registryEnabled({ STORE_ID: '', STORES_FILE: ' ' })).toBe(true);
    expect(registryEnabled({ STORE_ID: 'shop-1' })).toBe(false);
    expect(registryEnabled({ STORES_FILE: 'stores.json' })).toBe(false);
    expect(registryEnabled({ STORE_ID: 'shop-1', REGISTRY_URL: 'sqlite:r.sqlite' })).toBe(true);
  });
});
