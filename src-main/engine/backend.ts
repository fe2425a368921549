/**
 * Compute backend selection for TensorFlow.js.
 *
 * Order of preference: tfjs-node-gpu (CUDA), tfjs-node (native CPU), wasm, cpu. The native packages are
 * optional dependencies that only install on connected machines, so they are loaded dynamically and a
 * failure to load them simply moves on to the next choice. `NGF_BACKEND` (or the `prefer` argument)
 * forces one backend; forcing one that cannot load is an error, not a silent fallback.
 *
 * Every backend shares one set of gradient definitions: `registerHigherOrderGradients` replaces the
 * TF.js 4.22 gradients that break second derivatives (see ./gradients.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { registerHigherOrderGradients } from './gradients';

export const BACKEND_CHOICES = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface BackendInfo {
  /** Which of the four choices is running. */
  choice: BackendChoice;
  /** TF.js's own name for the registered backend ('tensorflow', 'wasm', 'cpu'). */
  tfBackend: string;
  /** For the native backends: whether TensorFlow found a CUDA GPU; null where the question does not apply. */
  gpu: boolean | null;
  tfjsVersion: string;
}

// Not named `require`: electron-vite's ESM shim declares a top-level `require` in the main bundle.
const requireFromHere = createRequire(import.meta.url);

async function tryNative(pkg: 'tfjs-node-gpu' | 'tfjs-node'): Promise<boolean> {
  try {
    // A variable specifier keeps bundlers from trying to resolve a package that is usually absent.
    const specifier = `@tensorflow/${pkg}`;
    await import(/* @vite-ignore */ specifier);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    // In Node the wasm binaries are read from the package's dist folder; point at it explicitly so
    // that bundled builds (electron-vite) find them too.
    const dist = path.dirname(requireFromHere.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(dist + path.sep);
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function tryChoice(choice: BackendChoice): Promise<boolean> {
  switch (choice) {
    case 'tfjs-node-gpu':
    case 'tfjs-node':
      return tryNative(choice);
    case 'wasm':
      return tryWasm();
    case 'cpu':
      return tf.setBackend('cpu');
  }
}

function nativeGpuFound(): boolean | null {
  try {
    // tfjs-node-gpu logs device placement; the binding reports whether CUDA kernels are registered.
    const binding = (tf.backend() as unknown as { binding?: { isUsingGpuDevice?: () => boolean } }).binding;
    return binding?.isUsingGpuDevice ? binding.isUsingGpuDevice() : null;
  } catch {
    return null;
  }
}

let current: BackendInfo | null = null;

export function parseBackendChoice(value: string | undefined): BackendChoice | 'auto' {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new Error(`Unknown backend '${value}': expected one of auto, ${BACKEND_CHOICES.join(', ')}`);
}

/**
 * Selects and initialises a backend (idempotent for the same request). `prefer` defaults to the
 * NGF_BACKEND environment variable, then 'auto'.
 */
export async function initBackend(prefer: BackendChoice | 'auto' = parseBackendChoice(process.env.NGF_BACKEND)): Promise<BackendInfo> {
  registerHigherOrderGradients();
  if (current && (prefer === 'auto' || prefer === current.choice)) return current;
  const order = prefer === 'auto' ? BACKEND_CHOICES : [prefer];
  for (const choice of order) {
    if (await tryChoice(choice)) {
      await tf.ready();
      current = {
        choice,
        tfBackend: tf.getBackend(),
        gpu: choice === 'tfjs-node-gpu' || choice === 'tfjs-node' ? nativeGpuFound() : null,
        tfjsVersion: tf.version_core,
      };
      return current;
    }
  }
  throw new Error(
    prefer === 'auto'
      ? 'No TensorFlow.js backend could be initialised (tried tfjs-node-gpu, tfjs-node, wasm, cpu)'
      : `The requested backend '${prefer}' could not be initialised on this machine`,
  );
}

/** The backend chosen by the last initBackend call, or null before one. */
export function currentBackend(): BackendInfo | null {
  return current;
}
