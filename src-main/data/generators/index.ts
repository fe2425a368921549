/**
 * The dataset generators, by name. Each entry is plain data (name, description, state labels,
 * parameter specs) plus `generate(params)`, the true `energy(state)` and, where simple, the true
 * vector field `field(state)`.
 */
import type { Generator } from './generator';
import { pendulumGenerator } from './pendulum';
import { sphereGeodesics } from './sphere';
import { springGenerator } from './spring';
import { torusGeodesics } from './torus';
import { twoBodyGenerator } from './twoBody';

export type { Generator, ParamSpec, ParamValue, Params } from './generator';

export const GENERATORS: Readonly<Record<string, Generator>> = Object.fromEntries(
  [sphereGeodesics, torusGeodesics, twoBodyGenerator, springGenerator, pendulumGenerator].map((g) => [g.name, g]),
);
