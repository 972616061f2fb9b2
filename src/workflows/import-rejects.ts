/**
 * The import's rejected items: the bounded list kept for the `rejected` query, and the replay of them
 * after a fix (what is re-sent, what the result changes). Pure: the workflow calls the replay activity.
 */
import type { RejectedItem, RejectedRef, ReplayRejectedSummary, ReplayResult } from '../contracts/import';
import { progressFor, type ImportState } from './import-state';

const MAX_REJECTS_LISTED = 500;

/** Keeps a page's sample of rejects while the list has room; the rest are only counted. */
export function addRejects(state: ImportState, rejects: RejectedItem[], count: number): void {
  const room = Math.max(0, MAX_REJECTS_LISTED - state.rejected.length);
  state.rejected.push(...rejects.slice(0, room));
  state.rejectedNotListed += count - Math.min(room, rejects.length);
}

/**
 * What a replay re-reads: one reference per source record (a record rejected for several targets is
 * replayed once). Records Shopkit served in a form we cannot read stay listed: re-reading cannot change them.
 */
export function replayableRefs(state: ImportState): RejectedRef[] {
  const refs = new Map<string, RejectedRef>();
  for (const { resource, sourceId, page, stage } of state.rejected) {
    if (stage !== 'read') refs.set(`${resource}/${page}/${sourceId}`, { resource, sourceId, page });
  }
  return [...refs.values()];
}

/** The replay's outcome replaces the replayed rejects; each re-sent record leaves its resource's count. */
export function applyReplay(state: ImportState, result: ReplayResult): ReplayRejectedSummary {
  state.rejected = [...state.rejected.filter((item) => item.stage === 'read'), ...result.stillRejected];
  for (const ref of result.resent) {
    const progress = progressFor(state, ref.resource);
    progress.rejected = Math.max(0, progress.rejected - 1);
  }
  return { resent: result.resent.length, stillRejected: result.stillRejected.length };
}

/** The `replayRejected` update's validator. */
export function assertReplayable(state: ImportState): void {
  if (!state.provision) throw new Error('The import has not provisioned the store yet; nothing to replay.');
  if (state.dryRun) throw new Error('A dry run writes nothing, so it has nothing to replay.');
}
