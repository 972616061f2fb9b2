import type { Command } from 'commander';
import { z } from 'zod';
import { TemporalSyncBackend } from '../gateway/sync-backend';
import { shopkitWebhookRegistrar, shopkitWebhookRemover } from '../gateway/webhook-registration';
import { temporalConnectionCheck } from '../integration/connection-check';
import { InstallationLifecycle } from '../integration/installation-lifecycle';
import type { IntegrationEventName } from '../integration/lifecycle-events';
import { INTEGRATION_MANIFEST } from '../integration/manifest';
import {
  loadRegistryConfig,
  openInstallationRegistry,
  RegistryStoreLookup,
  type Installation,
  type InstallationRegistry,
} from '../registry';
import { CliExit, EXIT } from './exit-codes';
import { withTemporalClient } from './temporal-client';

interface Opened {
  registry: InstallationRegistry;
  lookup: RegistryStoreLookup;
}

/** The registry of `REGISTRY_URL` (whatever else the environment configures), closed after `body`. */
async function withRegistry<T>(body: (opened: Opened) => Promise<T>): Promise<T> {
  const config = loadRegistryConfig();
  const registry = await openInstallationRegistry(config);
  try {
    return await body({ registry, lookup: new RegistryStoreLookup(registry, config.defaults, 0) });
  } finally {
    await registry.close();
  }
}

/** By installation id, else by store id. */
async function find(registry: InstallationRegistry, id: string): Promise<Installation> {
  const found = (await registry.get(id)) ?? (await registry.findByStoreId(id));
  if (!found) throw new CliExit(`No installation ${id} in the registry`, EXIT.failure);
  return found;
}

/** Runs a lifecycle event through the same code as the gateway's `/webhook/receive`, from this process. */
async function runLifecycle(opened: Opened, installationId: string, event: IntegrationEventName): Promise<void> {
  const publicUrl = z
    .url()
    .optional()
    .parse(process.env.GATEWAY_PUBLIC_URL || undefined);
  await withTemporalClient(async (client, runtime) => {
    const lifecycle = new InstallationLifecycle({
      registry: opened.registry,
      backend: new TemporalSyncBackend(client, { taskQueue: runtime.temporal.taskQueue }),
      checkConnection: temporalConnectionCheck(client, runtime.temporal.taskQueue),
      registerWebhooks: shopkitWebhookRegistrar(opened.lookup),
      removeWebhooks: shopkitWebhookRemover(opened.lookup),
      publicUrl,
      changed: (storeId) => opened.lookup.invalidate(storeId),
    });
    const outcome = await lifecycle.handle({ event, installationId });
    if (!outcome.success) {
      const lastError = (await opened.registry.get(installationId))?.lastError;
      throw new CliExit(`${event} refused: ${outcome.error}${lastError ? ` (${lastError})` : ''}`, EXIT.failure);
    }
  });
}

function describe(installation: Installation): string {
  const held = Object.entries(installation.secrets)
    .filter(([, present]) => present)
    .map(([name]) => name);
  return [
    `store ${installation.storeId} (installation ${installation.installationId}): ${installation.status}`,
    `  shop:     ${installation.shopName ?? '-'} ${installation.shopDomain ?? ''}`.trimEnd(),
    `  shopkit:  ${installation.shopkitBaseUrl}`,
    `  secrets:  ${held.length > 0 ? held.join(', ') : 'none (destroyed)'}`,
    `  updated:  ${installation.updatedAt}${installation.lastError ? `\n  error:    ${installation.lastError}` : ''}`,
  ].join('\n');
}

