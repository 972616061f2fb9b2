import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Command } from 'commander';
import type { RuntimeConfig } from '../config';
import { IMPORT_RESOURCES, type ImportResource } from '../workflows/import-contract';
import {
  importWorkflowId,
  initialImportWorkflow,
  pauseSignal,
  progressQuery,
  rejectedQuery,
  replayRejectedUpdate,
  resumeSignal,
} from '../workflows/initial-import';
import { CliExit, EXIT } from './exit-codes';
import { followImport, formatProgress } from './import-follow';
import { warnIfNoWorker, withTemporalClient } from './temporal-client';
import { ShopkitStoreAttribute } from '../temporal/search-attributes';

interface ImportOptions {
  wait?: boolean;
  json?: boolean;
  dryRun?: boolean;
  resources?: string;
}

export function registerImportCommands(program: Command): void {
  program
    .command('import')
    .description('Start (or attach to) the initial import of a store: workflow import/<storeId>')
    .argument('<storeId>')
    .option('--wait', 'follow the import with live progress bars until it ends')
    .option('--json', 'print the final progress as JSON (with --wait) or the started ids')
    .option('--dry-run', 'read and map everything, write nothing')
    .option('--resources <list>', `comma-separated subset of: ${IMPORT_RESOURCES.join(',')}`)
    .action((storeId: string, opts: ImportOptions) =>
      withTemporalClient((client, runtime) => startImport(client, runtime, storeId, opts)),
    );

  program
    .command('status')
    .description("Show the progress of a store's import")
    .argument('<storeId>')
    .option('--watch', 'keep refreshing with progress bars until the import ends')
    .option('--json', 'print the progress as JSON')
    .action((storeId: string, opts: { watch?: boolean; json?: boolean }) =>
      withTemporalClient(async (client) => {
        const handle = client.workflow.getHandle(importWorkflowId(storeId));
        if (opts.watch) {
          await followImport(handle, { bars: !opts.json, print: opts.json ? 'json' : 'text' });
          return;
        }
        const progress = await queryOrExplain(() => handle.query(progressQuery), storeId);
        process.stdout.write(opts.json ? `${JSON.stringify(progress)}\n` : formatProgress(progress));
      }),
    );

  for (const [name, signal, verb] of [
    ['pause', pauseSignal, 'Pause'],
    ['resume', resumeSignal, 'Resume'],
  ] as const) {
    program
      .command(name)
      .description(`${verb} a store's import (between pages; nothing is lost)`)
      .argument('<storeId>')
      .action((storeId: string) =>
        withTemporalClient(async (client) => {
          await queryOrExplain(() => client.workflow.getHandle(importWorkflowId(storeId)).signal(signal), storeId);
          process.stdout.write(`${verb} signal sent to ${importWorkflowId(storeId)}\n`);
        }),
      );
  }

  program
    .command('replay-rejected')
    .description('Re-read and re-send only the items ShopiMind or the mapping rejected (after a fix)')
    .argument('<storeId>')
    .option('--json', 'print the summary as JSON')
    .action((storeId: string, opts: { json?: boolean }) =>
      withTemporalClient(async (client) => {
        const handle = client.workflow.getHandle(importWorkflowId(storeId));
        const rejected = await queryOrExplain(() => handle.query(rejectedQuery), storeId);
        const summary = await handle.executeUpdate(replayRejectedUpdate);
        process.stdout.write(
          opts.json
            ? `${JSON.stringify({ before: rejected.length, ...summary })}\n`
            : `Replayed ${rejected.length} rejected items: ${summary.resent} resent, ${summary.stillRejected} still rejected\n`,
        );
      }),
    );
}

async function startImport(
  client: Client,
  runtime: RuntimeConfig,
  storeId: string,
  opts: ImportOptions,
): Promise<void> {
  const resources = parseResources(opts.resources);
  await warnIfNoWorker(client, runtime);
  const workflowId = importWorkflowId(storeId);
  let handle;
  try {
    handle = await client.workflow.start(initialImportWorkflow, {
      workflowId,
      taskQueue: runtime.temporal.taskQueue,
      args: [{ storeId, resources, dryRun: Boolean(opts.dryRun) }],
      typedSearchAttributes: [{ key: ShopkitStoreAttribute, value: storeId }],
    });
    process.stderr.write(`Started ${workflowId} (run ${handle.firstExecutionRunId})\n`);
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    handle = client.workflow.getHandle(workflowId);
    process.stderr.write(`${workflowId} is already running: attaching to it\n`);
  }
  if (opts.wait) {
    await followImport(handle, { bars: !opts.json, print: opts.json ? 'json' : 'text' });
    return;
  }
  if (opts.json) process.stdout.write(`${JSON.stringify({ workflowId })}\n`);
}

async function queryOrExplain<T>(body: () => Promise<T>, storeId: string): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new CliExit(
        `No import found for store ${storeId}: start one with \`shopkit-sync import ${storeId}\``,
        EXIT.failure,
      );
    }
    throw err;
  }
}

function parseResources(list: string | undefined): ImportResource[] | undefined {
  if (!list) return undefined;
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(IMPORT_RESOURCES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new CliExit(`Unknown resources: ${unknown.join(', ')} (known: ${IMPORT_RESOURCES.join(', ')})`, EXIT.usage);
  }
  return names as ImportResource[];
}
