import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { InstallationRegistry, openRegistryDatabase } from '../../src/registry';
import { SecretBox } from '../../src/secrets/secret-box';
import { connectClient } from '../../src/temporal/temporal-client';
import { runCli } from '../support/processes';
import { terminateStoreWorkflows } from '../support/store-workflows';
import { testTemporalSettings } from '../support/temporal';

jest.setTimeout(120_000);

const OLD_KEY = randomBytes(32).toString('hex');
const NEW_KEY = randomBytes(32).toString('hex');
const SECRETS = {
  SHOPIMIND_API_KEY: 'int_cli_access_token_0123456789',
  SHOPKIT_API_KEY: 'shopkit-cli-key-9876543210',
  SHOPKIT_WEBHOOK_SECRET: 'shopkit-cli-webhook-secret-24680',
};

describe('shopkit-sync stores / secrets / manifest', () => {
  let dir: string;
  let client: Client;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stores-cli-'));
    client = await connectClient(testTemporalSettings());
  });
  afterAll(async () => {
    await terminateStoreWorkflows(client, 'shop-cli');
    await client.connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds, lists, shows, rotates and removes an installation without printing a secret', async () => {
    const env = {
      REGISTRY_URL: `sqlite:${join(dir, 'registry.sqlite')}`,
      SECRETS_KEY: OLD_KEY,
      TEMPORAL_ADDRESS: testTemporalSettings().address,
      TEMPORAL_TASK_QUEUE: `stores-cli-${process.pid}`,
    };
    const outputs: string[] = [];
    const cli = async (args: string[], extra: Record<string, string> = {}) => {
      const result = await runCli(args, { ...env, ...extra });
      outputs.push(result.output);
      return result;
    };

    const missing = await cli(['stores', 'add', 'shop-cli']);
    expect([missing.code, missing.output.trim()]).toEqual([
      2,
      expect.stringContaining('SHOPIMIND_API_KEY (the access token) is required'),
    ]);
    const added = await cli(['stores', 'add', 'shop-cli', '--shop-name', 'CLI shop'], SECRETS);
    expect(added.code).toBe(0);
    expect(added.output).toContain('store shop-cli (installation shop-cli): inactive');
    expect(added.output).toContain('secrets:  access_token, shopkit_api_key, shopkit_webhook_secret');

    const table = await cli(['stores', 'list']);
    expect([table.code, table.output.trim().split('\n')]).toEqual([
      0,
      ['STORE\tSTATUS\tINSTALLATION\tSHOP', 'shop-cli\tinactive\tshop-cli\tCLI shop'],
    ]);
    const described = await cli(['stores', 'show', 'shop-cli']);
    expect(described.code).toBe(0);
    expect(described.output).toMatch(/^store shop-cli \(installation shop-cli\): inactive\n {2}shop: {5}CLI shop\n/);
    expect(described.output).toContain('shopkit:  https://api.shopk.it/v1');
    expect(described.output).toContain('secrets:  access_token, shopkit_api_key, shopkit_webhook_secret');

    const listed = await cli(['stores', 'list', '--json']);
    expect(JSON.parse(listed.output)).toEqual([
      expect.objectContaining({
        storeId: 'shop-cli',
        status: 'inactive',
        shopName: 'CLI shop',
        shopkitBaseUrl: 'https://api.shopk.it/v1',
      }),
    ]);

    const rotated = await cli(['secrets', 'rotate'], { SECRETS_KEY: NEW_KEY, SECRETS_KEY_PREVIOUS: OLD_KEY });
    expect([rotated.code, rotated.output.trim()]).toEqual([0, 're-encrypted 3 secrets under the current SECRETS_KEY']);
    const registry = new InstallationRegistry(
      openRegistryDatabase({ kind: 'sqlite', path: join(dir, 'registry.sqlite') }),
      new SecretBox(NEW_KEY),
    );
    try {
      expect((await registry.secretsOfStore('shop-cli'))?.secrets.accessToken).toBe(SECRETS.SHOPIMIND_API_KEY);
    } finally {
      await registry.close();
    }

    const removed = await cli(['stores', 'remove', 'shop-cli'], { SECRETS_KEY: NEW_KEY });
    expect([removed.code, removed.output.trim()]).toEqual([0, 'removed shop-cli']);
    const shown = await cli(['stores', 'show', 'shop-cli'], { SECRETS_KEY: NEW_KEY });
    expect([shown.code, shown.output.trim()]).toEqual([1, 'No installation shop-cli in the registry']);

    const manifest = await cli(['manifest']);
    expect(JSON.parse(manifest.output)).toMatchObject({ manifest_version: 1, slug: 'shopkit' });
    for (const secret of Object.values(SECRETS)) expect(outputs.join('\n')).not.toContain(secret);
  });
});
