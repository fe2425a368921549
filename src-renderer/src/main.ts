/** Renderer entry: mounts the workbench UI (the same bundle runs in Electron and in browser mode). */
import { createApp } from 'vue';
import App from './App.vue';
import './styles.css';

createApp(App).mount('#app');
