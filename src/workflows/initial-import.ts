import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../contracts/activities';
import { CONNECTOR_FAILURES } from '../contracts/failures';
import { ShopkitStoreAttribute, SyncPhaseAttribute } from '../temporal/search-attributes';
import {
  finishSignal,
  IMPORT_RESOURCES,
  IMPORT_STAGES,
  mappingSettingsOf,
  pauseSignal,
  progressQuery,
  rejectedQuery,
  replayRejectedUpdate,
  resumeSignal,
  VOUCHER_BATCH,
  type ImportPhase,
  type ImportProgress,
  type ImportResource,
  type InitialImportInput,
  type MappingSettings,
  type PageResult,
  type ProvisionResult,
  type RejectedItem,
  type RejectedRef,
  type ReplayRejectedSummary,
  type ResourceProgress,
} from '../contracts/import';
import { describeFailure } from './failure-text';
import { pacedQuota, QuotaPacer, TIMER_THRESHOLD_MS, type PacerState } from './quota-pacer';

/** What one run hands to the next through continueAsNew. */
export interface ImportState {
  storeId: string;
  dryRun: boolean;
  resources: ImportResource[];
  startedAt: string;
  phase: ImportPhase;
  paused: boolean;
  provision: ProvisionResult | null;
  progress: Partial<Record<ImportResource, ResourceProgress>>;
  /** Coupon codes seen on orders, fetched once each by the voucher stage. */
  couponCodes: string[];
  rejected: RejectedItem[];
  /** Rejects beyond the kept list (counted, not listed). */
  rejectedNotListed: number;
  pacers: { shopkit: PacerState; shopimind: PacerState };
  lastError: string | null;
  /** Runs of this import so far (continueAsNew count + 1). */
  run: number;
  historyBudget: number;
  replayWindowMs: number;
  finishRequested: boolean;
}

const MAX_REJECTS_LISTED = 500;
/** History events after which a run hands over to a fresh one, well below Temporal's limits. */
const DEFAULT_HISTORY_BUDGET = 8_000;
/**
 * Pages in flight at once across a stage's lanes. Under any real quota (up to 100 Shopkit requests/s) two
 * keep every slot busy while a page writes, and a worker crash then redoes at most two Shopkit reads.
 * Only without a quota (benchmarks) do reads cost nothing, and more pages fly to use the CPU instead.
 */
const MAX_PAGES_IN_FLIGHT = 2;
const MAX_PAGES_IN_FLIGHT_UNPACED = 12;
const UNPACED_INTERVAL_MS = 10;

const { provisionStore } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, initialInterval: '2 seconds' },
});

