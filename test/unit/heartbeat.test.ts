import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeat } from '../../src/activities/heartbeat';

/** Heartbeats that reach Temporal when an attempt scheduled `ageMs` ago heartbeats once. */
async function heartbeatsSent(info: {
  ageMs: number;
  heartbeatTimeoutMs?: number;
  isLocal?: boolean;
}): Promise<unknown[]> {
  const env = new MockActivityEnvironment({
    isLocal: info.isLocal ?? false,
    heartbeatTimeoutMs: info.heartbeatTimeoutMs,
    currentAttemptScheduledTimestampMs: Date.now() - info.ageMs,
  });
  const sent: unknown[] = [];
  env.on('heartbeat', (details: unknown) => sent.push(details));
  await env.run(() => Promise.resolve(heartbeat({ page: 3 })));
  return sent;
}

describe('heartbeats', () => {
  it('are not sent while the attempt is younger than a third of its heartbeat timeout', async () => {
    expect(await heartbeatsSent({ ageMs: 1_000, heartbeatTimeoutMs: 15_000 })).toEqual([]);
    expect(await heartbeatsSent({ ageMs: 4_900, heartbeatTimeoutMs: 15_000 })).toEqual([]);
  });

  it('are sent once the attempt is older, or when it has no heartbeat timeout', async () => {
    expect(await heartbeatsSent({ ageMs: 5_100, heartbeatTimeoutMs: 15_000 })).toEqual([{ page: 3 }]);
    expect(await heartbeatsSent({ ageMs: 0 })).toEqual([{ page: 3 }]);
  });

  it('are never sent by a local activity', async () => {
    expect(await heartbeatsSent({ ageMs: 60_000, heartbeatTimeoutMs: 15_000, isLocal: true })).toEqual([]);
  });
});
