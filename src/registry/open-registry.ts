import { SecretBox } from '../secrets/secret-box';
import { InstallationRegistry } from './installation-registry';
import type { RegistryConfig } from './registry-config';
import { openRegistryDatabase } from './registry-database';

const MIGRATION_ATTEMPTS = 3;

/** Opens the registry named by the configuration and brings its schema up to date. */
export async function openInstallationRegistry(config: RegistryConfig): Promise<InstallationRegistry> {
  const registry = new InstallationRegistry(
    openRegistryDatabase(config.location),
    new SecretBox(config.secretsKey, config.secretsKeyPrevious),
  );
  try {
    await migrateRacing(registry);
  } catch (err) {
    await registry.close();
    throw err;
  }
  return registry;
}

/**
 * Kysely's migration lock is a no-op on SQLite, so a worker and a gateway starting together on a new file
 * may race; the loser fails (table exists, or busy) and, asked again, finds the schema already current.
 */
async function migrateRacing(registry: InstallationRegistry): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await registry.migrate();
      return;
    } catch (err) {
      if (attempt >= MIGRATION_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
