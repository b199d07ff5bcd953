// Seeded weight initialisation for architectures: a tiny deterministic PRNG (mulberry32 with
// Box-Muller normals) and He (Kaiming) normal init. models/ has no dependency on training/, so it
// carries its own generator; the same seed always gives the same weights on every platform.
export class InitRng {
  private state: number;

  constructor(seed: number) {
    this.state = (seed ^ 0x5bd1e995) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal. */
  normal(): number {
    let u = this.next();
    while (u <= 1e-12) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

/** He-normal weights: N(0, gain^2 * 2 / fanIn). */
export function heNormal(rng: InitRng, count: number, fanIn: number, gain = 1): Float32Array {
  const std = gain * Math.sqrt(2 / fanIn);
  return Float32Array.from({ length: count }, () => rng.normal() * std);
}
