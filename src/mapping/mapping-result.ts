import type { z } from 'zod';

/** Why one source record produced no output item; `sourceId` names the Shopkit record. */
export interface Rejection {
  sourceId: string;
  reasons: string[];
}

export interface MappingResult<T> {
  items: T[];
  rejected: Rejection[];
}

/** Thrown inside a mapper for a documented rejection (e.g. an order without e-mail); caught per item. */
export class MappingRejection extends Error {
  constructor(readonly reasons: string[]) {
    super(reasons.join('; '));
    this.name = 'MappingRejection';
  }
}

export function reject(reason: string): never {
  throw new MappingRejection([reason]);
}

interface MapEachOptions<S, T> {
  /** The ShopiMind write schema every produced item must satisfy (the item itself is what gets returned). */
  schema: z.ZodType<T>;
  /** Names the source record in rejections. */
  sourceId: (source: S) => string;
  /** Maps one source record to zero, one or several items; may throw. */
  map: (source: S) => T | readonly T[];
  /** Names one produced item when a source yields several (variations, images, addresses). */
  itemId?: (item: T, source: S) => string;
}

/**
 * Maps every source record independently: a throwing or schema-invalid record becomes a rejection and
 * never stops the batch, so the caller only ever sends items that passed the ShopiMind schema.
 */
export function mapEach<S, T>(sources: readonly S[], options: MapEachOptions<S, T>): MappingResult<T> {
  const result: MappingResult<T> = { items: [], rejected: [] };
  for (const source of sources) {
    const sourceId = safeSourceId(options.sourceId, source);
    let produced: readonly T[];
    try {
      const mapped = options.map(source);
      produced = Array.isArray(mapped) ? (mapped as readonly T[]) : [mapped as T];
    } catch (error) {
      result.rejected.push({ sourceId, reasons: reasonsOf(error) });
      continue;
    }
    for (const item of produced) {
      const parsed = options.schema.safeParse(item);
      if (parsed.success) {
        result.items.push(item);
      } else {
        const itemId = options.itemId ? safeItemId(options.itemId, item, source, sourceId) : sourceId;
        result.rejected.push({
          sourceId: itemId,
          reasons: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`),
        });
      }
    }
  }
  return result;
}

function reasonsOf(error: unknown): string[] {
  if (error instanceof MappingRejection) return error.reasons;
  const message = error instanceof Error ? error.message : String(error);
  return [`unexpected mapping error: ${message}`];
}

function safeSourceId<S>(sourceId: (source: S) => string, source: S): string {
  try {
    return sourceId(source);
  } catch {
    return '(unidentified)';
  }
}

function safeItemId<S, T>(itemId: (item: T, source: S) => string, item: T, source: S, fallback: string): string {
  try {
    return itemId(item, source);
  } catch {
    return fallback;
  }
}
