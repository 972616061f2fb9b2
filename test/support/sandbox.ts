import { sandboxStoreEnv } from '../../src/sandbox/sandbox-env';
import type { QuotaOptions } from '../../src/sandbox/simulator-kit';
import { startShopimindSimulator, type ShopimindSimulator } from '../../src/sandbox/shopimind-simulator';
import { startShopkitSimulator, type ShopkitSimulator } from '../../src/sandbox/shopkit-simulator';
import type { ShopkitStoreSizes } from '../../src/sandbox/store-generator';

export interface SandboxOptions {
  storeId: string;
  sizes: ShopkitStoreSizes;
  seed?: number;
  /** Shopkit requests per second, enforced by the simulator and configured on the worker alike. */
  shopkitPerSecond: number;
  shopimindPerSecond: number;
  /** How the Shopkit simulator counts that rate (default: a 1-second window). */
  shopkitQuota?: QuotaOptions;
}

export interface Sandbox {
  shopkit: ShopkitSimulator;
  shopimind: ShopimindSimulator;
  /** The worker's environment for this store: keys, URLs and quotas. */
  env: Record<string, string>;
  close(): Promise<void>;
}

const perSecond = (requests: number): QuotaOptions => ({ requests, windowMs: 1_000 });

/** Both simulators on loopback, and a worker configuration whose quotas match theirs. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const shopkit = await startShopkitSimulator({
    seed: options.seed ?? 7,
    sizes: options.sizes,
    quota: options.shopkitQuota ?? perSecond(options.shopkitPerSecond),
  });
  const shopimind = await startShopimindSimulator({ quota: perSecond(options.shopimindPerSecond) });
  return {
    shopkit,
    shopimind,
    env: sandboxStoreEnv({ ...options, shopkit, shopimind }),
    async close() {
      await shopkit.close();
      await shopimind.close();
    },
  };
}

/** Secrets of a sandbox, to assert they never appear in histories, logs or errors. */
export function secretsOf(sandbox: Sandbox): string[] {
  return [sandbox.shopkit.apiKey, sandbox.shopkit.webhookSecret, sandbox.shopimind.apiKey];
}
