/**
 * Throughput of the ShopiMind client against the local simulator, quotas off on both sides: what the client
 * and the simulator cost per request and per item, independent of the 600 requests/minute of the real API.
 *
 *   npx tsx bench/shopimind-client.ts [items=20000]
 */
import { cpus } from 'node:os';
import type { StoreConfig } from '../src/config';
import { startShopimindSimulator } from '../src/sandbox/shopimind-simulator';
import { ShopimindClient, type ShopimindItem, type ShopimindResourceName } from '../src/shopimind';

const T = '2026-05-07T08:00:00.000Z';
const total = Number(process.argv[2] ?? 20_000);

const customer = (i: number): ShopimindItem<'customers'> => ({
  customer_id: `c-${i}`,
  email: `customer${i}@example.com`,
  first_name: 'Ann',
  last_name: 'Lee',
  is_opt_in: true,
  is_newsletter_subscribed: false,
  lang: 'fr',
  group_ids: ['g-1'],
  is_active: true,
  created_at: T,
  updated_at: T,
});
const category = (i: number): ShopimindItem<'productsCategories'> => ({
  category_id: i,
  lang: 'fr',
  name: `Category ${i}`,
  description: 'bench',
  link: `https://shop.example/c/${i}`,
  is_active: true,
  created_at: T,
  updated_at: T,
});

async function main() {
  const sim = await startShopimindSimulator({ quota: null });
  const store: StoreConfig = {
    storeId: 'bench',
    shopkit: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'unused', webhookSecret: 'unused', quotaPerHour: 3600 },
    shopimind: { baseUrl: sim.baseUrl, apiKey: sim.apiKey, quotaPerMinute: 1_000_000_000 },
  };
  const client = new ShopimindClient(store);
  const rows: string[] = [];

  async function run(label: string, calls: [ShopimindResourceName, unknown[]][]) {
    sim.kit.resetStats();
    const started = process.hrtime.bigint();
    const results = await Promise.all(calls.map(([resource, items]) => client.upsert(resource, items as never)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const sent = results.reduce((sum, r) => sum + r.sent, 0);
    const requests = sim.kit.stats().requests;
    rows.push(
      `| ${label} | ${sent} | ${requests} | ${seconds.toFixed(2)} | ${Math.round(requests / seconds)} | ${Math.round(sent / seconds)} |`,
    );
  }

  const customers = Array.from({ length: total }, (_, i) => customer(i));
  const categories = Array.from({ length: total }, (_, i) => category(i + 1));
  await run('warm-up (discarded)', [['customers', customers.slice(0, 1000)]]);
  rows.length = 0;
  await run('customers, 50/call, one call at a time', [['customers', customers]]);
  await run('categories, 100/call, one call at a time', [['productsCategories', categories]]);
  await run('customers + categories side by side', [
    ['customers', customers],
    ['productsCategories', categories],
  ]);
  await sim.close();

  console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString()}`);
  console.log('| run | items sent | requests | seconds | requests/s | items/s |');
  console.log('|---|---:|---:|---:|---:|---:|');
  rows.forEach((row) => console.log(row));
}

void main();
