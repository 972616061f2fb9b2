import { SignalBatcher } from '../../src/gateway/signal-batcher';

/** A send whose signals the test accepts or refuses one by one. */
function controlledSend() {
  const sent: { storeId: string; events: string[]; accept: () => void; refuse: (err: Error) => void }[] = [];
  const send = (storeId: string, events: string[]) =>
    new Promise<void>((accept, refuse) => sent.push({ storeId, events, accept, refuse }));
  return { sent, send };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('SignalBatcher', () => {
  it("sends a lone event alone, and what arrives while a store's signal is in flight as one signal after it", async () => {
    const { sent, send } = controlledSend();
    const batcher = new SignalBatcher(send, (e: string) => e.length, { lingerMs: 0, maxEvents: 10, maxBytes: 1_000 });
    const settled: string[] = [];
    const deliver = (store: string, event: string) =>
      batcher.deliver(store, event).then(
        () => settled.push(`${event} ok`),
        (err: Error) => settled.push(`${event} ${err.message}`),
      );

    const first = deliver('s1', 'a');
    await tick();
    const rest = [deliver('s1', 'b'), deliver('s1', 'c'), deliver('s2', 'x')];
    await tick();
    // s1 waits for its signal in flight; s2 has its own.
    expect(sent.map((s) => [s.storeId, s.events])).toEqual([
      ['s1', ['a']],
      ['s2', ['x']],
    ]);
    expect(settled).toEqual([]);

    sent[0]?.accept();
    await first;
    await tick();
    expect(settled).toEqual(['a ok']);
    expect(sent[2]?.events).toEqual(['b', 'c']);

    // A refused signal refuses every event it carried, and only those.
    sent[2]?.refuse(new Error('unavailable'));
    sent[1]?.accept();
    await Promise.all(rest);
    expect(settled.sort()).toEqual(['a ok', 'b unavailable', 'c unavailable', 'x ok']);
  });

  it('keeps every signal within the event and byte limits, oldest events first', async () => {
    const { sent, send } = controlledSend();
    const batcher = new SignalBatcher(send, (e: string) => e.length, { lingerMs: 0, maxEvents: 3, maxBytes: 6 });
    const all = ['aaaa', 'bb', 'c', 'dd', 'e', 'f', 'g', 'hhhhhhhh'].map((e) => batcher.deliver('s', e));
    for (let i = 0; i < 5; i++) {
      await tick();
      sent[i]?.accept();
    }
    await Promise.all(all);
    // An event larger than the byte limit still goes, alone.
    expect(sent.map((s) => s.events)).toEqual([['aaaa', 'bb'], ['c', 'dd', 'e'], ['f', 'g'], ['hhhhhhhh']]);
  });
});
