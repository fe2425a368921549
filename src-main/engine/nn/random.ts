/**
 * Seeded initialisation draws: the same seed gives the same parameters on every machine and backend.
 * The generator is the project's mulberry32 (../../data/generators/random.ts).
 */
import { Random as Generator } from '../../data/generators/random';

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** Uniform numbers in [0, 1) from an integer seed. */
export function seededRandom(seed: number): Random {
  const generator = new Generator(seed);
  return () => generator.next();
}

/** `count` numbers uniform in [-bound, bound). */
export function uniformSymmetric(random: Random, count: number, bound: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (2 * random() - 1) * bound;
  return out;
}
