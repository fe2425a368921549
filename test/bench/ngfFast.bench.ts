/**
 * NGF training throughput, fast path against op-by-op, against the PyTorch peer.
 *
 * Toy model A's architecture at batch 512 (input/target loss, 49 RK4 steps, Adam), one optimizer
 * step per sample of the timing, one thread (and once with the fast kernel's batch split over two,
 * NGF_FAST_THREADS=2; TF.js stays on one; and once data-parallel over two shard workers, each a
 * whole single-threaded replica: src-main/engine/training/dataParallel.ts). Each configuration runs
 * in its own process (./ngfFastStep.ts) so that its peak RSS is its own. When Debian's PyTorch is
 * installed (`apt-get install -y python3-torch`), the peer (../shared/peers/ngf_torch.py) runs in the same
 * invocation, before and after each of ours, and each ratio uses the mean of the two peer rates
 * around it: these machines are shared and noisy, so only ratios taken side by side mean anything.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './harness';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const PEER = path.resolve(root, '../shared/peers/ngf_torch.py');
const PYTHON = '/usr/bin/python3';
/**
 * threads: the fast kernel's (NGF_FAST_THREADS); TF.js itself always runs on one per replica.
 * shards: data-parallel shard workers (1: one replica on the bench's own thread).
 */
const CONFIGS = [
  { backend: 'wasm', path: 'fast', threads: 1, shards: 1, repeats: 5 },
  { backend: 'cpu', path: 'fast', threads: 1, shards: 1, repeats: 5 },
  { backend: 'wasm', path: 'fast', threads: 2, shards: 1, repeats: 5 },
  { backend: 'wasm', path: 'fast', threads: 1, shards: 2, repeats: 5 },
  { backend: 'wasm', path: 'op-by-op', threads: 1, shards: 1, repeats: 3 },
  { backend: 'cpu', path: 'op-by-op', threads: 1, shards: 1, repeats: 1 },
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

function ours(backend: string, pathName: string, threads: number, shards: number, repeats: number): Figures {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'ngfFastStep.ts'), backend, pathName, String(repeats), String(shards)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NGF_FAST_THREADS: String(threads) },
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
    const figures: Record<string, unknown> = { batch: 512, steps: 49, model: 'toy model A architecture', peer_threads: 1 };
    // The peer runs before the first and after every configuration; each ratio uses the two peer
    // runs around its configuration, so a change of load between configurations cancels out.
    const peers: (Figures | null)[] = [peer()];
    const ratios: Record<string, number> = {};
    for (const c of CONFIGS) {
      process.stderr.write(`  ngfFast: ${c.backend} ${c.path} ${c.threads} thread(s), ${c.shards} shard(s)...\n`);
      const key = `${c.backend}_${c.path}${c.threads > 1 ? `_${c.threads}threads` : ''}${c.shards > 1 ? `_${c.shards}shards` : ''}`;
      const figuresOfRun = ours(c.backend, c.path, c.threads, c.shards, c.repeats);
      peers.push(peer());
      const [before, after] = peers.slice(-2);
      if (before && after) {
        const peerRate = (before.samples_per_s + after.samples_per_s) / 2;
        figuresOfRun.peer_samples_per_s = peerRate;
        ratios[key] = figuresOfRun.samples_per_s / peerRate;
      }
      figures[key] = figuresOfRun;
    }
    if (peers.every((p) => p !== null)) {
      figures.peer = { runs: peers.map((p) => p!.samples_per_s), peak_rss_mb: Math.max(...peers.map((p) => Number(p!.peak_rss_mb ?? NaN))), torch: peers[0]!.torch };
      figures.ratio_to_peer = ratios;
    } else {
      figures.peer = 'not run: no PyTorch for /usr/bin/python3 (apt-get install -y python3-torch)';
    }
    return figures;
  },
};
export default bench;
