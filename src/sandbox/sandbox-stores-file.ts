import { writeFileSync } from 'node:fs';
import type { ShopimindSimulator } from './shopimind-simulator';
import type { ShopkitSimulator } from './shopkit-simulator';

export interface SandboxStore {
  storeId: string;
  shopkit: Pick<ShopkitSimulator, 'baseUrl' | 'apiKey' | 'webhookSecret'>;
  shopimind: Pick<ShopimindSimulator, 'baseUrl' | 'apiKey'>;
  shopkitPerSecond: number;
  shopimindPerSecond: number;
}

/**
 * Writes a `STORES_FILE` (see src/config.ts) for stores served by the simulators, with quotas matching
 * theirs: the many-store counterpart of sandboxStoreEnv. It holds the simulators' keys: mode 0600.
 */
export function writeSandboxStoresFile(path: string, stores: SandboxStore[]): void {
  const entries = stores.map((store) => ({
    storeId: store.storeId,
    shopkit: {
      baseUrl: store.shopkit.baseUrl,
      apiKey: store.shopkit.apiKey,
      webhookSecret: store.shopkit.webhookSecret,
      quotaPerHour: store.shopkitPerSecond * 3600,
    },
    shopimind: {
      baseUrl: store.shopimind.baseUrl,
      apiKey: store.shopimind.apiKey,
      quotaPerMinute: store.shopimindPerSecond * 60,
    },
  }));
  writeFileSync(path, JSON.stringify({ stores: entries }), { mode: 0o600 });
}
