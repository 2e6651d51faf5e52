// vue-i18n set-up: zh-CN by default, en-US second; the choice is remembered in localStorage and
// also switches Element Plus's own texts (pagination, date pickers, empty tables).
import { createI18n } from 'vue-i18n';
import { computed } from 'vue';
import zhCnElement from 'element-plus/es/locale/lang/zh-cn';
import enElement from 'element-plus/es/locale/lang/en';
import zhCN from './zh-CN';
import enUS from './en-US';
import type { AppLocale } from '@/utils/format';

const STORAGE_KEY = 'fq.locale';

export const LOCALES: { value: AppLocale; label: string }[] = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en-US', label: 'English' },
];

function initialLocale(): AppLocale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh-CN' || saved === 'en-US') return saved;
  } catch {
    // storage may be disabled; the default applies
  }
  return 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, 'en-US': enUS },
});

export function currentLocale(): AppLocale {
  return i18n.global.locale.value as AppLocale;
}

export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not remembered; harmless
  }
}

export const elementLocale = computed(() => (i18n.global.locale.value === 'en-US' ? enElement : zhCnElement));
