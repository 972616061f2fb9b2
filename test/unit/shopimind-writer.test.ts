import { MockActivityEnvironment } from '@temporalio/testing';
import { TargetBatches, writeTargets } from '../../src/activities/shopimind-writer';
import type { MappingSettings } from '../../src/contracts';
import type { ShopimindClient } from '../../src/shopimind';

const mapping = {} as MappingSettings;

/** A client that records the routes written, so the test sees which batches went out; `refuse` names
 * a route whose first item ShopiMind refuses. */
function recordingClient(written: string[], refuse?: string): ShopimindClient {
  return {
    upsert: (target: string, items: unknown[]) => {
      written.push(target);
      const rejected =
        target === refuse
          ? [{ index: 0, externalId: undefined, reasons: [{ path: 'email', message: 'invalid' }], source: 'remote' }]
          : [];
      return Promise.resolve({ sent: items.length - rejected.length, rejected });
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

  it('collects target by target in first-added order; every reject, mapped or remote, reaches the sink with its owner', async () => {
    const rejects: string[] = [];
    const collected = new TargetBatches({
      reject: (target, owner, reasons, stage) => rejects.push(`${stage} ${target} ${owner}: ${reasons.join('; ')}`),
    });
    collected.add('customers', 'client 1', { items: [{ id: 1 }], rejected: [] });
    collected.add('orders', 'order 2', { items: [{ id: 2 }], rejected: [] });
    collected.add('customers', 'client 3', {
      items: [{ id: 3 }],
      rejected: [{ sourceId: '3', reasons: ['no e-mail'] }],
    });
    collected.add('vouchers', 'coupon X', { items: [], rejected: [] });
    expect(collected.batches().map((batch) => [batch.target, batch.owners])).toEqual([
      ['customers', ['client 1', 'client 3']],
      ['orders', ['order 2']],
    ]);

    const written: string[] = [];
    const sent = await new MockActivityEnvironment().run(() =>
      collected.write(recordingClient(written, 'customers'), mapping),
    );
    expect(written).toEqual(['customers', 'orders']);
    expect(sent).toEqual({ customers: 1, orders: 1 });
    expect(rejects).toEqual(['map customers client 3: no e-mail', 'remote customers client 1: email: invalid']);
  });
});
