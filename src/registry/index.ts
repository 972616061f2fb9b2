export {
  InstallationRegistry,
  type Installation,
  type InstallationConfigs,
  type InstallationSecrets,
  type InstallInput,
  type RotationResult,
} from './installation-registry';
export { LifecycleDeliveries, type DeliveryClaim } from './lifecycle-deliveries';
export { openInstallationRegistry } from './open-registry';
export { loadRegistryConfig, registryEnabled, type RegistryConfig } from './registry-config';
export {
  DEFAULT_REGISTRY_URL,
  openRegistryDatabase,
  parseRegistryUrl,
  type RegistryLocation,
} from './registry-database';
export { INSTALLATION_STATUSES, type InstallationStatus } from './registry-schema';
export { combinedLookup, RegistryStoreLookup, type StoreLookup } from './store-lookup';
export { storeIdForInstallation } from './store-id';
export { openRegistryRuntime, type RegistryRuntime } from './registry-runtime';
