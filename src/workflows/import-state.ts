/**
 * The import workflow's state: what one run hands to the next through continueAsNew. Pure and
 * deterministic: the workflow hands in its clock.
 */
import {
  IMPORT_RESOURCES,
  type ImportPhase,
  type ImportResource,
  type InitialImportInput,
  type ProvisionResult,
  type RejectedItem,
  type ResourceProgress,
} from '../contracts/import';
import type { PacerState } from './quota-pacer';

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

/** History events after which a run hands over to a fresh one, well below Temporal's limits. */
const DEFAULT_HISTORY_BUDGET = 8_000;

export function newImportState(input: InitialImportInput, now: number): ImportState {
  const resources = input.resources?.length
    ? IMPORT_RESOURCES.filter((r) => input.resources?.includes(r))
    : [...IMPORT_RESOURCES];
  return {
    storeId: input.storeId,
    dryRun: input.dryRun ?? false,
    resources,
    startedAt: new Date(now).toISOString(),
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

/** A resource's progress, created empty the first time it is asked for. */
export function progressFor(state: ImportState, resource: ImportResource): ResourceProgress {
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

/** The run should hand over: past its budget (workflowInfo's length) or when the server suggests it. */
export function historyBudgetSpent(
  history: { historyLength: number; continueAsNewSuggested: boolean },
  budget: number,
): boolean {
  return history.continueAsNewSuggested || history.historyLength > budget;
}
