import { Context } from '@temporalio/activity';
import { heartbeat } from './heartbeat';
import { CUSTOMER_PROFILE_DEFINITION } from '../mapping';
import type {
  Rejection,
  ShopimindClient,
  ShopimindCustomDataDefinition,
  ShopimindCustomDataRecord,
  ShopimindResourceName,
  ShopimindStoredCustomDataDefinition,
} from '../shopimind';
import type { MappingResult } from '../mapping';
import type { MappingSettings, RejectedItem } from '../contracts/import';
import { CATALOG_INDEX_DEFINITION } from './import/catalog-index';

/** Items bound for one ShopiMind route, each remembering the Shopkit record it came from. */
export interface TargetBatch {
  target: string;
  items: unknown[];
  /** `owners[i]` is the source of `items[i]`, so a reject names the record it came from. */
  owners: string[];
}

export type RejectHandler = (target: string, owner: string, reasons: string[], source: Rejection['source']) => void;

/** Where a collector's rejects go: the import lists them per page, the sync keeps a sample and a count. */
export interface RejectSink {
  reject(target: string, owner: string, reasons: string[], stage: RejectedItem['stage']): void;
}

/**
 * Collects what one activity writes, target by target in the order the targets were first added (parents
 * before the items referencing them), each item tied to the Shopkit record it came from; every rejection,
 * in mapping or from ShopiMind, goes to the sink. The import and the sync both collect and write here.
 */
export class TargetBatches<Sink extends RejectSink = RejectSink> {
  private readonly targets = new Map<string, TargetBatch>();

  constructor(readonly rejects: Sink) {}

  /** One record's mapping: every item and every rejection is tied to `owner`. */
  add<T>(target: string, owner: string, result: MappingResult<T>): void {
    const batch = this.batch(target);
    for (const item of result.items) {
      batch.items.push(item);
      batch.owners.push(owner);
    }
    for (const rejection of result.rejected) this.reject(target, owner, rejection.reasons, 'map');
  }

  /** Items that belong to no single record (seed rows, per-page carriers). */
  addShared<T>(target: string, result: MappingResult<T>): void {
    const batch = this.batch(target);
    batch.items.push(...result.items);
    batch.owners.push(...result.items.map(() => `${target}:shared`));
    for (const rejection of result.rejected) this.reject(target, rejection.sourceId, rejection.reasons, 'map');
  }

  reject(target: string, owner: string, reasons: string[], stage: RejectedItem['stage']): void {
    this.rejects.reject(target, owner, reasons, stage);
  }

  /** Targets holding items, in the order they were first added. */
  batches(): TargetBatch[] {
    return [...this.targets.values()].filter((batch) => batch.items.length > 0);
  }

  /** Writes every target (see {@link writeTargets}); ShopiMind's rejects go to the sink. */
  write(shopimind: ShopimindClient, mapping: MappingSettings): Promise<Record<string, number>> {
    return writeTargets(shopimind, mapping, this.batches(), (target, owner, reasons, source) =>
      this.reject(target, owner, reasons, source),
    );
  }

  private batch(target: string): TargetBatch {
    let batch = this.targets.get(target);
    if (!batch) this.targets.set(target, (batch = { target, items: [], owners: [] }));
    return batch;
  }
}

/** Custom data targets and the definition each writes to. */
const customDataTargets: Record<string, (mapping: MappingSettings) => ShopimindStoredCustomDataDefinition> = {
  customerProfiles: (mapping) => storedDefinition(CUSTOMER_PROFILE_DEFINITION, mapping.customDataDefinitionId),
  catalogIndex: (mapping) => storedDefinition(CATALOG_INDEX_DEFINITION, mapping.catalogDefinitionId),
};

/**
 * Writes batches target by target, in the order given (parents first), as bulk upserts or custom data
 * records, and hands every item ShopiMind refuses to `onReject`. The import and the sync both write
 * through here. Returns the accepted counts per target.
 */
export async function writeTargets(
  shopimind: ShopimindClient,
  mapping: MappingSettings,
  batches: Iterable<TargetBatch>,
  onReject: RejectHandler,
): Promise<Record<string, number>> {
  const sent: Record<string, number> = {};
  for (const batch of batches) {
    if (batch.items.length === 0) continue;
    // An attempt Temporal gave up on (its heartbeat timed out, a retry may already run elsewhere) learns it
    // at its next heartbeat: from then on it must not write what it read before its successor did.
    Context.current().cancellationSignal.throwIfAborted();
    const definition = customDataTargets[batch.target]?.(mapping);
    const result = definition
      ? await shopimind.writeCustomDataRecords(definition, batch.items as ShopimindCustomDataRecord[])
      : await shopimind.upsert(batch.target as ShopimindResourceName, batch.items as never);
    sent[batch.target] = (sent[batch.target] ?? 0) + result.sent;
    for (const rejection of result.rejected) {
      onReject(
        batch.target,
        batch.owners[rejection.index] ?? `#${rejection.index}`,
        rejection.reasons.map((reason) => (reason.path ? `${reason.path}: ${reason.message}` : reason.message)),
        rejection.source,
      );
    }
    heartbeat({ target: batch.target });
  }
  return sent;
}

export function storedDefinition(
  definition: ShopimindCustomDataDefinition,
  id: number | null,
): ShopimindStoredCustomDataDefinition {
  if (id === null) throw new Error(`the custom data definition "${definition.name}" was not provisioned`);
  return { ...definition, id };
}
