import type { WireObject } from './store-generator';

/**
 * One resource of the sandbox store: `baseCount` generated entities (ids `firstId + i`, built on
 * demand) under an overlay of updates, deletions and creations. Memory grows with the overlay only,
 * never with `baseCount`. Visible order: generated entities by id, then created ones.
 */
export class EntityCollection {
  private readonly updated = new Map<number, WireObject>();
  private readonly created = new Map<number, WireObject>();
  /** Deleted generated indexes, ascending: lets `slice` skip them without scanning. */
  private readonly deletedIndexes: number[] = [];
  private nextId: number;
  private cache: { key: string; version: number; items: WireObject[] } | undefined;
  /** Bumped by every mutation; cached scans of an older version are stale. */
  private version = 0;

  constructor(
    readonly baseCount: number,
    readonly firstId: number,
    private readonly generate: (index: number) => WireObject,
  ) {
    this.nextId = firstId + baseCount;
  }

  get size(): number {
    return this.baseCount - this.deletedIndexes.length + this.created.size;
  }

  /** The id the next created entity gets, and its generator index (ids and indexes stay aligned). */
  reserveId(): { id: number; index: number } {
    const id = this.nextId++;
    return { id, index: id - this.firstId };
  }

  get(id: number): WireObject | undefined {
    const index = this.baseIndex(id);
    if (index === undefined) return this.created.get(id);
    if (this.isDeleted(index)) return undefined;
    return this.updated.get(id) ?? this.generate(index);
  }

  /** Stores a new or changed entity under its `id`. */
  put(entity: WireObject & { id: number }): void {
    if (this.baseIndex(entity.id) === undefined) this.created.set(entity.id, entity);
    else this.updated.set(entity.id, entity);
    this.version++;
  }

  /** Removes an entity; returns its last state, or undefined when it did not exist. */
  remove(id: number): WireObject | undefined {
    const entity = this.get(id);
    if (entity === undefined) return undefined;
    const index = this.baseIndex(id);
    if (index === undefined) {
      this.created.delete(id);
    } else {
      this.updated.delete(id);
      this.deletedIndexes.splice(this.countDeletedUpTo(index), 0, index);
    }
    this.version++;
    return entity;
  }

  /** `limit` visible entities from position `offset`. */
  slice(offset: number, limit: number): WireObject[] {
    const items: WireObject[] = [];
    const visibleBase = this.baseCount - this.deletedIndexes.length;
    let index = offset < visibleBase ? this.nthVisibleIndex(offset) : this.baseCount;
    for (; index < this.baseCount && items.length < limit; index++) {
      if (!this.isDeleted(index)) items.push(this.updated.get(this.firstId + index) ?? this.generate(index));
    }
    const createdOffset = Math.max(0, offset - visibleBase);
    for (const entity of [...this.created.values()].slice(createdOffset, createdOffset + limit - items.length)) {
      items.push(entity);
    }
    return items;
  }

  /**
   * Visible entities matching `match`, in visible order. `base.range` ([from, to) generator
   * indexes) narrows the generated entities to scan, `base.candidates` lists the only ones that can
   * match (a buyer's orders); changed and created entities are always checked, since a change may
   * have moved them into the filter. The last result is cached by
   * `cacheKey` until the next mutation, so paging through a filtered list scans once.
   */
  filter(
    cacheKey: string,
    match: (entity: WireObject) => boolean,
    base: { range?: [number, number]; candidates?: readonly number[] } = {},
  ): WireObject[] {
    if (this.cache?.key === cacheKey && this.cache.version === this.version) return this.cache.items;
    const [from, to] = base.range ?? [0, this.baseCount];
    const inRange = (index: number) => index >= Math.max(0, from) && index < Math.min(to, this.baseCount);
    const matched = new Map<number, WireObject>();
    for (const index of base.candidates ?? indexesBetween(from, Math.min(to, this.baseCount))) {
      if (!inRange(index)) continue;
      const entity = this.isDeleted(index)
        ? undefined
        : (this.updated.get(this.firstId + index) ?? this.generate(index));
      if (entity !== undefined && match(entity)) matched.set(this.firstId + index, entity);
    }
    for (const [id, entity] of this.updated) if (match(entity)) matched.set(id, entity);
    const items = [...matched.entries()].sort(([a], [b]) => a - b).map(([, entity]) => entity);
    for (const entity of this.created.values()) if (match(entity)) items.push(entity);
    this.cache = { key: cacheKey, version: this.version, items };
    return items;
  }

  private baseIndex(id: number): number | undefined {
    const index = id - this.firstId;
    return Number.isInteger(index) && index >= 0 && index < this.baseCount ? index : undefined;
  }

  private isDeleted(index: number): boolean {
    const position = this.countDeletedUpTo(index);
    return position < this.deletedIndexes.length && this.deletedIndexes[position] === index;
  }

  /** How many deleted indexes are below `index` (binary search). */
  private countDeletedUpTo(index: number): number {
    let low = 0;
    let high = this.deletedIndexes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.deletedIndexes[mid] as number) < index) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The generator index of the `n`-th visible generated entity: `n` plus the deletions before it. */
  private nthVisibleIndex(n: number): number {
    let index = n;
    for (;;) {
      const candidate = n + this.countDeletedUpTo(index + 1);
      if (candidate === index && !this.isDeleted(index)) return index;
      index = candidate === index ? index + 1 : candidate;
    }
  }
}

/** `from` … `to - 1`, without an array. */
function* indexesBetween(from: number, to: number): Generator<number> {
  for (let index = Math.max(0, from); index < to; index++) yield index;
}
