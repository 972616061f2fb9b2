import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig, redactConfig, SECRET_LOG_PATHS } from '../../src/config';

const PAYLOAD_KEY = 'ab'.repeat(32);
const validEnv = {
  TEMPORAL_PAYLOAD_KEY: PAYLOAD_KEY,
  STORE_ID: 'shop-1',
  SHOPKIT_API_KEY: 'sk-secret-key',
  SHOPKIT_WEBHOOK_SECRET: 'whsec-secret',
  SHOPIMIND_API_KEY: 'spm-secret-key',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('configuration was accepted');
}

describe('loadConfig', () => {
  it('reads one store from the environment with documented defaults', () => {
    const config = loadConfig(validEnv);
    expect(config.temporal).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'shopkit-shopimind',
      payloadKey: PAYLOAD_KEY,
    });
    expect(config.stores.get('shop-1')).toEqual({
      storeId: 'shop-1',
      shopkit: {
        baseUrl: 'https://api.shopk.it/v1',
        apiKey: 'sk-secret-key',
        webhookSecret: 'whsec-secret',
        quotaPerHour: 3600,
      },
      shopimind: { baseUrl: 'https://core.shopimind.com/v1', apiKey: 'spm-secret-key', quotaPerMinute: 600 },
    });
  });

  it('lists every problem at once, by variable name', () => {
    const problems = problemsOf({
      STORE_ID: 'bad id!',
      SHOPKIT_BASE_URL: 'ftp://nope',
      SHOPKIT_QUOTA_PER_HOUR: '-5',
      SHOPIMIND_API_KEY: '',
      LOG_LEVEL: 'loud',
      TEMPORAL_PAYLOAD_KEY_PREVIOUS: 'not-hex',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'TEMPORAL_PAYLOAD_KEY: TEMPORAL_PAYLOAD_KEY is required: 64 hex characters (openssl rand -hex 32)',
        'TEMPORAL_PAYLOAD_KEY_PREVIOUS: TEMPORAL_PAYLOAD_KEY_PREVIOUS must be 64 hex characters (openssl rand -hex 32)',
        expect.stringMatching(/^LOG_LEVEL: /),
        expect.stringMatching(/^STORE_ID: /),
        expect.stringMatching(/^SHOPKIT_BASE_URL: /),
        expect.stringMatching(/^SHOPKIT_API_KEY: .*required/),
        expect.stringMatching(/^SHOPKIT_WEBHOOK_SECRET: .*required/),
        expect.stringMatching(/^SHOPKIT_QUOTA_PER_HOUR: /),
        expect.stringMatching(/^SHOPIMIND_API_KEY: .*required/),
      ]),
    );
    expect(problems).toHaveLength(9);
  });

  it('takes a prebuilt workflow bundle only if the file exists', () => {
    const bundle = join(mkdtempSync(join(tmpdir(), 'bundle-')), 'workflow-bundle.js');
    expect(problemsOf({ ...validEnv, WORKFLOW_BUNDLE: bundle })).toEqual([
      'WORKFLOW_BUNDLE: WORKFLOW_BUNDLE names no file: build it with npm run build',
    ]);
    writeFileSync(bundle, '// bundle');
    expect(loadConfig({ ...validEnv, WORKFLOW_BUNDLE: bundle }).workflowBundle).toBe(bundle);
    expect(loadConfig({ ...validEnv, WORKFLOW_BUNDLE: '' }).workflowBundle).toBeUndefined();
  });

  it('reads many stores from STORES_FILE and reports bad entries by index', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stores-'));
    const file = join(dir, 'stores.json');
    const store = (storeId: string) => ({
      storeId,
      shopkit: { apiKey: 'k', webhookSecret: 's' },
      shopimind: { apiKey: 'm', quotaPerMinute: 60 },
    });
    writeFileSync(file, JSON.stringify({ stores: [store('a'), store('b')] }));
    expect([...loadConfig({ STORES_FILE: file, TEMPORAL_PAYLOAD_KEY: PAYLOAD_KEY }).stores.keys()]).toEqual(['a', 'b']);

    writeFileSync(file, JSON.stringify([store('a'), { storeId: 'c', shopkit: {} }, store('a')]));
    expect(problemsOf({ STORES_FILE: file, TEMPORAL_PAYLOAD_KEY: PAYLOAD_KEY })).toEqual([
      'STORES_FILE stores[1].shopkit.apiKey: shopkit.apiKey is required',
      'STORES_FILE stores[1].shopkit.webhookSecret: shopkit.webhookSecret is required',
      'STORES_FILE stores[1].shopimind: Invalid input: expected object, received undefined',
      'STORES_FILE stores[2].storeId: "a" is defined twice',
    ]);

    writeFileSync(file, '{not json');
    expect(problemsOf({ STORES_FILE: file, TEMPORAL_PAYLOAD_KEY: PAYLOAD_KEY })[0]).toMatch(/cannot be read as JSON/);
  });

  it('redacts every secret when the configuration is printed', () => {
    const previous = 'cd'.repeat(32);
    const printed = JSON.stringify(redactConfig(loadConfig({ ...validEnv, TEMPORAL_PAYLOAD_KEY_PREVIOUS: previous })));
    expect(printed).not.toMatch(/secret-key|whsec-secret/);
    expect(printed).not.toContain(PAYLOAD_KEY);
    expect(printed).not.toContain(previous);
    expect(printed).toContain('[redacted]');
    expect(printed).toContain('shop-1');
  });

  it('masks payload keys in logs even when an unredacted configuration is logged', () => {
    const lines: string[] = [];
    const previous = 'cd'.repeat(32);
    const config = loadConfig({ ...validEnv, TEMPORAL_PAYLOAD_KEY_PREVIOUS: previous });
    pino(
      { redact: { paths: SECRET_LOG_PATHS, censor: '[redacted]' } },
      { write: (line: string) => void lines.push(line) },
    ).info({ config: { temporal: config.temporal }, temporal: config.temporal }, 'configuration');
    expect(lines[0]).not.toContain(PAYLOAD_KEY);
    expect(lines[0]).not.toContain(previous);
    const logged = JSON.parse(lines[0] as string) as { config: { temporal: Record<string, string> } };
    expect(logged.config.temporal.payloadKey).toBe('[redacted]');
    expect(logged.config.temporal.address).toBe('127.0.0.1:7233');
  });
});
