/** Preload: exposes the typed workbench API to the renderer (filled in by the Electron shell issue). */
export {};
