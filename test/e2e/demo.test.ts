import type { DemoSummary } from '../../src/cli/demo/demo-summary';
import { runCli } from '../support/processes';
import { readTestRuntime } from '../support/test-runtime';

describe('shopkit-sync demo', () => {
  it('imports, syncs live activity and reports zero mismatches (reduced size, --json)', async () => {
    const { address } = readTestRuntime();
    const { code, output } = await runCli(
      [
        'demo',
        '--json',
        '--orders',
        '200',
        '--clients',
        '60',
        '--products',
        '20',
        '--shopkit-rps',
        '50',
        '--shopimind-rps',
        '200',
        '--activity-seconds',
        '4',
        '--events-per-second',
        '5',
        '--data-dir',
        '.data/demo-test',
      ],
      { TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: `e2e-demo-${process.pid}` },
    );
    const line = output.split('\n').find((l) => l.startsWith('{"storeId"'));
    expect({ code, found: line !== undefined }).toEqual({ code: 0, found: true });
    const summary = JSON.parse(line as string) as DemoSummary;
    expect(summary.ok).toBe(true);
    expect(summary.temporalAddress).toBe(address);
    expect(summary.sync?.events).toBe(20);
    const byResource = new Map(summary.rows.map((row) => [row.resource, row]));
    expect(byResource.get('orders')).toMatchObject({ shopkit: 200, expected: 200, shopimind: 200, mismatches: 0 });
    expect(byResource.get('orders')?.mismatchesAfterSync).toBe(0);
    for (const row of summary.rows) {
      expect({ resource: row.resource, rejected: row.rejected, mismatches: row.mismatches }).toEqual({
        resource: row.resource,
        rejected: 0,
        mismatches: 0,
      });
    }
  });
});