const { importPage, replayRejected } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: {
    maximumAttempts: 8,
    initialInterval: '2 seconds',
    maximumInterval: '1 minute',
  },
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
  const state = input.state ?? newState(input);
  let shopkit: QuotaPacer | undefined;

  setHandler(progressQuery, () => progressOf(state, shopkit));
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

  try {
    publishPhase(state);
    let provision = state.provision;
    if (!provision) {
      provision = await provisionStore({ storeId: state.storeId, dryRun: state.dryRun });
      state.provision = provision;
    }
    // Memos do not follow continueAsNew: every run sets it again.
    upsertMemo({ storeName: provision.storeName });
    const paced = new QuotaPacer(pacedQuota(provision.quotas, 'shopkit'), state.pacers.shopkit);
    shopkit = paced;
    const shopimind = new QuotaPacer(pacedQuota(provision.quotas, 'shopimind'), state.pacers.shopimind);
    const mapping = mappingSettings(state);

    for (const stage of IMPORT_STAGES) {
      const lanes = stage.resources.filter((resource) => state.resources.includes(resource));
      if (lanes.every((resource) => progressFor(state, resource).done)) continue;
      state.phase = stage.phase;
      publishPhase(state);
      const running = { running: 0, inFlight: 0 };
      await Promise.all(lanes.map((resource) => runLane(state, resource, mapping, paced, shopimind, running)));
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
    return progressOf(state, paced);
  } catch (err) {
    if (isCancellation(err)) {
      // A command, not an await: it still goes out with the cancelled run's last workflow task.
      upsertSearchAttributes([{ key: SyncPhaseAttribute, value: 'cancelled' }]);
      log.info('import cancelled', { storeId: state.storeId, phase: state.phase });
    }
    throw err;
  }
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
): Promise<void> {
  const progress = progressFor(state, resource);
  const inFlight = new Map<number, Promise<void>>();
  let shopimindEstimate = 1;
  let latencyMs = 0;

  const runPage = async (page: number): Promise<void> => {
    for (;;) {
      await condition(() => !state.paused);
      const codes =
        resource === 'vouchers' ? state.couponCodes.slice((page - 1) * VOUCHER_BATCH, page * VOUCHER_BATCH) : undefined;
      const shopkitCalls = codes ? codes.length : resource === 'customerGroups' || resource === 'orderStatuses' ? 0 : 1;
      const estimate = shopimindEstimate;
      const now = Date.now();
      const launchedAt = now;
      const startAt = Math.max(
        shopkitCalls > 0 ? shopkit.reserve(now, shopkitCalls) : now,
        shopimind.reserve(now, estimate),
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
        // Every retry is spent or the failure is final (e.g. a revoked key): keep all progress and wait
        // for an operator's `resume` rather than fail and lose the run's place.
        state.lastError = `${resource} page ${page}: ${describeFailure(err)}`;
        state.paused = true;
        publishPhase(state);
        log.warn('import paused on failure', { storeId: state.storeId, resource, page, error: state.lastError });
        continue;
      }
      shopkit.charge(Date.now(), result.calls.shopkit - shopkitCalls);
      shopimind.charge(Date.now(), result.calls.shopimind - estimate);
      shopimindEstimate = Math.max(1, result.calls.shopimind);
      latencyMs = latencyMs === 0 ? Date.now() - launchedAt : 0.7 * latencyMs + 0.3 * (Date.now() - launchedAt);
      applyPage(state, resource, page, result, codes?.length ?? 0);
      return;
    }
  };

  const nextPage = () => {
    let page = progress.pagesDone + 1;
    while (progress.completedAhead.includes(page) || inFlight.has(page)) page++;
    return page;
  };
  const window = () => {
    if (resource === 'vouchers' || progress.pageCount === null) return 1;
    const slotsPerPage = latencyMs / (shopkit.intervalMs * Math.max(1, lanes.running));
    return Math.max(1, Math.ceil(slotsPerPage));
  };
  // Beyond the known page count only when nothing is in flight: a page that grew the list says so.
  const canLaunch = () =>
    !state.paused &&
    lanes.inFlight < (shopkit.intervalMs < UNPACED_INTERVAL_MS ? MAX_PAGES_IN_FLIGHT_UNPACED : MAX_PAGES_IN_FLIGHT) &&
    inFlight.size < window() &&
    (inFlight.size === 0 || nextPage() <= (progress.pageCount ?? Number.POSITIVE_INFINITY));

  lanes.running += 1;
  while (!progress.done && !historyBudgetSpent(state.historyBudget)) {
    await condition(() => progress.done || historyBudgetSpent(state.historyBudget) || canLaunch());
    if (progress.done || !canLaunch()) continue;
    const page = nextPage();
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

function applyPage(
  state: ImportState,
  resource: ImportResource,
  page: number,
  result: PageResult,
  codes: number,
): void {
  const progress = progressFor(state, resource);
  progress.completedAhead.push(page);
  while (progress.completedAhead.includes(progress.pagesDone + 1)) {
    progress.pagesDone += 1;
    progress.completedAhead = progress.completedAhead.filter((p) => p !== progress.pagesDone);
  }
  progress.read += result.read;
  for (const [target, count] of Object.entries(result.sent)) {
    progress.sentByTarget[target] = (progress.sentByTarget[target] ?? 0) + count;
    progress.sent += count;
  }
  progress.rejected += result.rejectedCount;
  addRejects(state, result.rejected, result.rejectedCount);
  if (resource === 'vouchers') {
    progress.total = state.couponCodes.length;
    progress.pageCount = Math.ceil(state.couponCodes.length / VOUCHER_BATCH);
    progress.done = codes === 0 || page * VOUCHER_BATCH >= state.couponCodes.length;
  } else {
    progress.total = result.total ?? progress.total;
    if (result.done) progress.lastPage = Math.min(progress.lastPage ?? page, page);
    progress.pageCount = progress.lastPage ?? Math.max(progress.pageCount ?? 0, result.pageCount);
    progress.done = progress.lastPage !== null && progress.pagesDone >= progress.lastPage;
  }
  if (result.couponCodes.length > 0) {
    const known = new Set(state.couponCodes);
    for (const code of result.couponCodes) if (!known.has(code)) state.couponCodes.push(code);
  }
}

function addRejects(state: ImportState, rejects: RejectedItem[], count: number): void {
  const room = Math.max(0, MAX_REJECTS_LISTED - state.rejected.length);
  state.rejected.push(...rejects.slice(0, room));
  state.rejectedNotListed += count - Math.min(room, rejects.length);
}

async function replay(state: ImportState): Promise<ReplayRejectedSummary> {
  // Records Shopkit served in a form we cannot read stay listed: re-reading cannot change them.
  const replayable = state.rejected.filter((item) => item.stage !== 'read');
  const refs = uniqueRefs(replayable);
  const result = await replayRejected({
    storeId: state.storeId,
    mapping: mappingSettings(state),
    items: refs,
    couponCodes: state.couponCodes,
  });
  state.rejected = [...state.rejected.filter((item) => item.stage === 'read'), ...result.stillRejected];
  for (const ref of result.resent) {
    const progress = progressFor(state, ref.resource);
    progress.rejected = Math.max(0, progress.rejected - 1);
  }
  return { resent: result.resent.length, stillRejected: result.stillRejected.length };
}

/** One reference per source record: a record rejected for several targets is replayed once. */
function uniqueRefs(items: readonly RejectedItem[]): RejectedRef[] {
  const refs = new Map<string, RejectedRef>();
  for (const { resource, sourceId, page } of items)
    refs.set(`${resource}/${page}/${sourceId}`, { resource, sourceId, page });
  return [...refs.values()];
}

function assertReplayable(state: ImportState): void {
  if (!state.provision) throw new Error('The import has not provisioned the store yet; nothing to replay.');
  if (state.dryRun) throw new Error('A dry run writes nothing, so it has nothing to replay.');
}

function historyBudgetSpent(budget: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > budget;
}

function newState(input: InitialImportInput): ImportState {
  const resources = input.resources?.length
    ? IMPORT_RESOURCES.filter((r) => input.resources?.includes(r))
    : [...IMPORT_RESOURCES];
  const now = new Date().toISOString();
  return {
    storeId: input.storeId,
    dryRun: input.dryRun ?? false,
    resources,
    startedAt: now,
    phase: 'provisioning',
    paused: false,
    provision: null,
    progress: {},
    couponCodes: [],
    rejected: [],
    rejectedNotListed: 0,
    pacers: { shopkit: { nextAt: 0 }, shopimind: { nextAt: 0 } },
    lastError: null,
    run: 1,
    historyBudget: input.historyBudget ?? DEFAULT_HISTORY_BUDGET,
    replayWindowMs: input.replayWindowMs ?? 7 * 24 * 3_600_000,
    finishRequested: false,
  };
}

function progressFor(state: ImportState, resource: ImportResource): ResourceProgress {
  let progress = state.progress[resource];
  if (!progress) {
    progress = {
      total: null,
      pageCount: null,
      pagesDone: 0,
      read: 0,
      sent: 0,
      rejected: 0,
      done: false,
      sentByTarget: {},
      completedAhead: [],
      lastPage: null,
    };
    state.progress[resource] = progress;
  }
  return progress;
}

function mappingSettings(state: ImportState): MappingSettings {
  const provision = state.provision;
  if (!provision) throw ApplicationFailure.nonRetryable('store not provisioned', CONNECTOR_FAILURES.workflowState);
  return mappingSettingsOf(provision);
}

function publishPhase(state: ImportState): void {
  upsertSearchAttributes([
    { key: ShopkitStoreAttribute, value: state.storeId },
    { key: SyncPhaseAttribute, value: state.paused ? 'paused' : state.phase },
  ]);
}

function progressOf(state: ImportState, shopkit: QuotaPacer | undefined): ImportProgress {
  return {
    storeId: state.storeId,
    phase: state.phase,
    paused: state.paused,
    dryRun: state.dryRun,
    startedAt: state.startedAt,
    eta: etaOf(state, shopkit),
    resources: state.progress,
    rejectedTotal: state.rejected.length + state.rejectedNotListed,
    lastError: state.lastError,
    run: state.run,
    mapping: state.provision ? mappingSettings(state) : null,
  };
}

/** Remaining Shopkit calls at the paced rate; unknown page counts count as one page. */
function etaOf(state: ImportState, shopkit: QuotaPacer | undefined): string | null {
  if (state.phase === 'done' || !shopkit) return null;
  let calls = 0;
  for (const resource of state.resources) {
    const progress = state.progress[resource];
    if (resource === 'customerGroups' || resource === 'orderStatuses' || progress?.done) continue;
    if (resource === 'vouchers') calls += state.couponCodes.length - (progress?.pagesDone ?? 0) * VOUCHER_BATCH;
    else calls += Math.max(1, (progress?.pageCount ?? 1) - (progress?.pagesDone ?? 0));
  }
  const start = Math.max(Date.now(), shopkit.state.nextAt);
  return new Date(start + shopkit.durationFor(Math.max(0, calls))).toISOString();
}
