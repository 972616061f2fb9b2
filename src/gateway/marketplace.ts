import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config';
import { temporalConnectionCheck } from '../integration/connection-check';
import { InstallationLifecycle } from '../integration/installation-lifecycle';
import { shopkitKeyWorks } from '../integration/shopkit-key-check';
import type { Logger } from '../logging/logger';
import { combinedLookup, openRegistryRuntime, type StoreLookup } from '../registry';
import type { GatewayConfig } from './gateway-config';
import type { InstallationRoutesDeps } from './installation-routes';
import type { SyncBackend, SyncStart } from './sync-backend';
import { shopkitWebhookRegistrar, shopkitWebhookRemover } from './webhook-registration';

export interface Marketplace {
  /** The configured stores, then the registry's installations. */
  stores: StoreLookup;
  /** An installation's sync starts inactive unless the registry says it is active; undefined for other stores. */
  syncStart?: (storeId: string) => Promise<SyncStart> | undefined;
  /** The marketplace routes, given the gateway's backend; undefined without the registry or ShopiMind's secret. */
  installations?: (backend: SyncBackend) => InstallationRoutesDeps;
  close(): Promise<void>;
}

/**
 * The gateway's side of the installation registry: store lookups through its cache, and the lifecycle
 * routes wired to Temporal (connection checks run `checkConnectionWorkflow` on a worker, like the CLI's).
 */
export async function openMarketplace(options: {
  config: AppConfig;
  gateway: GatewayConfig;
  client: Client;
  logger: Logger;
}): Promise<Marketplace> {
  const { config, gateway, client, logger } = options;
  const runtime = await openRegistryRuntime();
  const stores = combinedLookup(config.stores, runtime?.lookup);
  if (!runtime) return { stores, close: () => Promise.resolve() };
  const close = () => runtime.registry.close();
  const syncStart = (storeId: string): Promise<SyncStart> | undefined => {
    if (config.stores.has(storeId)) return undefined;
    return runtime.registry.findByStoreId(storeId).then((found) => ({ requireActivation: found?.status !== 'active' }));
  };
  const secrets = [gateway.shopimindWebhookSecret, gateway.shopimindWebhookSecretPrevious].filter(
    (secret): secret is string => secret !== undefined,
  );
  if (secrets.length === 0) {
    logger.warn('SHOPIMIND_WEBHOOK_SECRET is not set: the marketplace routes (/webhook/*) are off');
    return { stores, syncStart, close };
  }
  const installations = (backend: SyncBackend): InstallationRoutesDeps => ({
    lifecycle: new InstallationLifecycle({
      registry: runtime.registry,
      backend,
      checkConnection: temporalConnectionCheck(client, config.temporal.taskQueue),
      registerWebhooks: shopkitWebhookRegistrar(stores),
      removeWebhooks: shopkitWebhookRemover(stores),
      publicUrl: gateway.publicUrl,
      changed: (storeId) => runtime.lookup.invalidate(storeId),
      logger,
    }),
    registry: runtime.registry,
    secrets,
    tolerance: {
      pastToleranceS: gateway.lifecycleToleranceS,
      futureToleranceS: Math.min(60, gateway.lifecycleToleranceS),
    },
    testShopkitKey: shopkitKeyWorks,
    temporalReady: () => backend.ready(),
    logger,
  });
  return { stores, syncStart, installations, close };
}
