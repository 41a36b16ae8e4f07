import type { Rng } from './rng';

/**
 * The order of training images in one epoch. shuffle: every image once. balanced: each draw first
 * picks a class uniformly, then the next image of that class from its own shuffled cycle, so a rare
 * class (malignant, normal in BUSI) is seen as often as a common one without repeating one image
 * more than the others of its class. Everything comes from the run's RNG: same seed, same order.
 */
export type Sampling = 'balanced' | 'shuffle';

export function epochOrder(classes: readonly string[], rng: Rng, mode: Sampling): number[] {
  const n = classes.length;
  if (mode === 'shuffle') return rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const byClass = new Map<string, number[]>();
  classes.forEach((c, i) => (byClass.get(c) ?? byClass.set(c, []).get(c)!).push(i));
  const names = [...byClass.keys()].sort();
  const picks = Array.from({ length: n }, () => names[rng.int(names.length)]!);
  const cycles = new Map(names.map((c) => [c, { order: [] as number[], next: 0 }]));
  return picks.map((c) => {
    const cycle = cycles.get(c)!;
    if (cycle.next >= cycle.order.length) {
      cycle.order = rng.shuffle(byClass.get(c)!.slice());
      cycle.next = 0;
    }
    return cycle.order[cycle.next++]!;
  });
}

/** Cuts an epoch's order into batches; the last one may be smaller. */
export function batches(order: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size));
  return out;
}
