import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../contracts/activities';
import { CONNECTOR_FAILURES } from '../contracts/failures';
import { importStartedSignal, storeSyncWorkflowId } from '../contracts/sync';
import { ShopkitStoreAttribute, SyncPhaseAttribute } from '../temporal/search-attributes';
import {
  finishSignal,
  IMPORT_STAGES,
  mappingSettingsOf,
  pauseSignal,
  progressQuery,
  rejectedQuery,
  replayRejectedUpdate,
  reserveShopkitUpdate,
  resumeSignal,
  type ImportProgress,
  type ImportResource,
  type InitialImportInput,
  type MappingSettings,
  type PageResult,
  type ReplayRejectedSummary,
} from '../contracts/import';
import { describeFailure } from './failure-text';
import {
  assertReservation,
  afterPageFailure,
  applyPage,
  mayLaunch,
  nextPage,
  pageCodes,
  shopkitCallsOf,
  smoothedLatencyMs,
  type LaneView,
} from './import-pages';
import { importPhase, progressOf } from './import-progress';
import { applyReplay, assertReplayable, replayableRefs } from './import-rejects';
import { historyBudgetSpent, newImportState, progressFor, type ImportState } from './import-state';
import { pacedQuota, QuotaPacer, TIMER_THRESHOLD_MS } from './quota-pacer';
import { IMPORT_HOLDS_SYNC, IMPORT_SPACED_READS, IMPORT_WIDER_WINDOW } from './patches';

const { provisionStore } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, initialInterval: '2 seconds' },
});

const { replayRejected } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: {
    maximumAttempts: 8,
    initialInterval: '2 seconds',
    maximumInterval: '1 minute',
  },
});

// Retried by the workflow, each attempt at a fresh quota slot (paced-retry.ts).
const { importPage } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { maximumAttempts: 1 },
});

/**
 * Imports a whole Shopkit store into ShopiMind: provisioning, then each stage's resources side by
 * side, one activity per Shopkit page, paced to the store's quotas. The workflow holds cursors and
 * counters only, hands over to a new run before its history grows large, and pauses itself (waiting
 * for `resume`) instead of failing when an API keeps refusing.
 */
export async function initialImportWorkflow(
  input: InitialImportInput & { state?: ImportState },
): Promise<ImportProgress> {
  const state = input.state ?? newImportState(input, Date.now());
  let shopkit: QuotaPacer | undefined;

  setHandler(progressQuery, () => progressOf(state, shopkit, Date.now()));
  setHandler(rejectedQuery, () => state.rejected);
  setHandler(pauseSignal, () => {
    state.paused = true;
    publishPhase(state);
  });
  setHandler(resumeSignal, () => {
    state.paused = false;
    state.lastError = null;
    publishPhase(state);
  });
  setHandler(finishSignal, () => {
    state.finishRequested = true;
  });
  setHandler(replayRejectedUpdate, () => replay(state), { validator: () => assertReplayable(state) });
  // Pages run only once the pacer exists; a reservation before then has nothing to share.
  setHandler(reserveShopkitUpdate, ({ calls }) => shopkit?.reserve(Date.now(), calls) ?? Date.now(), {
    validator: ({ calls }: { calls: number }) => assertReservation(calls),
  });

  try {
    publishPhase(state);
    // Histories recorded before the import told the sync itself replay without the signal.
    if (!input.state && patched(IMPORT_HOLDS_SYNC)) await holdStoreSync(state.storeId);
    let provision = state.provision;
    const provisioning = !provision;
    if (!provision) {
      provision = await provisionStore({ storeId: state.storeId, dryRun: state.dryRun });
      state.provision = provision;
    }
    // Memos do not follow continueAsNew: every run sets it again. The store id only, like ids and search
    // attributes (runs recorded with the shop's name replay: the command is the same).
    upsertMemo({ storeId: state.storeId });
    const paced = new QuotaPacer(pacedQuota(provision.quotas, 'shopkit'), state.pacers.shopkit);
    // Provisioning has just read the store from Shopkit outside any slot: the first page waits an interval.
    if (provisioning) paced.charge(Date.now(), 1);
    shopkit = paced;
    const shopimind = new QuotaPacer(pacedQuota(provision.quotas, 'shopimind'), state.pacers.shopimind);
    const mapping = mappingSettings(state);
    const patches: LanePatches = {
      widened: patched(IMPORT_WIDER_WINDOW),
      spacedReads: patched(IMPORT_SPACED_READS),
    };

    for (const stage of IMPORT_STAGES) {
      const lanes = stage.resources.filter((resource) => state.resources.includes(resource));
      if (lanes.every((resource) => progressFor(state, resource).done)) continue;
      state.phase = stage.phase;
      publishPhase(state);
      const running = { running: 0, inFlight: 0 };
      await Promise.all(lanes.map((resource) => runLane(state, resource, mapping, paced, shopimind, running, patches)));
      if (!lanes.every((resource) => progressFor(state, resource).done)) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof initialImportWorkflow>({
          storeId: state.storeId,
          state: { ...state, run: state.run + 1 },
        });
      }
    }
    state.phase = 'done';
    publishPhase(state);
    if (state.rejected.length > 0 && !state.dryRun) {
      // Rejects are fixed by a new mapping release, then `replayRejected`: stay reachable for that.
      await condition(() => state.rejected.length === 0 || state.finishRequested, state.replayWindowMs);
    }
    await condition(allHandlersFinished);
    return progressOf(state, paced, Date.now());
  } catch (err) {
    if (isCancellation(err)) {
      // A command, not an await: it still goes out with the cancelled run's last workflow task.
      upsertSearchAttributes([{ key: SyncPhaseAttribute, value: 'cancelled' }]);
      log.info('import cancelled', { storeId: state.storeId, phase: state.phase });
    }
    throw err;
  }
}

