import type { Command } from 'commander';
import { startShopimindSimulator } from '../sandbox/shopimind-simulator';
import { startShopkitSimulator } from '../sandbox/shopkit-simulator';
import { fraction, integerFrom } from './option-parsers';

interface SandboxOptions {
  seed: number;
  products: number;
  clients: number;
  orders: number;
  shopkitPort: number;
  shopimindPort: number;
  shopkitQuotaPerHour?: number;
  shopimindQuotaPerMinute?: number;
  faultRate: number;
  webhookRetryMs: number;
}

const count = integerFrom(0);

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('Run the Shopkit and ShopiMind simulators with a generated store until Ctrl-C')
    .option('--seed <n>', 'generator seed', count, 1)
    .option('--products <n>', 'products in the store', count, 50)
    .option('--clients <n>', 'clients in the store', count, 150)
    .option('--orders <n>', 'orders in the store', count, 500)
    .option('--shopkit-port <port>', 'Shopkit simulator port (0: free port)', count, 0)
    .option('--shopimind-port <port>', 'ShopiMind simulator port (0: free port)', count, 0)
    .option('--shopkit-quota-per-hour <n>', 'Shopkit quota (default 3600, 0 = none)', count)
    .option('--shopimind-quota-per-minute <n>', 'ShopiMind quota (default 600, 0 = none)', count)
    .option('--fault-rate <x>', 'share of requests answered 503 by both simulators (0..1)', fraction, 0)
    .option('--webhook-retry-ms <ms>', 'interval between Shopkit webhook redeliveries', count, 3_600_000)
    .action(async (opts: SandboxOptions) => {
      const faults = { seed: opts.seed, errorRate: opts.faultRate };
      // Unset keeps the documented quota; 0 switches it off.
      const quota = (requests: number | undefined, windowMs: number) =>
        requests === undefined ? undefined : requests === 0 ? null : { requests, windowMs };
      const shopkit = await startShopkitSimulator({
        seed: opts.seed,
        sizes: { products: opts.products, clients: opts.clients, orders: opts.orders },
        port: opts.shopkitPort,
        quota: quota(opts.shopkitQuotaPerHour, 3_600_000),
        faults,
        webhooks: { retryIntervalMs: opts.webhookRetryMs },
      });
      const shopimind = await startShopimindSimulator({
        port: opts.shopimindPort,
        quota: quota(opts.shopimindQuotaPerMinute, 60_000),
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
