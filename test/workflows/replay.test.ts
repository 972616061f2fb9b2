import { readdirSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { dataConverterFor } from '../../src/temporal/temporal-client';
import { HISTORIES_DIR, readRecordedHistory } from '../support/history';
import { RECORDING_PAYLOAD_KEY } from '../support/recording-key';
import { readTestRuntime } from '../support/test-runtime';

// Histories recorded by scripts/record-histories.ts from real runs. Replaying them with today's
// workflow code fails on any change that is not deterministic against an already-running workflow.
// They replay through the product's payload codec: plain payloads (histories recorded before the codec)
// pass through it, sealed ones are opened with the recording key.
const files = readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json'));

describe('replay of recorded workflow histories', () => {
  it('has recorded histories to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'check-connection.json',
        'initial-import-first-run.json',
        'initial-import-last-run.json',
        'store-sync.json',
        // A run with flushes as activity tasks and, after the patch, as a local activity.
        'store-sync-local-flush.json',
        // Then one steady timer for every wait instead of a timer started and cancelled per signal.
        'store-sync-steady-timer.json',
        // Import runs with five pages in flight per stage and voucher batches side by side.
        'initial-import-wider-window-first-run.json',
        'initial-import-wider-window-last-run.json',
        // Import runs that charge a page's extra Shopkit reads where they happened.
        'initial-import-spaced-reads-first-run.json',
        'initial-import-spaced-reads-last-run.json',
        // A run in which order pages reserved their buyer searches through the update.
        'initial-import-reservation-run.json',
      ]),
    );
  });

  it.each(files)('replays %s without a nondeterminism error', async (file) => {
    const history = readRecordedHistory(file);
    await expect(
      Worker.runReplayHistory(
        {
          workflowBundle: { codePath: readTestRuntime().bundlePath },
          dataConverter: dataConverterFor({ payloadKey: RECORDING_PAYLOAD_KEY }),
        },
        history,
        file,
      ),
    ).resolves.toBeUndefined();
  });
});
