import { SonoError } from '../../common/errors';

/**
 * A seeded random number generator (sfc32, Chris Doty-Humphrey's PractRand "small fast chaotic"
 * generator) whose whole state is four 32-bit words, so a training run can save it in a checkpoint
 * and a resumed run draws exactly the numbers the uninterrupted run would have drawn.
 */
export type RngState = [number, number, number, number];

export class Rng {
  private s: Uint32Array;

  constructor(seedOrState: number | RngState) {
    if (typeof seedOrState === 'number') {
      if (!Number.isFinite(seedOrState)) throw new SonoError('INVALID_ARGUMENT', `seed ${seedOrState} is not a number`);
      this.s = Uint32Array.from([0x9e3779b9, 0x243f6a88, 0xb7e15162, seedOrState >>> 0]);
      for (let i = 0; i < 15; i++) this.nextUint32(); // mix the seed into every word
    } else {
      if (seedOrState.length !== 4 || seedOrState.some((v) => !Number.isInteger(v))) {
        throw new SonoError('INVALID_ARGUMENT', 'a random-generator state is four integers');
      }
      this.s = Uint32Array.from(seedOrState.map((v) => v >>> 0));
    }
  }

  state(): RngState {
    return [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
  }

  nextUint32(): number {
    const s = this.s;
    const t = (s[0]! + s[1]! + s[3]!) >>> 0;
    s[3] = (s[3]! + 1) >>> 0;
    s[0] = s[1]! ^ (s[1]! >>> 9);
    s[1] = (s[2]! + (s[2]! << 3)) >>> 0;
    s[2] = ((s[2]! << 21) | (s[2]! >>> 11)) >>> 0;
    s[2] = (s[2]! + t) >>> 0;
    return t;
  }

  /** uniform in [0, 1) */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  /** standard normal (Box–Muller; one value per call keeps the state simple) */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}
