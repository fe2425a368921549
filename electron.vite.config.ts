import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import packageJson from './package.json';

// The main process loads its npm dependencies from node_modules at run time (native modules, wasm
// files), except tfjs-core's dist/ files: `dist/register_all_gradients` exists only as unbundled ESM
// whose relative imports lack extensions, which Node's loader cannot resolve (the CLI registers a
// resolve hook instead, see src-main/engine/training/nodeResolution.ts), so the bundle carries it.
const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const runtimeDependencies = Object.keys(packageJson.dependencies);
const mainExternal = [
  ...runtimeDependencies,
  new RegExp(`^(?!@tensorflow/tfjs-core/dist/)(${runtimeDependencies.map(escape).join('|')})/.+`),
];

// One build for both ways of running the UI: out/main + out/preload for Electron, and out/renderer,
// which Electron loads through app:// and browser mode (`npm run serve`) serves over loopback HTTP.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: false,
      rollupOptions: {
        external: mainExternal,
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          // The training worker pool starts ./trainingWorker.js next to the bundled main module.
          trainingWorker: resolve(__dirname, 'src-main/engine/training/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/electron/preload.ts') },
        // A sandboxed preload is loaded as CommonJS: emit out/preload/index.cjs, not an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // electron-vite leaves the renderer unminified by default; browser mode serves it over HTTP too.
      minify: true,
      // One bundle of ~810 kB, nearly all tree-shaken ECharts (line, bar, heatmap): expected, not a warning.
      chunkSizeWarningLimit: 1000,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-renderer/index.html') },
      },
    },
  },
});
