/** Per-device preferences (theme, language, font size, tool details, send key), kept in localStorage. */
import { defineStore } from 'pinia'
import { i18n, type Locale } from '@/i18n'
import { setCodeLabels } from '@/lib/markdown'

export type Theme = 'system' | 'light' | 'dark'

function load<T>(key: string, fallback: T): T {
  try {
    const v = localStorage.getItem(`xdz.${key}`)
    return v === null ? fallback : (JSON.parse(v) as T)
  } catch {
    return fallback
  }
}

function save(key: string, value: unknown): void {
  try {
    localStorage.setItem(`xdz.${key}`, typeof value === 'string' && key !== 'prefs' ? value : JSON.stringify(value))
  } catch {
    /* ignore */
  }
}

interface Stored {
  fontSize: number
  toolDetail: 'collapsed' | 'expanded'
  sendKey: 'enter' | 'ctrl-enter'
  density: 'comfortable' | 'compact'
}

export const usePrefs = defineStore('prefs', {
  state: () => ({
    theme: (localStorage.getItem('xdz.theme') as Theme | null) ?? 'system',
    locale: i18n.global.locale.value as Locale,
    ...load<Stored>('prefs', { fontSize: 15, toolDetail: 'collapsed', sendKey: 'enter', density: 'comfortable' }),
  }),
  actions: {
    /** Applies everything to the document; called at start and after each change. */
    apply() {
      const dark = this.theme === 'dark' || (this.theme === 'system' && matchMedia('(prefers-color-scheme: dark)').matches)
      const root = document.documentElement
      root.dataset.theme = dark ? 'dark' : 'light'
      root.dataset.density = this.density
      root.lang = this.locale
      root.style.setProperty('--reading-size', `${this.fontSize}px`)
      i18n.global.locale.value = this.locale
      const t = i18n.global.t
      setCodeLabels({ copy: t('md.copy'), wrap: t('md.wrap'), expand: (n) => t('md.expand', { n }), copyTable: t('md.copyTable') })
    },
    setTheme(theme: Theme) {
      this.theme = theme
      save('theme', theme)
      this.apply()
    },
    setLocale(locale: Locale) {
      this.locale = locale
      save('locale', locale)
      this.apply()
    },
    update(patch: Partial<Stored>) {
      Object.assign(this.$state, patch)
      const { fontSize, toolDetail, sendKey, density } = this.$state
      save('prefs', { fontSize, toolDetail, sendKey, density })
      this.apply()
    },
  },
})
