import { Context } from '@temporalio/activity';

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

/** A gate that spaces successive Shopkit calls of one activity by `intervalMs` (the first passes at once). */
export function paced(intervalMs: number): () => Promise<void> {
  let last = 0;
  return async () => {
    const wait = last + intervalMs - Date.now();
    if (wait > 0) await waitUntil(Date.now() + wait);
    last = Date.now();
  };
}

/** Sleeps until `at`, heartbeating so a long wait is not taken for a dead worker. */
export async function waitUntil(at: number): Promise<void> {
  for (let wait = at - Date.now(); wait > 0; wait = at - Date.now()) {
    await Context.current().sleep(Math.min(wait, 5_000));
    Context.current().heartbeat({ waitingUntil: at });
  }
}
