/**
 * CPU cost of the payload codec alone (see bench/RESULTS.md): seal and open payloads the size of what the
 * workflows carry — a sync status (~1 KB), an order signal (~6 KB), a page of 50 orders (~200 KB).
 *
 *   npx tsx bench/payload-codec.ts [iterations=2000]
 *
 * Prints one JSON line per size: microseconds per encode and per decode, and MB/s.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { ShopkitStoreGenerator } from '../src/sandbox/store-generator';
import { AesGcmPayloadCodec, generatePayloadKey } from '../src/temporal/payload-codec';

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 2_000);
  const codec = new AesGcmPayloadCodec({ current: generatePayloadKey() });
  const store = new ShopkitStoreGenerator({ seed: 7, sizes: { products: 20, clients: 50, orders: 50 } });
  const orders = Array.from({ length: 50 }, (_, i) => store.order(i));
  const samples = {
    'sync status (~1 KB)': { counters: { received: 120, flushes: 9 }, pending: 0, note: 'x'.repeat(900) },
    'order signal (~6 KB)': { kind: 'order', order: orders[0] },
    'page of 50 orders': orders,
  };
  for (const [name, value] of Object.entries(samples)) {
    const payload = defaultPayloadConverter.toPayload(value);
    const bytes = payload.data?.length ?? 0;
    const sealed = await codec.encode([payload]);
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await codec.encode([payload]);
    const encoded = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await codec.decode(sealed);
    const decoded = process.hrtime.bigint();
    const micros = (from: bigint, to: bigint) => Number(to - from) / 1_000 / iterations;
    const encodeUs = micros(started, encoded);
    const decodeUs = micros(encoded, decoded);
    process.stdout.write(
      `${JSON.stringify({
        payload: name,
        bytes,
        encodeMicros: Number(encodeUs.toFixed(1)),
        decodeMicros: Number(decodeUs.toFixed(1)),
        encodeMBps: Math.round(bytes / encodeUs),
        decodeMBps: Math.round(bytes / decodeUs),
      })}\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
