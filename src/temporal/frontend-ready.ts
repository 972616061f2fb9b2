import type { ChildProcess } from 'node:child_process';
import { hasExited } from '../process/stop-child';
import { withAdminConnection } from './temporal-client';

/**
 * Polls a freshly spawned Temporal server until `namespace` answers `describeNamespace` on `address`;
 * fails early when the process exits first. `what` names the server in errors.
 */
export async function waitUntilServing(
  child: ChildProcess,
  what: string,
  address: string,
  namespace: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      throw new Error(`${what} exited with ${child.signalCode ?? child.exitCode} before answering on ${address}`);
    }
    try {
      await withAdminConnection(
        address,
        (connection) => connection.workflowService.describeNamespace({ namespace }),
        1_000,
      );
      return;
    } catch (err) {
      lastError = err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${what} did not answer on ${address} within ${timeoutMs} ms: ${String(lastError)}`);
}
