import type { ImportResource, RejectedItem } from '../../contracts/import';
import { TargetBatches, type RejectSink } from '../shopimind-writer';

/** An import page's rejects, each with the resource and page a replay re-reads. */
class PageRejects implements RejectSink {
  readonly items: RejectedItem[] = [];

  constructor(
    private readonly resource: ImportResource,
    private readonly page: number,
  ) {}

  reject(target: string, sourceId: string, reasons: string[], stage: RejectedItem['stage']): void {
    this.items.push({ resource: this.resource, target, sourceId, reasons, stage, page: this.page });
  }
}

/** One import page's output, target by target, and every rejection with its source record. */
export class PageBatch extends TargetBatches<PageRejects> {
  constructor(resource: ImportResource, page: number) {
    super(new PageRejects(resource, page));
  }

  get rejected(): RejectedItem[] {
    return this.rejects.items;
  }
}
