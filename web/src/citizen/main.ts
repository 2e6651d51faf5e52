// The citizen page at /m/: a phone-width page to follow a case by its tracking code, evaluate it
// ask for a review, or file a new dispute online; only the Element Plus parts it uses are registered.
import { createApp } from 'vue';
import {
  ElAlert, ElButton, ElConfigProvider, ElForm, ElFormItem, ElInput, ElOption, ElRadio, ElRadioGroup, ElRate, ElSelect, ElTag, ElTimeline, ElTimelineItem,
} from 'element-plus';
import 'element-plus/dist/index.css';
import { i18n, currentLocale } from '@/i18n';
import CitizenApp from './CitizenApp.vue';

const app = createApp(CitizenApp);
app.use(i18n);
for (const component of [ElAlert, ElButton, ElConfigProvider, ElForm, ElFormItem, ElInput, ElOption, ElRadio, ElRadioGroup, ElRate, ElSelect, ElTag, ElTimeline, ElTimelineItem]) app.use(component);
document.documentElement.lang = currentLocale();
document.title = i18n.global.t('citizen.title');
app.mount('#app');
