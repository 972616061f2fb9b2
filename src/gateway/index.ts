export { buildGateway, DEFAULT_BODY_LIMIT, type GatewayDeps } from './gateway';
export { loadGatewayConfig, redactGatewayConfig, type GatewayConfig } from './gateway-config';
export { runGateway } from './run-gateway';
export {
  DEFAULT_LIFECYCLE_TOLERANCE,
  signShopimindLifecycle,
  verifyShopimindLifecycle,
  type LifecycleSignatureOptions,
} from './shopimind-signature';
export { TemporalSyncBackend, type SyncBackend, type SyncStart, type TemporalSyncBackendOptions } from './sync-backend';
export { normaliseWebhook } from './webhook-events';
export {
  shopkitWebhookRegistrar,
  SYNC_WEBHOOK_EVENTS,
  type WebhookRegistrar,
  type WebhookRegistration,
} from './webhook-registration';
