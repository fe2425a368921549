/**
 * Optional numpy cross-checks: tests run python3 + numpy when present and skip those checks otherwise
 * (never the only check of anything).
 */
import { spawnSync } from 'node:child_process';

/** True when `python3 -c "import numpy"` succeeds. */
export const hasNumpy: boolean = (() => {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  return probe.status === 0;
})();

/** Runs a python3 script (numpy available) in `cwd`; returns stdout, throws with stderr on failure. */
export function runPython(script: string, cwd: string): string {
  const result = spawnSync('python3', ['-c', script], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}
