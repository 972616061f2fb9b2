import { SecretBox } from '../secrets/secret-box';
import { InstallationRegistry } from './installation-registry';
import type { RegistryConfig } from './registry-config';
import { openRegistryDatabase } from './registry-database';

/** Opens the registry named by the configuration and brings its schema up to date. */
export async function openInstallationRegistry(config: RegistryConfig): Promise<InstallationRegistry> {
  const registry = new InstallationRegistry(
    openRegistryDatabase(config.location),
    new SecretBox(config.secretsKey, config.secretsKeyPrevious),
  );
  try {
    await registry.migrate();
  } catch (err) {
    await registry.close();
    throw err;
  }
  return registry;
}
