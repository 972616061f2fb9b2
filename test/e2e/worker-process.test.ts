import { request } from 'undici';
import { freePort } from '../../src/temporal/free-port';
import { spawnCli, waitForWorker } from '../support/processes';
import { readTestRuntime } from '../support/test-runtime';
import { connectClient } from '../../src/temporal/temporal-client';
import { testTemporalSettings } from '../support/temporal';

const storeEnv = {
  STORE_ID: 'metrics-store',
  SHOPKIT_API_KEY: 'shopkit-key-for-the-worker-process',
  SHOPKIT_WEBHOOK_SECRET: 'secret-for-the-worker-process',
  SHOPIMIND_API_KEY: 'shopimind-key-for-the-worker-process',
};

describe('shopkit-sync worker as a process', () => {
  it('serves Prometheus metrics, logs JSON without secrets, and stops cleanly on SIGTERM', async () => {
    const { address } = readTestRuntime();
    const client = await connectClient(testTemporalSettings(address));
    const connection = client.connection;
    const taskQueue = `e2e-worker-${process.pid}`;
    const metricsPort = await freePort();
    const worker = spawnCli(['worker'], {
      ...storeEnv,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'info',
      // Every other spawned worker starts from the test run's bundle: this one bundles at start, as by default.
      WORKFLOW_BUNDLE: '',
    });
    try {
      await waitForWorker(client, taskQueue);
      const metrics = await request(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(metrics.statusCode).toBe(200);
      expect(await metrics.body.text()).toMatch(/^temporal_\w+/m);
    } finally {
      expect(await worker.stop('SIGTERM')).toBe(0);
      await connection.close();
    }
    const lines = worker
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    const started = lines.map((line) => JSON.parse(line) as { msg: string }).find((l) => l.msg === 'starting worker');
    expect(started).toBeDefined();
    expect(started).not.toHaveProperty('config.workflowBundle');
    expect(JSON.stringify(started)).toContain('[redacted]');
    for (const secret of Object.values(storeEnv).slice(1)) expect(worker.output()).not.toContain(secret);
  });
});
