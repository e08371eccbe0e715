/** A small seeded generator (mulberry32) so every bench and soak data set is reproducible from its seed. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** In [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A decimal string with `scale` digits after the point, in [0, maxWhole]; never a float on the way. */
  decimal(maxWhole: number, scale: number): string {
    const whole = this.int(0, maxWhole);
    if (scale === 0) return String(whole);
    const frac = String(this.int(0, 10 ** scale - 1)).padStart(scale, '0');
    return `${whole}.${frac}`;
  }
}
