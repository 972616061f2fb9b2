import type { Command } from 'commander';
import { startShopimindSimulator } from '../sandbox/shopimind-simulator';
import { startShopkitSimulator } from '../sandbox/shopkit-simulator';
import { CliExit, EXIT } from './exit-codes';

interface SandboxOptions {
  seed: string;
  products: string;
  clients: string;
  orders: string;
  shopkitPort: string;
  shopimindPort: string;
  shopkitQuotaPerHour?: string;
  shopimindQuotaPerMinute?: string;
  faultRate?: string;
  webhookRetryMs: string;
}

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('Run the Shopkit and ShopiMind simulators with a generated store until Ctrl-C')
    .option('--seed <n>', 'generator seed', '1')
    .option('--products <n>', 'products in the store', '50')
    .option('--clients <n>', 'clients in the store', '150')
    .option('--orders <n>', 'orders in the store', '500')
    .option('--shopkit-port <port>', 'Shopkit simulator port (0: free port)', '0')
    .option('--shopimind-port <port>', 'ShopiMind simulator port (0: free port)', '0')
    .option('--shopkit-quota-per-hour <n>', 'Shopkit quota (default 3600, 0 = none)')
    .option('--shopimind-quota-per-minute <n>', 'ShopiMind quota (default 600, 0 = none)')
    .option('--fault-rate <x>', 'share of requests answered 503 by both simulators (0..1)', '0')
    .option('--webhook-retry-ms <ms>', 'interval between Shopkit webhook redeliveries', '3600000')
    .action(async (opts: SandboxOptions) => {
      const int = (name: string, value: string) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) throw new CliExit(`--${name} must be a non-negative integer`, EXIT.usage);
        return n;
      };
      const faultRate = Number(opts.faultRate ?? 0);
      if (!(faultRate >= 0 && faultRate <= 1)) throw new CliExit('--fault-rate must be between 0 and 1', EXIT.usage);
      const faults = { seed: int('seed', opts.seed), errorRate: faultRate };
      const quota = (value: string | undefined, name: string, windowMs: number) =>
        value === undefined ? undefined : int(name, value) === 0 ? null : { requests: int(name, value), windowMs };
      const shopkit = await startShopkitSimulator({
        seed: int('seed', opts.seed),
        sizes: {
          products: int('products', opts.products),
          clients: int('clients', opts.clients),
          orders: int('orders', opts.orders),
        },
        port: int('shopkit-port', opts.shopkitPort),
        quota: quota(opts.shopkitQuotaPerHour, 'shopkit-quota-per-hour', 3_600_000),
        faults,
        webhooks: { retryIntervalMs: int('webhook-retry-ms', opts.webhookRetryMs) },
      });
      const shopimind = await startShopimindSimulator({
        port: int('shopimind-port', opts.shopimindPort),
        quota: quota(opts.shopimindQuotaPerMinute, 'shopimind-quota-per-minute', 60_000),
        faults: { ...faults, seed: faults.seed + 1 },
      });
      // The first line is machine-readable: scripts and tests read the endpoints and keys from it.
      process.stdout.write(
        `${JSON.stringify({
          shopkit: { baseUrl: shopkit.baseUrl, apiKey: shopkit.apiKey, webhookSecret: shopkit.webhookSecret },
          shopimind: { baseUrl: shopimind.baseUrl, apiKey: shopimind.apiKey },
        })}\n`,
      );
      process.stderr.write(
        `sandbox ready: Shopkit ${shopkit.baseUrl} (inspect ${shopkit.sandboxUrl}/stats), ShopiMind ${shopimind.baseUrl}. Ctrl-C stops.\n`,
      );
      await new Promise<void>((done) => {
        const stop = () => void Promise.all([shopkit.close(), shopimind.close()]).then(() => done());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
