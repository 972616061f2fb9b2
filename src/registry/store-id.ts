import { createHash } from 'node:crypto';
import { STORE_ID_PATTERN } from '../config';

/**
 * The store id of an installation: its `installation_id` when that already fits the store-id rule, else a
 * stable digest of it (the installation id is opaque and may hold anything).
 */
export function storeIdForInstallation(installationId: string): string {
  if (STORE_ID_PATTERN.test(installationId)) return installationId;
  return `inst-${createHash('sha256').update(installationId, 'utf8').digest('hex').slice(0, 32)}`;
}
