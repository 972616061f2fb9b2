import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Command } from 'commander';
import type { RuntimeConfig } from '../config';
import { IMPORT_RESOURCES, type ImportResource } from '../contracts/import';
import {
  finishSignal,
  importWorkflowId,
  pauseSignal,
  progressQuery,
  rejectedQuery,
  replayRejectedUpdate,
  resumeSignal,
  storeSyncWorkflowId,
  syncStatusQuery,
  type ImportProgress,
} from '../contracts';
import { CliExit, EXIT } from './exit-codes';
import { followImport, formatProgress } from './import-follow';
import { formatSyncStatus } from './sync-status-format';
import { warnIfNoWorker, withTemporalClient } from './temporal-client';
import { openRegistryRuntime } from '../registry';
import { startStoreImport } from '../temporal/store-workflow-starts';

interface ImportOptions {
  wait?: boolean;
  json?: boolean;
  dryRun?: boolean;
  resources?: string;
  again?: boolean;
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
    .option('--again', 'start a new import even though one already completed for this store')
    .action((storeId: string, opts: ImportOptions) =>
      withTemporalClient((client, runtime) => startImport(client, runtime, storeId, opts)),
    );

  program
    .command('status')
    .description("Show a store's import progress and sync status")
    .argument('<storeId>')
    .option('--watch', 'follow the import with progress bars until it ends')
    .option('--json', 'print { "import": progress, "sync": status } as JSON (null for a workflow that does not exist)')
    .action((storeId: string, opts: { watch?: boolean; json?: boolean }) =>
      withTemporalClient(async (client) => {
        const handle = client.workflow.getHandle(importWorkflowId(storeId));
        if (opts.watch) {
          await followImport(handle, { bars: !opts.json, print: opts.json ? 'json' : 'text' });
          return;
        }
        const progress = await orNull(handle.query(progressQuery));
        const sync = await orNull(client.workflow.getHandle(storeSyncWorkflowId(storeId)).query(syncStatusQuery));
        if (!progress && !sync) throw new CliExit(`No import or sync found for store ${storeId}`, EXIT.failure);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ import: progress, sync })}\n`);
          return;
        }
        process.stdout.write(progress ? formatProgress(progress) : `No import found for store ${storeId}.\n`);
        process.stdout.write(sync ? formatSyncStatus(sync) : `No sync workflow for store ${storeId} yet.\n`);
      }),
    );

  for (const [name, signal, verb] of [
    ['pause', pauseSignal, 'Pause'],
    ['resume', resumeSignal, 'Resume'],
  ] as const) {
    program
      .command(name)
      .description(`${verb} a store's import and sync (between pages and flushes; nothing is lost)`)
      .argument('<storeId>')
      .action((storeId: string) =>
        withTemporalClient(async (client) => {
          // Both workflows handle the same signal; either may not exist (yet, or any more).
          const signalled: string[] = [];
          for (const workflowId of [importWorkflowId(storeId), storeSyncWorkflowId(storeId)]) {
            if (
              await orNull(
                client.workflow
                  .getHandle(workflowId)
                  .signal(signal)
                  .then(() => true),
              )
            ) {
              signalled.push(workflowId);
            }
          }
          if (signalled.length === 0) throw new CliExit(`No running import or sync for store ${storeId}`, EXIT.failure);
          process.stdout.write(`${verb} signal sent to ${signalled.join(' and ')}\n`);
        }),
      );
  }

  program
    .command('finish-import')
    .description(
      'End an import that is done but stays open for replay-rejected; its rejected items stay listed in its result',
    )
    .argument('<storeId>')
    .action((storeId: string) =>
      withTemporalClient(async (client) => {
        const handle = client.workflow.getHandle(importWorkflowId(storeId));
        const progress = await queryOrExplain(() => handle.query(progressQuery), storeId);
        if (progress.phase !== 'done') {
          throw new CliExit(
            `The import of ${storeId} is still ${progress.phase}: cancel it with \`temporal workflow cancel\` instead`,
            EXIT.failure,
          );
        }
        await handle.signal(finishSignal);
        const final = (await handle.result()) as ImportProgress;
        process.stdout.write(
          `Import of ${storeId} ended; ${final.rejectedTotal} rejected items were left as they are\n`,
        );
      }),
    );

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
  await assertInstallationActive(storeId);
  const { workflowId, started } = await startStoreImport(client, storeId, {
    taskQueue: runtime.temporal.taskQueue,
    requireActivation: false,
    import: { resources, dryRun: Boolean(opts.dryRun) },
    again: Boolean(opts.again),
  });
  const handle = client.workflow.getHandle(workflowId);
  if (started) process.stderr.write(`Started ${workflowId}; the store's sync holds its events until it ends\n`);
  else {
    const { status } = await handle.describe();
    process.stderr.write(
      status.name === 'RUNNING'
        ? `${workflowId} is already running: attaching to it\n`
        : `${workflowId} already ran (${status.name.toLowerCase()}); pass --again to import the store once more\n`,
    );
  }
  if (opts.wait) {
    await followImport(handle, { bars: !opts.json, print: opts.json ? 'json' : 'text' });
    return;
  }
  if (opts.json) process.stdout.write(`${JSON.stringify({ workflowId })}\n`);
}

/** The value, or null when the workflow does not exist or has ended (signals to closed workflows fail). */
async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
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

/** A marketplace installation is imported once ShopiMind activates it (the gateway does it then). */
async function assertInstallationActive(storeId: string): Promise<void> {
  const registry = await openRegistryRuntime();
  if (!registry) return;
  try {
    const installation = await registry.registry.findByStoreId(storeId);
    if (installation && installation.status !== 'active') {
      throw new CliExit(
        `Store ${storeId} is a ShopiMind installation that is ${installation.status}: it is imported when ShopiMind activates it`,
        EXIT.failure,
      );
    }
  } finally {
    await registry.registry.close();
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
