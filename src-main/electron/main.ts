/** Electron main process entry. Placeholder until the Electron shell issue lands. */
import { app } from 'electron';

app.whenReady().then(() => {
  console.log('NGF Workbench: Electron shell not built yet');
  app.quit();
});
