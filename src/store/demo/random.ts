/** A small seeded PRNG (mulberry32): the demo and volume data are the same on every run and machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** A price or quantity as decimal text with the given number of decimals (never through float arithmetic). */
export function decimalText(random: () => number, maxWhole: number, decimals: number): string {
  const whole = Math.floor(random() * maxWhole);
  if (decimals === 0) return String(whole + 1);
  const fraction = Math.floor(random() * 10 ** decimals);
  return `${whole}.${String(fraction).padStart(decimals, '0')}`;
}
