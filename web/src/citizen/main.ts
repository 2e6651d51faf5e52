// The citizen page at /m/: a phone-width shell; case tracking opens when the dispute API exists.
import { createApp } from 'vue';
import { ElAlert, ElButton, ElConfigProvider, ElForm, ElFormItem, ElInput } from 'element-plus';
import 'element-plus/dist/index.css';
import { i18n, currentLocale } from '@/i18n';
import CitizenApp from './CitizenApp.vue';

const app = createApp(CitizenApp);
app.use(i18n);
for (const component of [ElAlert, ElButton, ElConfigProvider, ElForm, ElFormItem, ElInput]) app.use(component);
document.documentElement.lang = currentLocale();
document.title = i18n.global.t('citizen.title');
app.mount('#app');
