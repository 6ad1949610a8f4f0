/** vue-i18n set-up: zh-CN default, English complete, fallback en. */
import { createI18n } from 'vue-i18n'
import en from './en'
import zhCN from './zh-CN'

export type Locale = 'zh-CN' | 'en'
export const LOCALES: Locale[] = ['zh-CN', 'en']

export function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem('xdz.locale')
    if (saved === 'zh-CN' || saved === 'en') return saved
  } catch {
    /* private mode */
  }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
})
