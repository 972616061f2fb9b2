/**
 * Benchmarks the sandbox Shopkit store: (1) generating 100k orders on demand, (2) the simulator
 * serving every order page (quota off) through ShopkitClient, validation included.
 *
 *   npx tsx bench/shopkit-generator.ts [orders=100000]
 */
import { availableParallelism, cpus } from 'node:os';
import { startShopkitSimulator } from '../src/sandbox/shopkit-simulator';
import { ShopkitStoreGenerator } from '../src/sandbox/store-generator';
import { ShopkitClient } from '../src/shopkit';

const orders = Number(process.argv[2] ?? 100_000);
const sizes = { products: 5_000, clients: 20_000, orders };
const mb = (bytes: number) => (bytes / 1_048_576).toFixed(0);
const peakRssMb = () => mb(process.resourceUsage().maxRSS * 1024);

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'})`);
  console.log(`sizes ${JSON.stringify(sizes)}; RSS at start ${mb(process.memoryUsage().rss)} MB`);

  const generator = new ShopkitStoreGenerator({ seed: 1, sizes });
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < orders; i++) bytes += JSON.stringify(generator.order(i)).length;
  const generateMs = performance.now() - started;
  console.log(
    `generate: ${orders} orders in ${(generateMs / 1000).toFixed(2)} s ` +
      `(${Math.round(orders / (generateMs / 1000))} orders/s, ${mb(bytes)} MB of JSON), peak RSS ${peakRssMb()} MB`,
  );

  const sim = await startShopkitSimulator({ seed: 1, sizes, quota: null });
  try {
    const client = new ShopkitClient({
      storeId: 'bench',
      shopkit: { baseUrl: sim.baseUrl, apiKey: sim.apiKey, webhookSecret: sim.webhookSecret, quotaPerHour: 1e9 },
      shopimind: { baseUrl: 'http://127.0.0.1:9', apiKey: 'unused', quotaPerMinute: 600 },
    });
    let items = 0;
    let invalid = 0;
    let requests = 0;
    const served = performance.now();
    for await (const page of client.pages('orders')) {
      requests++;
      items += page.items.length;
      invalid += page.invalid.length;
    }
    const serveS = (performance.now() - served) / 1000;
    console.log(
      `serve: ${requests} pages of 50, ${items} orders (${invalid} invalid) in ${serveS.toFixed(2)} s: ` +
        `${Math.round(requests / serveS)} requests/s, ${Math.round(items / serveS)} orders/s, peak RSS ${peakRssMb()} MB`,
    );
  } finally {
    await sim.close();
  }
}

void main();
