import { ActivityFailure, ApplicationFailure } from '@temporalio/common';

/**
 * Activities that call Shopkit at a quota slot the workflow reserved (`notBefore`) are attempted once by
 * Temporal and retried by the workflow: a retry Temporal schedules on its own would run long after its
 * slot and fire at once beside the next paced call, one call beyond the quota. Retried by the workflow,
 * each attempt reserves a fresh slot. The schedule is the one Temporal's retry policy used to apply.
 */
export const PACED_ACTIVITY_ATTEMPTS = 8;
const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 60_000;

/** Delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed: 2 s, doubling, at most 1 min. */
export function pacedRetryDelayMs(attempt: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1));
}

/**
 * Whether another attempt may help: not when the activity's own failure says it is final (a refused key,
 * a validation error). Timeouts (a killed worker) and every other failure are retried, as Temporal would.
 */
export function retryablePacedFailure(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return !(cause instanceof ApplicationFailure && cause.nonRetryable);
}

/** The wait before another attempt after attempt `attempt` failed with `err`; undefined when none may follow. */
export function pacedRetryDelayAfter(attempt: number, err: unknown): number | undefined {
  return attempt < PACED_ACTIVITY_ATTEMPTS && retryablePacedFailure(err) ? pacedRetryDelayMs(attempt) : undefined;
}
