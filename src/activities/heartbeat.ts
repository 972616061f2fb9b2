import { Context } from '@temporalio/activity';

/**
 * Records progress of a regular activity. Temporal persists every heartbeat that reaches it (a write of the
 * workflow's state), so an attempt younger than a third of its heartbeat timeout sends none: it cannot
 * be taken for dead yet, and most import pages then finish without one. A cancellation still reaches a
 * longer attempt at its first heartbeat after that. A local activity (a sync flush that needs no Shopkit
 * read) has no heartbeat at all: the workflow task that runs it is its liveness.
 */
export function heartbeat(details: unknown): void {
  const ctx = Context.current();
  const { isLocal, heartbeatTimeoutMs, currentAttemptScheduledTimestampMs } = ctx.info;
  if (isLocal) return;
  if (heartbeatTimeoutMs && Date.now() - currentAttemptScheduledTimestampMs < heartbeatTimeoutMs / 3) return;
  ctx.heartbeat(details);
}
