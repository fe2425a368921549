/**
 * Small summary statistics of the analysis, over plain numbers.
 *
 * Quantiles interpolate linearly between order statistics (numpy's default, 'linear'): for sorted
 * values x_0 <= ... <= x_{n-1}, q(p) = x_i + (h - i)(x_{i+1} - x_i) with h = p (n - 1), i = floor(h).
 * Non-finite values are left out (a diverged rollout shows as `nonFinite`, not as a NaN median).
 */

export interface Spread {
  /** Finite values summarised. */
  count: number;
  /** Values left out because they were NaN or infinite. */
  nonFinite: number;
  mean: number;
  median: number;
  /** First and third quartiles. */
  q1: number;
  q3: number;
  min: number;
  max: number;
}

/** The p-quantile (0 <= p <= 1) of values sorted ascending; NaN for no values. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`quantile: p must be in [0, 1], got ${p}`);
  if (sorted.length === 0) return NaN;
  const h = p * (sorted.length - 1);
  const i = Math.floor(h);
  const next = sorted[Math.min(i + 1, sorted.length - 1)]!;
  return sorted[i]! + (h - i) * (next - sorted[i]!);
}

export function spread(values: ArrayLike<number>): Spread {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite.push(values[i]!);
  finite.sort((a, b) => a - b);
  const sum = finite.reduce((s, x) => s + x, 0);
  return {
    count: finite.length,
    nonFinite: values.length - finite.length,
    mean: finite.length ? sum / finite.length : NaN,
    median: quantileSorted(finite, 0.5),
    q1: quantileSorted(finite, 0.25),
    q3: quantileSorted(finite, 0.75),
    min: finite.length ? finite[0]! : NaN,
    max: finite.length ? finite[finite.length - 1]! : NaN,
  };
}

/** |a_b - b_b| / |b_b| per row of two row-major [rows, dim] arrays (Euclidean norms). */
export function relativeRowErrors(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, dim: number): number[] {
  if (a.length !== rows * dim || b.length !== rows * dim) {
    throw new Error(`relativeRowErrors: expected ${rows} x ${dim} values, got ${a.length} and ${b.length}`);
  }
  return Array.from({ length: rows }, (_, r) => {
    let diff = 0;
    let norm = 0;
    for (let i = r * dim; i < (r + 1) * dim; i++) {
      diff += (a[i]! - b[i]!) ** 2;
      norm += b[i]! ** 2;
    }
    return Math.sqrt(diff) / Math.sqrt(norm);
  });
}
