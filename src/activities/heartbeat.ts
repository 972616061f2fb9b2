import { Context } from '@temporalio/activity';

/**
 * Records progress of a regular activity. A local activity (a sync flush that needs no Shopkit read) has
 * no heartbeat: the workflow task that runs it is its liveness, so the call does nothing there.
 */
export function heartbeat(details: unknown): void {
  const ctx = Context.current();
  if (!ctx.info.isLocal) ctx.heartbeat(details);
}
