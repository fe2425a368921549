import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildKernel, KERNEL_MODULE, kernelModuleText } from '../../../../src-main/engine/fast/build';

describe('fast path build', () => {
  it('the checked-in kernel is what its AssemblyScript source compiles to', async () => {
    const binary = await buildKernel();
    expect(binary.length).toBeGreaterThan(1000);
    // On failure: npm run build:fast, then commit src-main/engine/fast/geodesicRk4Wasm.ts.
    expect(readFileSync(KERNEL_MODULE, 'utf8') === kernelModuleText(binary), 'geodesicRk4Wasm.ts is stale').toBe(true);
  });
});
