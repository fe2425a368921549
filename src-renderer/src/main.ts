import { createApp, h } from 'vue';

createApp({ render: () => h('h1', 'NGF Workbench') }).mount('#app');
