import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { IMPORT_RESOURCES, type ImportResource } from '../contracts/import';
import type { ImportProgress } from '../contracts';

/**
 * One live bar per resource, drawn from the workflow's `progress` query: pages done of the page
 * count Shopkit announced, with items read/sent/rejected and the quota-based ETA.
 */
export class ImportProgressBars {
  private readonly multibar: MultiBar;
  private readonly bars = new Map<ImportResource, SingleBar>();
  private readonly header: SingleBar;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.multibar = new MultiBar(
      {
        stream,
        clearOnComplete: false,
        hideCursor: true,
        format: ' {resource} [{bar}] {value}/{total} pages | read {read} sent {sent} rejected {rejected}',
        barsize: 24,
      },
      Presets.shades_classic,
    );
    this.header = this.multibar.create(1, 0, {}, { format: ' {status}' });
  }

  update(progress: ImportProgress): void {
    const eta = progress.eta ? `ETA ${new Date(progress.eta).toLocaleTimeString()}` : '';
    const state = progress.paused ? `PAUSED${progress.lastError ? `: ${progress.lastError}` : ''}` : progress.phase;
    this.header.update(0, { status: `store ${progress.storeId} | ${state} | ${eta}` });
    for (const resource of IMPORT_RESOURCES) {
      const p = progress.resources[resource];
      if (!p) continue;
      let bar = this.bars.get(resource);
      const total = Math.max(p.pageCount ?? 1, p.pagesDone, 1);
      if (!bar) {
        bar = this.multibar.create(total, 0, {});
        this.bars.set(resource, bar);
      }
      bar.setTotal(total);
      bar.update(p.done ? total : p.pagesDone, {
        resource: resource.padEnd(14),
        read: p.read,
        sent: p.sent,
        rejected: p.rejected,
      });
    }
  }

  stop(): void {
    this.multibar.stop();
  }
}
