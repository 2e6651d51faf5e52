// The staff console: Element Plus in Chinese, Pinia, the router, and the 401 → login hook.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import * as ElementIcons from '@element-plus/icons-vue';
import 'element-plus/dist/index.css';
import '@/styles/console.css';
import App from './App.vue';
import { router } from './router';
import { i18n, currentLocale } from './i18n';
import { setUnauthenticatedHandler } from './api/client';
import { useSession } from './stores/session';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
app.use(router);
app.use(ElementPlus);
for (const [name, component] of Object.entries(ElementIcons)) app.component(name, component);
document.documentElement.lang = currentLocale();

setUnauthenticatedHandler(() => {
  const session = useSession(pinia);
  session.forget();
  const here = router.currentRoute.value;
  if (here.name !== 'login') void router.replace({ name: 'login', query: { redirect: here.fullPath } });
});

app.mount('#app');
