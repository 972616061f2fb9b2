import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { pauseSignal, resumeSignal } from '../contracts/import';
import {
  type SyncEvent,
  type StoreSyncInput,
  type SyncStatus,
  importStartedSignal,
  lifecycleSignal,
  syncEventSignal,
  syncEventsSignal,
  syncStatusQuery,
} from '../contracts/sync';
import { addEvent } from './sync-pending';
import { applyLifecycle, holdForImport, pause, resume } from './sync-lifecycle';
import { historyBudgetSpent, nextStep, type Reconciliation } from './sync-next-step';
import { newSyncState, runSettings, storePacer, type SyncState } from './sync-state';
import { statusOf } from './sync-status';
import { SYNC_STEADY_TIMER } from './patches';
import { checkGate, flush, noteError, provision, publish, reconcileOrdersNow, scan } from './sync-work';

/**
 * The store's long-running entity workflow: Shopkit events arrive as signals, are coalesced per entity
 * and written to ShopiMind in bulk by activities, paced to the store's quotas. Events are held while the
 * store's initial import runs (and re-read afterwards), and while the ShopiMind integration is inactive.
 * Periodic reconciliation re-reads recently updated orders and rescans the catalogue and clients to find
 * deletions. The run hands over to a new one (continueAsNew) carrying pending events and watermarks.
 *
 * This function is the Temporal-facing loop only: `nextStep` decides, the handlers and steps it calls
 * live in sync-lifecycle.ts and sync-work.ts.
 */
export async function storeSyncWorkflow(input: StoreSyncInput & { state?: SyncState }): Promise<SyncStatus> {
  const state = input.state ?? newSyncState(input, Date.now());
  state.settings = runSettings(state.settings, input);
  let wake = false;
  let background: { work: Reconciliation; done: Promise<void> } | undefined;

  const receive = (event: SyncEvent) => {
    state.counters.received += 1;
    state.lastEvent = { event: event.event, receivedAt: event.receivedAt };
    const outcome = addEvent(state.pending, event, Date.now(), state.gate === 'held');
    if (outcome === 'duplicate') state.counters.duplicates += 1;
    else if (outcome === 'stale') state.counters.stale += 1;
    else if (outcome === 'dropped') noteError(state, 'pending set full: event dropped, a reconciliation will catch up');
    wake = true;
  };
  setHandler(syncEventSignal, receive);
  setHandler(syncEventsSignal, (events) => events.forEach(receive));
  setHandler(lifecycleSignal, (change) => {
    log.info('integration lifecycle', { storeId: state.storeId, event: change.event });
    applyLifecycle(state, change);
    publish(state);
    wake = true;
  });
  setHandler(importStartedSignal, () => {
    holdForImport(state, Date.now());
    wake = true;
  });
  setHandler(pauseSignal, () => {
    pause(state);
    publish(state);
    wake = true;
  });
  setHandler(resumeSignal, () => {
    resume(state);
    publish(state);
    wake = true;
  });
  setHandler(syncStatusQuery, () => statusOf(state, Date.now()));

  publish(state);
  const inBackground = (work: Reconciliation, running: Promise<void>) => {
    background = {
      work,
      done: running.finally(() => {
        background = undefined;
        wake = true;
      }),
    };
  };

  // One Temporal timer serves every wait until it fires or an earlier wake is due: the next due step
  // (usually the gate's recheck) rarely moves, so a signal no longer costs a timer started and cancelled.
  const steadyTimer = patched(SYNC_STEADY_TIMER);
  let timer: { at: number } | undefined;
  const wakeBy = (ms: number) => {
    const at = Date.now() + ms;
    if (timer && timer.at <= at) return;
    const started = { at };
    timer = started;
    sleep(ms).then(
      () => {
        if (timer === started) timer = undefined;
        wake = true;
      },
      () => undefined, // cancelled with the workflow: the loop's own wait reports it
    );
  };

  for (;;) {
    const step = nextStep(state, Date.now(), {
      historySpent: historyBudgetSpent(workflowInfo(), state.settings),
      background: background?.work,
    });
    if (step.kind === 'end' || step.kind === 'handOver') break;
    if (step.kind === 'checkGate') await checkGate(state);
    else if (step.kind === 'provision') await provision(state);
    else if (step.kind === 'flush') await flush(state, storePacer(state, 'shopkit', step.shopkitShare));
    else if (step.kind === 'reconcile') {
      if (step.work === 'orders') inBackground('orders', reconcileOrdersNow(state, storePacer(state, 'shopkit', 1)));
      else inBackground('scan', scan(state));
    } else {
      // A quota slot or the next due step, unless a signal or a finished reconciliation comes first.
      wake = false;
      if (steadyTimer) {
        wakeBy(step.ms);
        await condition(() => wake);
      } else await condition(() => wake, step.ms);
    }
  }

  if (background) await background.done;
  await condition(allHandlersFinished);
  if (state.integration === 'uninstalled') {
    log.info('store-sync ends: integration uninstalled', { storeId: state.storeId });
    return statusOf(state, Date.now());
  }
  return continueAsNew<typeof storeSyncWorkflow>({ storeId: state.storeId, state: { ...state, run: state.run + 1 } });
}
