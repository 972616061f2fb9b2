import { MockActivityEnvironment } from '@temporalio/testing';
import { writeTargets } from '../../src/activities/shopimind-writer';
import type { MappingSettings } from '../../src/contracts';
import type { ShopimindClient } from '../../src/shopimind';

const mapping = {} as MappingSettings;

/** A client that records the routes written, so the test sees which batches went out. */
function recordingClient(written: string[]): ShopimindClient {
  return {
    upsert: (target: string, items: unknown[]) => {
      written.push(target);
      return Promise.resolve({ sent: items.length, rejected: [] });
    },
  } as unknown as ShopimindClient;
}

const batches = [
  { target: 'customers', items: [{ id: 1 }], owners: ['clients/1'] },
  { target: 'orders', items: [{ id: 2 }], owners: ['orders/2'] },
];

describe('writeTargets: the one ShopiMind writer of the import and the sync', () => {
  it('writes target by target, in the order given', async () => {
    const written: string[] = [];
    const sent = await new MockActivityEnvironment().run(() =>
      writeTargets(recordingClient(written), mapping, batches, () => undefined),
    );
    expect(written).toEqual(['customers', 'orders']);
    expect(sent).toEqual({ customers: 1, orders: 1 });
  });

  it('writes nothing more once Temporal has cancelled the attempt (e.g. its heartbeat timed out)', async () => {
    const written: string[] = [];
    const env = new MockActivityEnvironment();
    const client = recordingClient(written);
    const upsert = client.upsert.bind(client);
    // The attempt learns of its cancellation while its first batch is being written.
    client.upsert = (target: never, items: never) => {
      env.cancel('TIMED_OUT');
      return upsert(target, items);
    };
    await expect(env.run(() => writeTargets(client, mapping, batches, () => undefined))).rejects.toThrow();
    expect(written).toEqual(['customers']);
  });
});
