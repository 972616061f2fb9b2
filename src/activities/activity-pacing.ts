import { Context } from '@temporalio/activity';
import { heartbeat } from './heartbeat';

/** Every page of a Shopkit list, spaced by the caller's pacing. */
export async function* pages<P extends { done: boolean; page: number }>(
  spacing: () => Promise<void>,
  read: (page: number) => Promise<P>,
) {
  for (let n = 1; ; n++) {
    await spacing();
    const page = await read(n);
    yield page;
    if (page.done) return;
  }
}

/**
 * A gate for an activity's successive Shopkit calls: the n-th waits for `firstAt + n × intervalMs`, the
 * slots the workflow reserved for them. Anchored to the slots, not to the previous call, so a call that
 * went late does not push every later one further past its slot and towards the next activity's first
 * (which keeps its own slot); the process's token bucket keeps late calls from bunching up.
 */
export function slots(firstAt: number, intervalMs: number, wait = waitUntil): () => Promise<void> {
  let next = firstAt;
  return async () => {
    const at = next;
    next += intervalMs;
    await wait(at);
  };
}

/** Sleeps until `at`, heartbeating so a long wait is not taken for a dead worker. */
export async function waitUntil(at: number): Promise<void> {
  for (let wait = at - Date.now(); wait > 0; wait = at - Date.now()) {
    await Context.current().sleep(Math.min(wait, 5_000));
    heartbeat({ waitingUntil: at });
  }
}
