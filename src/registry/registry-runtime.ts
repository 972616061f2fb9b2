import type { InstallationRegistry } from './installation-registry';
import { openInstallationRegistry } from './open-registry';
import { loadRegistryConfig, registryEnabled } from './registry-config';
import { RegistryStoreLookup } from './store-lookup';

/** A process's handle on the installation registry: the registry and its cached store lookup. */
export interface RegistryRuntime {
  registry: InstallationRegistry;
  lookup: RegistryStoreLookup;
}

/** The registry when this process serves installations (see {@link registryEnabled}), else undefined. */
export async function openRegistryRuntime(
  env: Record<string, string | undefined> = process.env,
): Promise<RegistryRuntime | undefined> {
  if (!registryEnabled(env)) return undefined;
  const config = loadRegistryConfig(env);
  const registry = await openInstallationRegistry(config);
  return { registry, lookup: new RegistryStoreLookup(registry, config.defaults, config.cacheMs) };
}
