import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { generatePayloadKey } from '../../src/temporal/payload-codec';
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
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  const payloadKey = generatePayloadKey();
  const runtime: TestRuntime = { address: server.address, namespace: server.namespace, bundlePath, dir, payloadKey };
  // Test workers are forked after global setup and inherit the environment, and so do the processes they spawn.
  process.env[RUNTIME_ENV] = JSON.stringify(runtime);
  process.env.TEMPORAL_PAYLOAD_KEY = payloadKey;
}
