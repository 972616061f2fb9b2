import type { Command } from 'commander';
import { checkStoreConnection } from '../temporal/store-workflow-starts';
import { CliExit, EXIT } from './exit-codes';
import { warnIfNoWorker, withTemporalClient } from './temporal-client';

export function registerCheckConnection(program: Command): void {
  program
    .command('check-connection')
    .description("Check, through a worker, that the store's Shopkit and ShopiMind keys work")
    .argument('<storeId>', 'store id as configured on the worker')
    .option('--json', 'print the result as JSON')
    .action(async (storeId: string, opts: { json?: boolean }) => {
      await withTemporalClient(async (client, runtime) => {
        await warnIfNoWorker(client, runtime);
        const outcome = await checkStoreConnection(client, storeId, {
          taskQueue: runtime.temporal.taskQueue,
          timeout: '5 minutes',
        });
        if (!outcome.ok) throw new CliExit(outcome.error, EXIT.failure);
        const { result } = outcome;
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(result)}\n`
            : `Store ${storeId}: "${result.storeName ?? '?'}" (${result.currency ?? '?'})\n  Shopkit:   ok\n  ShopiMind: ok (${result.shopimind.dataSources ?? 0} data sources)\n`,
        );
      });
    });
}
