import type { CollectionDiff } from '../../sandbox/expected-state';
import type { RejectedItem } from '../../contracts/import';

export interface DemoRow {
  resource: string;
  /** Source records in the Shopkit simulator, for the resources that have a Shopkit list. */
  shopkit: number | null;
  expected: number;
  shopimind: number;
  rejected: number;
  /** Differences from the mapping of the store right after the import. */
  mismatches: number;
  /** The same after the live activity, for the collections the sync keeps exact; null if not compared. */
  mismatchesAfterSync: number | null;
}

export interface DemoSummary {
  storeId: string;
  ok: boolean;
  importSeconds: number;
  /** Webhook → ShopiMind lag of the live activity phase, when it ran. */
  sync: { events: number; lagP50Ms: number; lagP95Ms: number; maxLagMs: number } | null;
  rows: DemoRow[];
  webUi: string | null;
  temporalAddress: string;
}

/** Which Shopkit list each ShopiMind collection is mapped from, for the summary's source column. */
const SOURCES: Record<string, 'products' | 'clients' | 'orders' | 'categories' | 'brands'> = {
  products: 'products',
  productVariations: 'products',
  productImages: 'products',
  catalogIndex: 'products',
  customers: 'clients',
  customerAddresses: 'clients',
  newsletterSubscribers: 'clients',
  customerProfiles: 'clients',
  orders: 'orders',
  productsCategories: 'categories',
  productsManufacturers: 'brands',
};

export function summaryRows(
  diffs: CollectionDiff[],
  afterSync: CollectionDiff[],
  shopkitCounts: Record<string, number>,
  rejected: readonly RejectedItem[],
): DemoRow[] {
  const rejectedByTarget = new Map<string, number>();
  for (const item of rejected) rejectedByTarget.set(item.target, (rejectedByTarget.get(item.target) ?? 0) + 1);
  return diffs.map((diff) => {
    const source = SOURCES[diff.collection];
    return {
      resource: diff.collection,
      shopkit: source ? (shopkitCounts[source] ?? null) : null,
      expected: diff.expected,
      shopimind: diff.actual,
      rejected: rejectedByTarget.get(diff.collection) ?? 0,
      mismatches: countOf(diff),
      mismatchesAfterSync: ((later) => (later ? countOf(later) : null))(
        afterSync.find((d) => d.collection === diff.collection),
      ),
    };
  });
}

const countOf = (diff: CollectionDiff) => diff.missing.length + diff.unexpected.length + diff.different.length;

export function formatSummary(summary: DemoSummary): string {
  const header = ['resource', 'Shopkit', 'expected', 'ShopiMind', 'rejected', 'mismatches', 'after live sync'];
  const rows = summary.rows.map((row) => [
    row.resource,
    row.shopkit === null ? '-' : String(row.shopkit),
    String(row.expected),
    String(row.shopimind),
    String(row.rejected),
    String(row.mismatches),
    row.mismatchesAfterSync === null ? '-' : String(row.mismatchesAfterSync),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  out.push('');
  out.push(`Import took ${summary.importSeconds.toFixed(1)} s.`);
  if (summary.sync) {
    out.push(
      `Live sync: ${summary.sync.events} shop changes delivered as signed webhooks; order update → ShopiMind lag ` +
        `p50 ${summary.sync.lagP50Ms} ms, p95 ${summary.sync.lagP95Ms} ms, max ${summary.sync.maxLagMs} ms.`,
    );
  }
  out.push(
    summary.ok ? 'Result: ShopiMind matches the Shopkit store exactly.' : 'Result: MISMATCHES found (see above).',
  );
  return `${out.join('\n')}\n`;
}