function print(value: unknown, json: boolean | undefined, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

/** Secrets come from the environment, never from arguments (which shells keep in their history). */
const SecretsFromEnv = z.object({
  SHOPIMIND_API_KEY: z.string({ error: 'SHOPIMIND_API_KEY (the access token) is required' }).min(1),
  SHOPKIT_API_KEY: z.string({ error: 'SHOPKIT_API_KEY is required' }).min(1),
  SHOPKIT_WEBHOOK_SECRET: z.string({ error: 'SHOPKIT_WEBHOOK_SECRET is required' }).min(1),
});

export function registerStoresCommands(program: Command): void {
  const stores = program
    .command('stores')
    .description('The installation registry (REGISTRY_URL, SECRETS_KEY); secrets are never printed');

  stores
    .command('list')
    .description('Every installation: store id, status, shop, which secrets are held')
    .option('--json', 'print the installations as JSON')
    .action((opts: { json?: boolean }) =>
      withRegistry(async ({ registry }) => {
        const all = await registry.list();
        const lines = all.map((i) => `${i.storeId}\t${i.status}\t${i.installationId}\t${i.shopName ?? '-'}`);
        print(
          all,
          opts.json,
          lines.length > 0 ? ['STORE\tSTATUS\tINSTALLATION\tSHOP', ...lines].join('\n') : 'no installation',
        );
      }),
    );

  stores
    .command('show')
    .description('One installation, by installation id or store id')
    .argument('<id>')
    .option('--json', 'print it as JSON')
    .action((id: string, opts: { json?: boolean }) =>
      withRegistry(async ({ registry }) => {
        const installation = await find(registry, id);
        print(installation, opts.json, describe(installation));
      }),
    );

  stores
    .command('add')
    .description(
      'Add an installation by hand (self-hosted): keys from SHOPIMIND_API_KEY, SHOPKIT_API_KEY, SHOPKIT_WEBHOOK_SECRET',
    )
    .argument('<installationId>', 'its store id too when it fits the store-id rule')
    .option('--shop-name <name>')
    .option('--shopkit-base-url <url>', 'Shopkit API base (default the public API)')
    .option('--activate', 'then activate it as ShopiMind would: connection check, webhooks, import, sync')
    .action(
      async (installationId: string, opts: { shopName?: string; shopkitBaseUrl?: string; activate?: boolean }) => {
        const env = SecretsFromEnv.safeParse(process.env);
        if (!env.success) throw new CliExit(env.error.issues.map((i) => i.message).join('\n'), EXIT.usage);
        await withRegistry(async (opened) => {
          const installation = await opened.registry.install({
            installationId,
            accessToken: env.data.SHOPIMIND_API_KEY,
            configs: {
              shopkit_api_key: env.data.SHOPKIT_API_KEY,
              shopkit_webhook_secret: env.data.SHOPKIT_WEBHOOK_SECRET,
              shopkit_base_url: opts.shopkitBaseUrl,
            },
            shopName: opts.shopName,
          });
          if (opts.activate) await runLifecycle(opened, installationId, 'integration.activated');
          print(null, false, describe(await find(opened.registry, installation.installationId)));
        });
      },
    );

  stores
    .command('remove')
    .description('Uninstall (sync ended, import cancelled, Shopkit webhooks deleted) and forget an installation')
    .argument('<id>', 'installation id or store id')
    .action((id: string) =>
      withRegistry(async (opened) => {
        const installation = await find(opened.registry, id);
        if (installation.status !== 'uninstalled') {
          await runLifecycle(opened, installation.installationId, 'integration.uninstalled');
        }
        await opened.registry.remove(installation.installationId);
        print(null, false, `removed ${installation.storeId}`);
      }),
    );

  program
    .command('secrets')
    .description('Secrets at rest')
    .command('rotate')
    .description('Re-encrypt every secret under SECRETS_KEY (SECRETS_KEY_PREVIOUS still decrypts the old ones)')
    .action(() =>
      withRegistry(async ({ registry }) => {
        const { rotated, skipped } = await registry.rotateSecrets();
        print(null, false, `re-encrypted ${rotated} secrets under the current SECRETS_KEY`);
        if (skipped > 0) {
          throw new CliExit(
            `${skipped} installation(s) changed during the rotation and were left as they were: run it again`,
            EXIT.failure,
          );
        }
      }),
    );

  program
    .command('manifest')
    .description("The integration's manifest for ShopiMind (also GET /manifest on the gateway)")
    .action(() => print(null, false, JSON.stringify(INTEGRATION_MANIFEST, null, 2)));
}
