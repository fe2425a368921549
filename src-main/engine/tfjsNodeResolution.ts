/**
 * Lets plain Node (tsx, worker threads) load TensorFlow.js's unbundled ESM files.
 *
 * `./gradients.ts` imports `@tensorflow/tfjs-core/dist/register_all_gradients`, which exists only as
 * unbundled ESM whose relative imports have no file extension (`./gradients/Abs_grad`), and where
 * `./gradients` names both a file and a folder. Bundlers (Vite, Vitest, electron-vite) resolve these;
 * Node's ESM loader does not (ERR_MODULE_NOT_FOUND / ERR_UNSUPPORTED_DIR_IMPORT). This registers a
 * resolve hook that, for a specifier inside @tensorflow that fails to resolve, retries it with `.js`.
 *
 * Resolution happens when a module graph is linked, before any of it runs: call this first, then
 * load the modules that use TF.js with a dynamic `import()`.
 */
import { register } from 'node:module';

const HOOK = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    const parent = context.parentURL ?? '';
    const inTfjs = parent.includes('/node_modules/@tensorflow/') ? specifier.startsWith('.') : specifier.startsWith('@tensorflow/');
    if (inTfjs && !/\\.[cm]?js$/.test(specifier)) return next(specifier + '.js', context);
    throw err;
  }
}`;

let registered = false;

export function registerTfjsNodeResolution(): void {
  if (registered) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
}
