import type { MappingResult } from '../../mapping';
import type { ImportResource, RejectedItem } from '../../contracts/import';
import type { TargetBatch } from '../shopimind-writer';

/**
 * Collects one page's output target by target, in the order the targets must be written (parents
 * before the items referencing them), and every rejection with its source record.
 */
export class PageBatch {
  private readonly targets = new Map<string, TargetBatch>();
  readonly rejected: RejectedItem[] = [];

  constructor(
    private readonly resource: ImportResource,
    private readonly page: number,
  ) {}

  /**
   * Maps one record with one mapper. Mapping record by record costs nothing extra (mappers work item
   * by item) and ties every output item and every rejection to `sourceKey`.
   */
  add<T>(target: string, sourceKey: string, result: MappingResult<T>): void {
    const batch = this.batch(target);
    for (const item of result.items) {
      batch.items.push(item);
      batch.owners.push(sourceKey);
    }
    for (const rejection of result.rejected) this.reject(target, sourceKey, rejection.reasons, 'map');
  }

  /** Items that belong to no single record (seed rows, per-page carriers). */
  addShared<T>(target: string, result: MappingResult<T>, sourceKeyOf: (sourceId: string) => string = (id) => id): void {
    const batch = this.batch(target);
    batch.items.push(...result.items);
    batch.owners.push(...result.items.map(() => `${target}:shared`));
    for (const rejection of result.rejected) {
      this.reject(target, sourceKeyOf(rejection.sourceId), rejection.reasons, 'map');
    }
  }

  reject(target: string, sourceId: string, reasons: string[], stage: RejectedItem['stage']): void {
    this.rejected.push({ resource: this.resource, target, sourceId, reasons, stage, page: this.page });
  }

  /** Targets in the order they were first added. */
  batches(): TargetBatch[] {
    return [...this.targets.values()].filter((batch) => batch.items.length > 0);
  }

  private batch(target: string): TargetBatch {
    let batch = this.targets.get(target);
    if (!batch) {
      batch = { target, items: [], owners: [] };
      this.targets.set(target, batch);
    }
    return batch;
  }
}
