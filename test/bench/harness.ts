/** What every benchmark module (test/bench/NAME.bench.ts) exports as default. */
export interface Benchmark {
  /** Key of its figures in the printed JSON. */
  name: string;
  /** Runs the measurements and returns plain JSON-able figures (times in ms, rates per second). */
  run(): Promise<Record<string, unknown>>;
}

/** Wall time of fn in ms: the median of `repeats` timed calls after `warmup` untimed ones. */
export async function medianMs(fn: () => unknown | Promise<unknown>, repeats = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
