import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowIdReusePolicy, type Duration } from '@temporalio/common';
import {
  checkConnectionWorkflowId,
  importStartedSignal,
  importWorkflowId,
  storeSyncWorkflowId,
  type CheckConnectionResult,
  type InitialImportInput,
  type StoreSyncInput,
  type SyncSettings,
} from '../contracts';
import { checkConnectionWorkflow, initialImportWorkflow, storeSyncWorkflow } from '../workflows';
import { ShopkitStoreAttribute } from './search-attributes';

/** How a store's sync workflow is started when a signal finds none running. */
export interface SyncStartOptions {
  taskQueue: string;
  /** A ShopiMind partner integration: nothing is sent before its `activate` event. */
  requireActivation: boolean;
  /** Settings of a newly started sync (tests shorten intervals). */
  settings?: Partial<SyncSettings>;
}

/** The options every `signalWithStart` of `store-sync/<storeId>` uses, whoever sends the signal. */
export function syncWorkflowStart(storeId: string, options: SyncStartOptions) {
  const input: StoreSyncInput = {
    storeId,
    requireActivation: options.requireActivation,
    settings: options.settings,
  };
  return {
    workflowId: storeSyncWorkflowId(storeId),
    taskQueue: options.taskQueue,
    args: [input] as [StoreSyncInput],
    typedSearchAttributes: [{ key: ShopkitStoreAttribute, value: storeId }],
  };
}

export interface ImportStart {
  workflowId: string;
  /** False when `import/<storeId>` already exists (running, or completed and `again` not asked). */
  started: boolean;
}

/**
 * The one way an import starts, for the gateway, the CLI and the demo alike: the sync first holds its
 * events (so none is written before, and then overwritten by, the import), then `import/<storeId>` starts
 * unless one is running or has completed (a failed or cancelled one starts again; `again` asks for a new
 * import after a completed one).
 */
export async function startStoreImport(
  client: Client,
  storeId: string,
  options: SyncStartOptions & { import?: Omit<InitialImportInput, 'storeId'>; again?: boolean },
): Promise<ImportStart> {
  await client.workflow.signalWithStart(storeSyncWorkflow, {
    ...syncWorkflowStart(storeId, options),
    signal: importStartedSignal,
    signalArgs: [],
  });
  const workflowId = importWorkflowId(storeId);
  try {
    await client.workflow.start(initialImportWorkflow, {
      workflowId,
      taskQueue: options.taskQueue,
      args: [{ ...options.import, storeId }],
      // An import that failed or was cancelled (an uninstall) may start again; a completed one only on request.
      workflowIdReusePolicy: options.again
        ? WorkflowIdReusePolicy.ALLOW_DUPLICATE
        : WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      typedSearchAttributes: [{ key: ShopkitStoreAttribute, value: storeId }],
    });
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err;
  }
}

export type ConnectionCheckOutcome = { ok: true; result: CheckConnectionResult } | { ok: false; error: string };

/**
 * The one way a connection check runs, for the CLI and the marketplace lifecycle: `checkConnectionWorkflow`
 * on a worker, awaited. A check that fails (a refused key, an API down, the timeout) is an outcome whose
 * `error` starts with the failure's type; anything else (Temporal unreachable) throws.
 */
export async function checkStoreConnection(
  client: Client,
  storeId: string,
  options: { taskQueue: string; timeout: Duration },
): Promise<ConnectionCheckOutcome> {
  try {
    const result = await client.workflow.execute(checkConnectionWorkflow, {
      args: [{ storeId }],
      taskQueue: options.taskQueue,
      workflowId: checkConnectionWorkflowId(storeId, Date.now()),
      workflowExecutionTimeout: options.timeout,
    });
    return { ok: true, result };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const cause = err.cause;
    return {
      ok: false,
      error: cause instanceof ApplicationFailure ? `${cause.type ?? 'Failure'}: ${cause.message}` : err.message,
    };
  }
}
