import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InstallationRegistry, openRegistryDatabase } from '../../src/registry';
import { SecretBox } from '../../src/secrets/secret-box';
import { describeRegistryConformance } from './registry-conformance';

const dir = mkdtempSync(join(tmpdir(), 'registry-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeRegistryConformance('SQLite', () => Promise.resolve({ kind: 'sqlite', path: join(dir, `r${++files}.sqlite`) }));

describe('the SQLite file', () => {
  it('never holds a secret in clear', async () => {
    const path = join(dir, 'clear.sqlite');
    const registry = new InstallationRegistry(
      openRegistryDatabase({ kind: 'sqlite', path }),
      new SecretBox('c'.repeat(64)),
    );
    await registry.migrate();
    const secrets = ['int_0123456789abcdef0123', 'shopkit-key-9876543210', 'webhook-secret-24680'];
    await registry.install({
      installationId: 'inst-file',
      accessToken: secrets[0] as string,
      configs: { shopkit_api_key: secrets[1], shopkit_webhook_secret: secrets[2] },
    });
    await registry.close();
    const bytes = readdirSync(dir)
      .filter((name) => name.startsWith('clear.sqlite'))
      .map((name) => readFileSync(join(dir, name)).toString('latin1'))
      .join('');
    expect(bytes).toContain('inst-file');
    for (const secret of secrets) expect(bytes).not.toContain(secret);
  });
});
