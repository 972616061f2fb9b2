import { createHash } from 'node:crypto';

/** The store-id rule of src/config.ts: ids appear in workflow ids, URLs and search attributes. */
const STORE_ID_RULE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * The store id of an installation: its `installation_id` when that already fits the store-id rule, else a
 * stable digest of it (the installation id is opaque and may hold anything).
 */
export function storeIdForInstallation(installationId: string): string {
  if (STORE_ID_RULE.test(installationId)) return installationId;
  return `inst-${createHash('sha256').update(installationId, 'utf8').digest('hex').slice(0, 32)}`;
}
