import type { Client } from '@temporalio/client';
import { checkStoreConnection } from '../temporal/store-workflow-starts';
import type { ConnectionCheck } from './installation-lifecycle';

/** A connection check takes a worker a few seconds; ShopiMind waits on the lifecycle answer meanwhile. */
const CHECK_TIMEOUT = '30 seconds';

/** Connection checks through a worker, the same check as `shopkit-sync check-connection`. */
export function temporalConnectionCheck(client: Client, taskQueue: string): ConnectionCheck {
  return async (storeId) => {
    const outcome = await checkStoreConnection(client, storeId, { taskQueue, timeout: CHECK_TIMEOUT });
    return outcome.ok ? { ok: true } : outcome;
  };
}
