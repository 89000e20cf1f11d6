/** An append-only Int32 buffer that doubles its capacity as needed. */
export class GrowableInt32 {
  private buffer: Int32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Int32Array(Math.max(1, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.buffer.length) this.grow(this.length + 1);
    this.buffer[this.length++] = value;
  }

  /** Element `index` (no bounds check beyond the typed array's own). */
  get(index: number): number {
    return this.buffer[index] as number;
  }

  set(index: number, value: number): void {
    this.buffer[index] = value;
  }

  /** The live contents (a view: valid until the next push). */
  view(): Int32Array {
    return this.buffer.subarray(0, this.length);
  }

  /** A trimmed copy of the contents. */
  toArray(): Int32Array {
    return this.buffer.slice(0, this.length);
  }

  private grow(minCapacity: number): void {
    const next = new Int32Array(Math.max(minCapacity, this.buffer.length * 2));
    next.set(this.buffer);
    this.buffer = next;
  }
}
