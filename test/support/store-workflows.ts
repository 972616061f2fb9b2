import type { Client } from '@temporalio/client';
import { importWorkflowId, storeSyncWorkflowId } from '../../src/contracts';

/** Ends a store's sync and import wherever a test left them (missing or closed ones are fine). */
export async function terminateStoreWorkflows(client: Client, storeId: string): Promise<void> {
  for (const id of [storeSyncWorkflowId(storeId), importWorkflowId(storeId)]) {
    await client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  }
}