/** What a lane does differently since a patch (histories recorded before it replay without). */
interface LanePatches {
  widened: boolean;
  spacedReads: boolean;
}

/**
 * Imports one resource page by page until it is done, the run's history budget is spent, or it is
 * cancelled. Once the page count is known, several pages may be in flight, each still waiting for
 * its own quota slot: just enough that a page's processing does not leave the lanes' quota slots
 * unused, and never more than `MAX_PAGES_IN_FLIGHT` per stage under a real quota.
 */
async function runLane(
  state: ImportState,
  resource: ImportResource,
  mapping: MappingSettings,
  shopkit: QuotaPacer,
  shopimind: QuotaPacer,
  lanes: { running: number; inFlight: number },
  patches: LanePatches,
): Promise<void> {
  const progress = progressFor(state, resource);
  const inFlight = new Map<number, Promise<void>>();
  let shopimindEstimate = 1;
  let latencyMs = 0;

  const runPage = async (page: number): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      await condition(() => !state.paused);
      const codes = pageCodes(state, resource, page);
      const shopkitCalls = shopkitCallsOf(resource, codes);
      const estimate = shopimindEstimate;
      const now = Date.now();
      const launchedAt = now;
      const startAt = Math.max(
        shopkitCalls > 0 ? shopkit.reserve(now, shopkitCalls) : now,
        shopimind.reserveBurst(now, estimate),
      );
      // Temporal timers resolve to about a second, so short waits happen inside the activity (notBefore).
      if (startAt - Date.now() > TIMER_THRESHOLD_MS) await sleep(startAt - Date.now() - TIMER_THRESHOLD_MS);
      let result: PageResult;
      try {
        result = await importPage({
          storeId: state.storeId,
          resource,
          page,
          mapping,
          dryRun: state.dryRun,
          codes,
          shopkitIntervalMs: shopkit.intervalMs,
          notBefore: startAt,
        });
      } catch (err) {
        if (isCancellation(err)) throw err;
        const next = afterPageFailure(resource, page, attempt, err);
        if (next.kind === 'retry') {
          await sleep(next.delayMs);
          continue;
        }
        // `resume` starts the attempts afresh.
        attempt = 0;
        state.lastError = next.lastError;
        state.paused = true;
        publishPhase(state);
        log.warn('import paused on failure', { storeId: state.storeId, resource, page, error: state.lastError });
        continue;
      }
      // Calls the page reserved while it ran are in the schedule already.
      const unreserved = result.calls.shopkit - shopkitCalls - (result.calls.shopkitReserved ?? 0);
      if (patches.spacedReads) shopkit.chargeSpaced(Date.now(), unreserved);
      else shopkit.charge(Date.now(), unreserved);
      shopimind.charge(Date.now(), result.calls.shopimind - estimate);
      shopimindEstimate = Math.max(1, result.calls.shopimind);
      latencyMs = smoothedLatencyMs(latencyMs, Date.now() - launchedAt);
      applyPage(state, resource, page, result, codes?.length ?? 0);
      return;
    }
  };

  const lane = (): LaneView => ({
    resource,
    progress,
    inFlight,
    stage: lanes,
    paused: state.paused,
    shopkitIntervalMs: shopkit.intervalMs,
    latencyMs,
    widened: patches.widened,
  });
  const spent = () => historyBudgetSpent(workflowInfo(), state.historyBudget);

  lanes.running += 1;
  while (!progress.done && !spent()) {
    await condition(() => progress.done || spent() || mayLaunch(lane()));
    if (progress.done || !mayLaunch(lane())) continue;
    const page = nextPage(progress, inFlight);
    lanes.inFlight += 1;
    const running = runPage(page).finally(() => {
      inFlight.delete(page);
      lanes.inFlight -= 1;
    });
    // Awaited below; until then a cancellation's rejection must not count as unhandled (that would fail
    // the workflow task instead of cancelling the run).
    running.catch(() => undefined);
    inFlight.set(page, running);
  }
  await Promise.all(inFlight.values());
  lanes.running -= 1;
}

/**
 * Tells the store's sync, however this import was started (the product's start functions signal it first;
 * `temporal workflow start` does not), to hold its events until the import ends. A store without a sync
 * yet is fine: a sync checks the import gate when it starts.
 */
async function holdStoreSync(storeId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(storeSyncWorkflowId(storeId)).signal(importStartedSignal);
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.info('no store sync to hold', { storeId, reason: describeFailure(err) });
  }
}

async function replay(state: ImportState): Promise<ReplayRejectedSummary> {
  const result = await replayRejected({
    storeId: state.storeId,
    mapping: mappingSettings(state),
    items: replayableRefs(state),
    couponCodes: state.couponCodes,
  });
  return applyReplay(state, result);
}

function mappingSettings(state: ImportState): MappingSettings {
  const provision = state.provision;
  if (!provision) throw ApplicationFailure.nonRetryable('store not provisioned', CONNECTOR_FAILURES.workflowState);
  return mappingSettingsOf(provision);
}

function publishPhase(state: ImportState): void {
  upsertSearchAttributes([
    { key: ShopkitStoreAttribute, value: state.storeId },
    { key: SyncPhaseAttribute, value: importPhase(state) },
  ]);
}
