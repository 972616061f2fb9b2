import { redactConfig, type AppConfig } from '../config';
import type { Logger } from '../logging/logger';
import { lazyClient, payloadCodecFor } from '../temporal/temporal-client';
import { buildGateway } from './gateway';
import { loadGatewayConfig, redactGatewayConfig, type GatewayConfig } from './gateway-config';
import { openMarketplace } from './marketplace';
import { TemporalSyncBackend } from './sync-backend';
import { shopkitWebhookRegistrar } from './webhook-registration';

/**
 * Runs the gateway until SIGINT/SIGTERM. The Temporal connection is lazy: the gateway starts (and answers
 * 503, so Shopkit retries) while Temporal is down, and recovers by itself when it comes back.
 */
export async function runGateway(
  config: AppConfig,
  logger: Logger,
  gateway: GatewayConfig = loadGatewayConfig(),
): Promise<void> {
  logger.info({ config: redactConfig(config), gateway: redactGatewayConfig(gateway) }, 'starting gateway');
  const client = lazyClient(config.temporal);
  const marketplace = await openMarketplace({ config, gateway, client, logger });
  const app = buildGateway({
    stores: marketplace.stores,
    configuredStores: config.stores,
    backend: new TemporalSyncBackend(client, {
      taskQueue: config.temporal.taskQueue,
      callTimeoutMs: gateway.callTimeoutMs,
      syncSettings: definedOnly({
        ordersReconcileMs: gateway.ordersReconcileMs,
        scanIntervalMs: gateway.scanIntervalMs,
      }),
    }),
    adminToken: gateway.adminToken,
    publicUrl: gateway.publicUrl,
    bodyLimit: gateway.bodyLimit,
    shopimindWebhookSecret: gateway.shopimindWebhookSecret,
    lifecycleTolerance: {
      pastToleranceS: gateway.lifecycleToleranceS,
      futureToleranceS: Math.min(60, gateway.lifecycleToleranceS),
    },
    requireActivation: gateway.requireActivation,
    syncStart: marketplace.syncStart,
    registerWebhooks: shopkitWebhookRegistrar(marketplace.stores),
    installations: marketplace.installations,
    ...(gateway.codecToken && {
      codec: {
        codec: payloadCodecFor(config.temporal),
        token: gateway.codecToken,
        namespace: config.temporal.namespace,
        corsOrigins: gateway.codecCorsOrigins,
      },
    }),
    logger,
  });
  await app.listen({ host: gateway.host, port: gateway.port });
  logger.info({ address: app.server.address() }, 'gateway listening');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  logger.info('gateway stopping');
  await app.close();
  await marketplace.close();
  await client.connection.close();
}

/** The settings given, leaving the workflow's defaults for the rest. */
function definedOnly<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Partial<T>;
}
