import { runCli } from '../support/processes';

describe('shopkit-sync with an invalid configuration', () => {
  it('exits 2 and lists every problem, without a stack trace', async () => {
    const { code, output } = await runCli(['worker'], {
      STORE_ID: '',
      SHOPKIT_API_KEY: '',
      SHOPKIT_WEBHOOK_SECRET: 'x',
      SHOPIMIND_BASE_URL: 'not a url',
      SHOPIMIND_API_KEY: 'spm-key-that-must-not-leak',
      TEMPORAL_TASK_QUEUE: 'q',
      STORES_FILE: '',
    });
    expect(code).toBe(2);
    expect(output).toContain('Invalid configuration:');
    expect(output).toMatch(/STORE_ID: storeId is required/);
    expect(output).toMatch(/SHOPKIT_API_KEY: shopkit.apiKey is required/);
    expect(output).toMatch(/SHOPIMIND_BASE_URL: shopimind.baseUrl must be an http\(s\) URL/);
    expect(output).not.toMatch(/\bat .*\.ts:\d+/);
    expect(output).not.toContain('spm-key-that-must-not-leak');
  });

  it('refuses to talk to Temporal without a payload key (fails closed), exit 2 before connecting', async () => {
    // The test run exports a key to every process; blank it as an operator who forgot it would.
    const { code, output } = await runCli(['status', 'shop-1'], {
      TEMPORAL_PAYLOAD_KEY: '',
      TEMPORAL_PAYLOAD_KEY_PREVIOUS: 'not-a-key',
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    expect(code).toBe(2);
    expect(output).toContain('TEMPORAL_PAYLOAD_KEY: TEMPORAL_PAYLOAD_KEY is required: 64 hex characters');
    expect(output).toContain('TEMPORAL_PAYLOAD_KEY_PREVIOUS: TEMPORAL_PAYLOAD_KEY_PREVIOUS must be 64 hex characters');
    expect(output).not.toContain('not reachable');
  });

  it.each(['worker', 'gateway'])(
    'refuses to start a %s in registry mode without SECRETS_KEY: exit 2 before opening the registry',
    async (command) => {
      // No store configured: the process serves the registry's installations, whose secrets need the key.
      const { code, output } = await runCli([command], {
        STORE_ID: '',
        STORES_FILE: '',
        SHOPKIT_API_KEY: '',
        SHOPKIT_WEBHOOK_SECRET: '',
        SHOPIMIND_API_KEY: '',
        REGISTRY_URL: 'sqlite::memory:',
        SECRETS_KEY: '',
        GATEWAY_ADMIN_TOKEN: 'admin-token-abcdefghijklmnop',
        GATEWAY_PORT: '1',
        TEMPORAL_ADDRESS: '127.0.0.1:1',
      });
      expect(code).toBe(2);
      expect(output).toContain(
        'SECRETS_KEY: SECRETS_KEY is required with the installation registry: 64 hex characters (openssl rand -hex 32)',
      );
      expect(output).not.toMatch(/\bat .*\.ts:\d+/);
    },
  );

  it('exits 2 on an option value that is not a number in range, naming the option', async () => {
    const { code, output } = await runCli(['demo', '--orders', 'many'], {});
    expect(code).toBe(2);
    expect(output).toMatch(/option '--orders <n>' argument 'many' is invalid/);
    expect(output).toMatch(/expected an integer of at least 1/);
  });

  it('exits 2 on an unknown option', async () => {
    const { code, output } = await runCli(['import', 'shop', '--no-such-flag'], {});
    expect(code).toBe(2);
    expect(output).toMatch(/unknown option/);
  });
});
