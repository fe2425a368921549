/**
 * NGF training throughput, fast path against op-by-op, against the PyTorch peer.
 *
 * Toy model A's architecture at batch 512 (input/target loss, 49 RK4 steps, Adam), one optimizer
 * step per sample of the timing, one thread. Each (backend, path) runs in its own process
 * (./ngfFastStep.ts) so that its peak RSS is its own. When Debian's PyTorch is installed
 * (`apt-get install -y python3-torch`), the peer (../shared/peers/ngf_torch.py) runs in the same
 * invocation, once before and once after ours, and the ratios use the mean of its two rates: these
 * machines are shared and noisy, so only ratios taken in one run mean anything.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './harness';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const PEER = path.resolve(root, '../shared/peers/ngf_torch.py');
const PYTHON = '/usr/bin/python3';
const CONFIGS = [
  { backend: 'wasm', path: 'fast', repeats: 5 },
  { backend: 'cpu', path: 'fast', repeats: 5 },
  { backend: 'wasm', path: 'op-by-op', repeats: 3 },
  { backend: 'cpu', path: 'op-by-op', repeats: 1 },
] as const;

interface Figures {
  samples_per_s: number;
  [key: string]: unknown;
}

/** The last line of stdout as JSON, or an error naming the command and its stderr. */
function lastJsonLine(what: string, result: ReturnType<typeof spawnSync>): Figures {
  const lines = String(result.stdout ?? '').trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]!) as Figures;
  } catch {
    throw new Error(`${what} failed (status ${result.status}): ${String(result.stderr ?? '').trim().slice(-2000)}`);
  }
}

function ours(backend: string, pathName: string, repeats: number): Figures {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'ngfFastStep.ts'), backend, pathName, String(repeats)], {
    cwd: root,
    encoding: 'utf8',
    timeout: 20 * 60_000,
  });
  return lastJsonLine(`ngfFastStep ${backend} ${pathName}`, result);
}

/** The peer's figures and its peak RSS (GNU time), or null without PyTorch. */
function peer(): Figures | null {
  if (spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status !== 0) return null;
  const result = spawnSync('/usr/bin/time', ['-f', 'peak_rss_kb %M', PYTHON, PEER, '512', '5'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PEER_THREADS: '1' },
    timeout: 20 * 60_000,
  });
  const figures = lastJsonLine('the PyTorch peer', result);
  const rss = /peak_rss_kb (\d+)/.exec(String(result.stderr));
  if (rss) figures.peak_rss_mb = Number(rss[1]) / 1024;
  return figures;
}

const bench: Benchmark = {
  name: 'ngfFast',
  async run() {
    const before = peer();
    const runs: Record<string, Figures> = {};
    for (const c of CONFIGS) {
      process.stderr.write(`  ngfFast: ${c.backend} ${c.path}...\n`);
      runs[`${c.backend}_${c.path}`] = ours(c.backend, c.path, c.repeats);
    }
    const after = peer();
    const figures: Record<string, unknown> = { batch: 512, steps: 49, model: 'toy model A architecture', threads: 1, ...runs };
    if (before && after) {
      const peerRate = (before.samples_per_s + after.samples_per_s) / 2;
      figures.peer = { before, after, samples_per_s: peerRate };
      figures.ratio_to_peer = Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, r.samples_per_s / peerRate]));
    } else {
      figures.peer = 'not run: no PyTorch for /usr/bin/python3 (apt-get install -y python3-torch)';
    }
    return figures;
  },
};
export default bench;
