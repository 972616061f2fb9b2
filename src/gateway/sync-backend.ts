import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { startStoreImport, syncWorkflowStart } from '../temporal/store-workflow-starts';
import {
  importWorkflowId,
  lifecycleSignal,
  pauseSignal,
  progressQuery,
  resumeSignal,
  storeSyncWorkflowId,
  syncEventSignal,
  syncStatusQuery,
  type ImportProgress,
} from '../contracts';
import { storeSyncWorkflow } from '../workflows';
import {
  syncEventsSignal,
  type LifecycleChange,
  type SyncEvent,
  type SyncSettings,
  type SyncStatus,
} from '../contracts/sync';
import { SignalBatcher, type BatchLimits } from './signal-batcher';

/** How the store-sync workflow is started when a signal finds none running. */
export interface SyncStart {
  requireActivation: boolean;
}

/**
 * What the gateway needs from Temporal. The gateway's tests hand in a fake; production uses
 * {@link TemporalSyncBackend}. Any rejection means "not accepted": the route answers 503.
 */
export interface SyncBackend {
  deliverEvent(storeId: string, event: SyncEvent, start: SyncStart): Promise<void>;
  deliverLifecycle(storeId: string, change: LifecycleChange, start: SyncStart): Promise<void>;
  /** Starts `import/<storeId>` unless one exists (running or completed); tells the sync to hold events. */
  startImport(storeId: string, start: SyncStart): Promise<{ workflowId: string; started: boolean }>;
  /** Cancels a running import (uninstall); false when none runs. */
  stopImport(storeId: string): Promise<boolean>;
  status(storeId: string): Promise<{ import: ImportProgress | null; sync: SyncStatus | null }>;
  /** Signals pause/resume to both workflows; says which ones received it. */
  pauseOrResume(storeId: string, action: 'pause' | 'resume'): Promise<{ import: boolean; sync: boolean }>;
  ready(): Promise<boolean>;
}

export interface TemporalSyncBackendOptions {
  taskQueue: string;
  /** Settings for newly started sync workflows (tests shorten intervals). */
  syncSettings?: Partial<SyncSettings>;
  /** Deadline of one Temporal call, so an unreachable server becomes a prompt 503. */
  callTimeoutMs?: number;
  /** How a store's webhook events are coalesced into signals (tests and benchmarks tune it). */
  batching?: BatchLimits;
}

/** A webhook event and how its store's sync starts if none runs: a store's events all share the latter. */
interface Delivery {
  event: SyncEvent;
  start: SyncStart;
}

export class TemporalSyncBackend implements SyncBackend {
  private readonly callTimeoutMs: number;
  private readonly events: SignalBatcher<Delivery>;

  constructor(
    private readonly client: Client,
    private readonly options: TemporalSyncBackendOptions,
  ) {
    this.callTimeoutMs = options.callTimeoutMs ?? 5_000;
    this.events = new SignalBatcher(
      (storeId, deliveries) => this.signalEvents(storeId, deliveries),
      (delivery) => JSON.stringify(delivery.event).length,
      options.batching,
    );
  }

  /** Resolves once the signal carrying the event was accepted by Temporal, never before. */
  deliverEvent(storeId: string, event: SyncEvent, start: SyncStart): Promise<void> {
    return this.events.deliver(storeId, { event, start });
  }

  /** A lone event keeps the single-event signal; several go as one `shopkitEvents` signal. */
  private signalEvents(storeId: string, deliveries: Delivery[]): Promise<void> {
    const [first] = deliveries as [Delivery, ...Delivery[]];
    const options = this.syncStartOptions(storeId, first.start);
    return this.withDeadline(async () => {
      if (deliveries.length === 1) {
        await this.client.workflow.signalWithStart(storeSyncWorkflow, {
          ...options,
          signal: syncEventSignal,
          signalArgs: [first.event],
        });
      } else {
        await this.client.workflow.signalWithStart(storeSyncWorkflow, {
          ...options,
          signal: syncEventsSignal,
          signalArgs: [deliveries.map((delivery) => delivery.event)],
        });
      }
    });
  }

  deliverLifecycle(storeId: string, change: LifecycleChange, start: SyncStart): Promise<void> {
    return this.withDeadline(async () => {
      await this.client.workflow.signalWithStart(storeSyncWorkflow, {
        ...this.syncStartOptions(storeId, start),
        signal: lifecycleSignal,
        signalArgs: [change],
      });
    });
  }

  startImport(storeId: string, start: SyncStart): Promise<{ workflowId: string; started: boolean }> {
    return this.withDeadline(() =>
      startStoreImport(this.client, storeId, {
        taskQueue: this.options.taskQueue,
        requireActivation: start.requireActivation,
        settings: this.options.syncSettings,
      }),
    );
  }

  stopImport(storeId: string): Promise<boolean> {
    return this.withDeadline(() => ifExists(() => this.client.workflow.getHandle(importWorkflowId(storeId)).cancel()));
  }

  status(storeId: string): Promise<{ import: ImportProgress | null; sync: SyncStatus | null }> {
    return this.withDeadline(async () => {
      const [imported, sync] = await Promise.all([
        orNull(() => this.client.workflow.getHandle(importWorkflowId(storeId)).query(progressQuery)),
        orNull(() => this.client.workflow.getHandle(storeSyncWorkflowId(storeId)).query(syncStatusQuery)),
      ]);
      return { import: imported, sync };
    });
  }

  pauseOrResume(storeId: string, action: 'pause' | 'resume'): Promise<{ import: boolean; sync: boolean }> {
    const signal = action === 'pause' ? pauseSignal : resumeSignal;
    const send = (handle: WorkflowHandle) => ifExists(() => handle.signal(signal));
    return this.withDeadline(async () => {
      const [imported, sync] = await Promise.all([
        send(this.client.workflow.getHandle(importWorkflowId(storeId))),
        send(this.client.workflow.getHandle(storeSyncWorkflowId(storeId))),
      ]);
      return { import: imported, sync };
    });
  }

  async ready(): Promise<boolean> {
    try {
      await this.withDeadline(() => this.client.workflowService.getSystemInfo({}));
      return true;
    } catch {
      return false;
    }
  }

  private syncStartOptions(storeId: string, start: SyncStart) {
    return syncWorkflowStart(storeId, {
      taskQueue: this.options.taskQueue,
      requireActivation: start.requireActivation,
      settings: this.options.syncSettings,
    });
  }

  private withDeadline<T>(body: () => Promise<T>): Promise<T> {
    return this.client.connection.withDeadline(Date.now() + this.callTimeoutMs, body);
  }
}

/** Runs a call on a workflow that may not exist (or has ended): false instead of an error. */
async function ifExists(body: () => Promise<unknown>): Promise<boolean> {
  try {
    await body();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

async function orNull<T>(body: () => Promise<T>): Promise<T | null> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    // A closed workflow can still be queried unless its worker is gone; report it as absent then.
    if (err instanceof Error && /query|closed|not found/i.test(err.message)) return null;
    throw err;
  }
}
