/**
 * A least-recently-used map with a count cap and an optional size budget (bytes). Eviction calls
 * onEvict so dependants (cached probability maps) can drop what belongs to the evicted entry.
 * The newest entry is always kept, even when it alone is over budget: the user is looking at it.
 */
export interface LruOptions<V> {
  maxEntries: number;
  maxBytes?: number;
  sizeOf?: (value: V) => number;
  onEvict?: (key: string, value: V) => void;
}

export class LruMap<V> {
  private readonly map = new Map<string, V>();
  private bytes = 0;

  constructor(private readonly options: LruOptions<V>) {}

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    // Re-insert so Map iteration order (oldest first) tracks recency.
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  set(key: string, value: V): void {
    this.delete(key);
    this.map.set(key, value);
    this.bytes += this.size(value);
    this.trim();
  }

  delete(key: string): boolean {
    const value = this.map.get(key);
    if (value === undefined) return false;
    this.map.delete(key);
    this.bytes -= this.size(value);
    this.options.onEvict?.(key, value);
    return true;
  }

  keys(): string[] {
    return [...this.map.keys()];
  }

  get count(): number {
    return this.map.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  private size(value: V): number {
    return this.options.sizeOf ? this.options.sizeOf(value) : 0;
  }

  private trim(): void {
    const { maxEntries, maxBytes } = this.options;
    while (this.map.size > 1 && (this.map.size > maxEntries || (maxBytes !== undefined && this.bytes > maxBytes))) {
      const oldest = this.map.keys().next().value as string;
      this.delete(oldest);
    }
  }
}
