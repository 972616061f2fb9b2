import type { Reason } from './validation';

/** An item ShopiMind will not store, located in the caller's input. */
export interface Rejection {
  /** Position in the array the caller passed. */
  index: number;
  /** Key values joined by `/` (e.g. `42/fr`), or undefined when the item lacks them. */
  externalId: string | undefined;
  reasons: Reason[];
  /** `local`: refused before sending, no quota spent; `remote`: refused by ShopiMind. */
  source: 'local' | 'remote';
}

/** Outcome of one logical write, summed over its chunks. */
export interface WriteResult {
  /** Items accepted and queued by ShopiMind (`sent_count`). */
  sent: number;
  /** Every refused item, ordered by `index`. */
  rejected: Rejection[];
}

export function mergeResults(results: readonly WriteResult[]): WriteResult {
  return {
    sent: results.reduce((sum, r) => sum + r.sent, 0),
    rejected: results.flatMap((r) => r.rejected).sort((a, b) => a.index - b.index),
  };
}
