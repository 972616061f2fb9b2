import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Command } from 'commander';
import { checkConnectionWorkflowId } from '../contracts';
import { checkConnectionWorkflow } from '../workflows';
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
        try {
          const result = await client.workflow.execute(checkConnectionWorkflow, {
            args: [{ storeId }],
            taskQueue: runtime.temporal.taskQueue,
            workflowId: checkConnectionWorkflowId(storeId, Date.now()),
            workflowExecutionTimeout: '5 minutes',
          });
          process.stdout.write(
            opts.json
              ? `${JSON.stringify(result)}\n`
              : `Store ${storeId}: "${result.storeName ?? '?'}" (${result.currency ?? '?'})\n  Shopkit:   ok\n  ShopiMind: ok (${result.shopimind.dataSources ?? 0} data sources)\n`,
          );
        } catch (err) {
          if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure) {
            throw new CliExit(`${err.cause.type ?? 'Failure'}: ${err.cause.message}`, EXIT.failure);
          }
          throw err;
        }
      });
    });
}
