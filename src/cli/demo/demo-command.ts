import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliExit, EXIT } from '../exit-codes';
import { integerFrom } from '../option-parsers';
import { runDemo } from './demo-runner';

interface DemoFlags {
  seed: number;
  products: number;
  clients: number;
  orders: number;
  shopkitRps: number;
  shopimindRps: number;
  activitySeconds: number;
  eventsPerSecond: number;
  json?: boolean;
  keep?: boolean;
  dataDir: string;
}

const positive = integerFrom(1);

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run the whole product on the embedded sandbox: dev server, simulators, worker, import, summary')
    .option('--seed <n>', 'store generator seed', positive, 1)
    .option('--products <n>', 'products in the sandbox store', positive, 80)
    .option('--clients <n>', 'clients in the sandbox store', positive, 400)
    .option('--orders <n>', 'orders in the sandbox store', positive, 1500)
    .option('--shopkit-rps <n>', 'Shopkit quota, scaled, in requests per second (real: 1)', positive, 4)
    .option('--shopimind-rps <n>', 'ShopiMind quota, scaled, in requests per second (real: 10)', positive, 40)
    .option(
      '--activity-seconds <n>',
      'seconds of live shop activity through webhooks after the import (0: none)',
      integerFrom(0),
      15,
    )
    .option('--events-per-second <n>', 'webhook events per second during the live activity', positive, 4)
    .option('--json', 'print the summary as JSON')
    .option('--keep', 'leave everything running after the summary, until Ctrl-C')
    .option('--data-dir <path>', 'where the demo keeps Temporal state and logs', '.data/demo')
    .action(async (flags: DemoFlags) => {
      const summary = await runDemo({
        seed: flags.seed,
        products: flags.products,
        clients: flags.clients,
        orders: flags.orders,
        shopkitPerSecond: flags.shopkitRps,
        shopimindPerSecond: flags.shopimindRps,
        activitySeconds: flags.activitySeconds,
        eventsPerSecond: flags.eventsPerSecond,
        json: Boolean(flags.json),
        keep: Boolean(flags.keep),
        dataDir: resolve(flags.dataDir),
      });
      if (!summary.ok) throw new CliExit('The demo found mismatches between Shopkit and ShopiMind.', EXIT.failure);
    });
}
