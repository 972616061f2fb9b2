/**
 * The workflow changes made behind `patched(id)`, so that histories recorded before each one still replay
 * (test/histories). The ids are the only plain text the SDK core writes beside sealed payloads: a patch
 * marker and the `TemporalChangeVersion` search attribute.
 */

/** An import's first run signals its store's sync to hold its events. */
export const IMPORT_HOLDS_SYNC = 'import-holds-sync';

/** A sync flush that needs no Shopkit read runs as a local activity (before: always an activity task). */
export const SYNC_FLUSH_LOCAL = 'sync-flush-local';

/** The sync's waits share one timer until it fires (before: a timer started and cancelled per wait). */
export const SYNC_STEADY_TIMER = 'sync-steady-timer';

/**
 * An import run keeps up to `MAX_PAGES_IN_FLIGHT` (5) pages in flight per stage and its voucher batches side by
 * side (before: 3, and one voucher batch at a time).
 */
export const IMPORT_WIDER_WINDOW = 'import-wider-window';

/**
 * A page's Shopkit reads beyond its reserved one (buyers searched for) are charged where they happened, so
 * those made while the schedule was idle leave no gap (before: always appended after the last reservation).
 */
export const IMPORT_SPACED_READS = 'import-spaced-reads';

export const WORKFLOW_PATCHES: readonly string[] = [
  IMPORT_HOLDS_SYNC,
  SYNC_FLUSH_LOCAL,
  SYNC_STEADY_TIMER,
  IMPORT_WIDER_WINDOW,
  IMPORT_SPACED_READS,
];
