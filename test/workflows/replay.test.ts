import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readTestRuntime } from '../support/test-runtime';

// Histories recorded by scripts/record-histories.ts from real runs. Replaying them with today's
// workflow code fails on any change that is not deterministic against an already-running workflow.
const dir = resolve(__dirname, '..', 'histories');
const files = readdirSync(dir).filter((file) => file.endsWith('.json'));

describe('replay of recorded workflow histories', () => {
  it('has recorded histories to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'check-connection.json',
        'initial-import-first-run.json',
        'initial-import-last-run.json',
        'store-sync.json',
      ]),
    );
  });

  it.each(files)('replays %s without a nondeterminism error', async (file) => {
    const history = temporal.api.history.v1.History.fromObject(
      JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>,
    );
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: readTestRuntime().bundlePath } }, history, file),
    ).resolves.toBeUndefined();
  });
});
