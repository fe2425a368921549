import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { run } from '../../../../src-main/cli/commands/eval';
import { runCli as ngf } from '../runCli';

const NGF = path.resolve('../shared/reference/ngf');
const MODEL_A = path.join(NGF, 'models', 'master_thesis', 'toy-problem_model-A.eqx');

describe('ngf eval', () => {
  it('prints one JSON object with the NGF figures for both dataset formats', async () => {
    const [pairs, trajectories] = await Promise.all([
      ngf(['eval', '--reference-model', MODEL_A, '--dataset', path.join(NGF, 'datasets', 'half-sphere_inputs-targets_test.npz'), '--limit', '16', '--backend', 'cpu', '--json']),
      ngf(['eval', '--reference-model', MODEL_A, '--dataset', path.join(NGF, 'datasets', 'half-sphere_long-trajectories_test.npz'), '--limit', '2', '--backend', 'cpu', '--json']),
    ]);
    for (const [result, n] of [[pairs, 16], [trajectories, 2]] as const) {
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.trim().split('\n');
      expect(lines.length).toBe(1);
      const figures = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(figures).toMatchObject({ n_samples: n, backend: 'cpu', model: 'toy-problem_model-A.eqx' });
      for (const key of ['reconstruction_mse', 'prediction_mse', 'latent_prediction_mse', 'loss', 'seconds']) {
        expect(typeof figures[key], key).toBe('number');
        expect(figures[key] as number, key).toBeGreaterThan(0);
      }
      const sum = (figures.reconstruction_mse as number) + (figures.prediction_mse as number) + (figures.latent_prediction_mse as number);
      expect(figures.loss as number).toBeCloseTo(sum, 8);
      // A trained model: small errors, of the order of the README anchors.
      expect(figures.prediction_mse as number).toBeLessThan(2e-3);
    }
  });

  it('refuses bad usage with exit code 2 and says why', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((message: string) => void errors.push(message));
    try {
      expect(await run(['--reference-model', MODEL_A, '--dataset', 'x.npz', '--limit', 'many'])).toBe(2);
      expect(await run(['--dataset', 'x.npz'])).toBe(2);
      expect(await run(['--reference-model', MODEL_A, '--dataset', 'x.npz', '--shiny'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(errors[0]).toMatch(/^eval: --limit needs a whole number >= 1, got 'many'/);
    expect(errors[1]).toMatch(/^eval: give exactly one of --reference-model NAME.eqx and --checkpoint DIR/);
    expect(errors[2]).toMatch(/^eval: unknown option '--shiny'/);
  });
});
