/**
 * A bounded hand-off between the invoice reader (one page at a time from the database) and the QBO workers,
 * so memory stays flat however many invoices there are.
 */
export class WorkQueue<T> {
  private items: T[] = [];
  private head = 0;
  private closed = false;
  private waiters: Array<() => void> = [];

  get size(): number {
    return this.items.length - this.head;
  }

  /** Closed and empty: nothing more will ever come. */
  get drained(): boolean {
    return this.closed && this.size === 0;
  }

  push(items: readonly T[]): void {
    for (const item of items) this.items.push(item);
    this.wake();
  }

  /** No more items will come; takers get what is left, then empty arrays. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** Up to `max` items; waits while the queue is empty and open. Empty array = closed and drained. */
  async take(max: number): Promise<T[]> {
    while (this.size === 0 && !this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    const taken = this.items.slice(this.head, this.head + max);
    this.head += taken.length;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.wake();
    return taken;
  }

  /** Resolves once fewer than `n` items wait (back-pressure for the reader). */
  async waitBelow(n: number): Promise<void> {
    while (this.size >= n && !this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
