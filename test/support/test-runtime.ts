/** Global setup hands the dev server's address and the workflow bundle to test files through this variable. */
export const RUNTIME_ENV = 'SHOPKIT_SYNC_TEST_RUNTIME';

export interface TestRuntime {
  address: string;
  namespace: string;
  bundlePath: string;
  dir: string;
  /** The run's payload key; global setup also exports it as TEMPORAL_PAYLOAD_KEY to every spawned process. */
  payloadKey: string;
}

export function readTestRuntime(): TestRuntime {
  const raw = process.env[RUNTIME_ENV];
  if (!raw) throw new Error(`${RUNTIME_ENV} is not set: run the tests through jest (global setup starts Temporal)`);
  return JSON.parse(raw) as TestRuntime;
}
