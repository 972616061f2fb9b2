/** A slice of the caller's input, remembering where each element came from. */
export interface Chunk<T> {
  items: T[];
  /** `indices[i]` is the position of `items[i]` in the caller's input. */
  indices: number[];
}

/** Splits indexed items into consecutive chunks of at most `size`. */
export function chunk<T>(entries: readonly { index: number; item: T }[], size: number): Chunk<T>[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: Chunk<T>[] = [];
  for (let start = 0; start < entries.length; start += size) {
    const slice = entries.slice(start, start + size);
    chunks.push({ items: slice.map((e) => e.item), indices: slice.map((e) => e.index) });
  }
  return chunks;
}
