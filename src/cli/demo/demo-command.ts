import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliExit, EXIT } from '../exit-codes';
import { runDemo } from './demo-runner';

interface DemoFlags {
  seed: string;
  products: string;
  clients: string;
  orders: string;
  shopkitRps: string;
  shopimindRps: string;
  activitySeconds: string;
  eventsPerSecond: string;
  json?: boolean;
  keep?: boolean;
  dataDir: string;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run the whole product on the embedded sandbox: dev server, simulators, worker, import, summary')
    .option('--seed <n>', 'store generator seed', '1')
    .option('--products <n>', 'products in the sandbox store', '80')
    .option('--clients <n>', 'clients in the sandbox store', '400')
    .option('--orders <n>', 'orders in the sandbox store', '1500')
    .option('--shopkit-rps <n>', 'Shopkit quota, scaled, in requests per second (real: 1)', '4')
    .option('--shopimind-rps <n>', 'ShopiMind quota, scaled, in requests per second (real: 10)', '40')
    .option('--activity-seconds <n>', 'seconds of live shop activity through webhooks after the import (0: none)', '15')
    .option('--events-per-second <n>', 'webhook events per second during the live activity', '4')
    .option('--json', 'print the summary as JSON')
    .option('--keep', 'leave everything running after the summary, until Ctrl-C')
    .option('--data-dir <path>', 'where the demo keeps Temporal state and logs', '.data/demo')
    .action(async (flags: DemoFlags) => {
      const positive = (name: string, value: string) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) throw new CliExit(`--${name} must be a positive integer`, EXIT.usage);
        return n;
      };
      const summary = await runDemo({
        seed: positive('seed', flags.seed),
        products: positive('products', flags.products),
        clients: positive('clients', flags.clients),
        orders: positive('orders', flags.orders),
        shopkitPerSecond: positive('shopkit-rps', flags.shopkitRps),
        shopimindPerSecond: positive('shopimind-rps', flags.shopimindRps),
        activitySeconds: Number(flags.activitySeconds) === 0 ? 0 : positive('activity-seconds', flags.activitySeconds),
        eventsPerSecond: positive('events-per-second', flags.eventsPerSecond),
        json: Boolean(flags.json),
        keep: Boolean(flags.keep),
        dataDir: resolve(flags.dataDir),
      });
      if (!summary.ok) throw new CliExit('The demo found mismatches between Shopkit and ShopiMind.', EXIT.failure);
    });
}
