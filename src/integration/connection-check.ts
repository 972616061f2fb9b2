import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { checkConnectionWorkflowId } from '../contracts';
import { checkConnectionWorkflow } from '../workflows';
import type { ConnectionCheck } from './installation-lifecycle';

/** A connection check takes a worker a few seconds; ShopiMind waits on the lifecycle answer meanwhile. */
const CHECK_TIMEOUT = '30 seconds';

/** Connection checks through a worker (`checkConnectionWorkflow`), the same workflow as `shopkit-sync check-connection`. */
export function temporalConnectionCheck(client: Client, taskQueue: string): ConnectionCheck {
  return async (storeId) => {
    try {
      await client.workflow.execute(checkConnectionWorkflow, {
        args: [{ storeId }],
        taskQueue,
        workflowId: checkConnectionWorkflowId(storeId, Date.now()),
        workflowExecutionTimeout: CHECK_TIMEOUT,
      });
      return { ok: true };
    } catch (err) {
      if (!(err instanceof WorkflowFailedError)) throw err;
      const cause = err.cause;
      return {
        ok: false,
        error: cause instanceof ApplicationFailure ? `${cause.type ?? 'Failure'}: ${cause.message}` : err.message,
      };
    }
  };
}
