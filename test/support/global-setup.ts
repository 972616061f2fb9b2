import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { generatePayloadKey } from '../../src/temporal/payload-codec';
import { writeWorkflowBundle } from '../../src/temporal/workflow-bundle';
import { RUNTIME_ENV, type TestRuntime } from './test-runtime';

declare global {
  var __temporalDevServer: { server: DevServer; dir: string } | undefined;
}

/** One Temporal dev server and one workflow bundle for the whole jest run. */
export default async function globalSetup(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  mkdirSync(join(root, '.data'), { recursive: true });
  const dir = mkdtempSync(join(root, '.data', 'jest-'));
  const server = await startDevServer({
    dbFile: join(dir, 'temporal.sqlite'),
    uiPort: false,
    logFile: join(dir, 'temporal.log'),
  });
  globalThis.__temporalDevServer = { server, dir };
  const bundlePath = join(dir, 'workflow-bundle.js');
  await writeWorkflowBundle(bundlePath);
  const payloadKey = generatePayloadKey();
  const runtime: TestRuntime = { address: server.address, namespace: server.namespace, bundlePath, dir, payloadKey };
  // Test workers are forked after global setup and inherit the environment, and so do the processes they spawn.
  process.env[RUNTIME_ENV] = JSON.stringify(runtime);
  process.env.TEMPORAL_PAYLOAD_KEY = payloadKey;
  // Spawned workers start from this bundle rather than each running webpack (test/e2e/worker-process.test.ts
  // starts one without it).
  process.env.WORKFLOW_BUNDLE = bundlePath;
}
