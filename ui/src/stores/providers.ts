/** Model providers and app settings as the backend reports them; tolerant of routes that do not exist yet. */
import { defineStore } from 'pinia'
import { api, optional } from '@/api/client'
import type { Provider } from '@/api/types'
import { i18n } from '@/i18n'

export interface ModelOption { id: string; provider: string; label: string; demo: boolean; vision: boolean }

const DEMO = /smollm|demo|offline|^local\//i

function listOf<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[]
  const obj = body as Record<string, unknown> | null
  return ((obj?.items ?? obj?.[key] ?? []) as T[]) || []
}

function modelId(m: NonNullable<Provider['models']>[number]): { id: string; vision: boolean } {
  return typeof m === 'string' ? { id: m, vision: false } : { id: m.id ?? m.name ?? '', vision: !!m.vision }
}

/** The provider's name in the UI language. */
export function providerLabel(p: Provider): string {
  return (i18n.global.locale.value === 'zh-CN' ? p.label_zh : p.label) ?? p.label ?? p.name
}

export const useProviders = defineStore('providers', {
  state: () => ({
    items: [] as Provider[],
    settings: {} as Record<string, any>,
    serverSaysConfigured: null as boolean | null,
    keyStorage: '' as string,
    loaded: false,
    available: false,
    settingsAvailable: false,
    skipped: localStorage.getItem('xdz.onboarded') === '1',
  }),
  getters: {
    // The server knows best (an env-configured endpoint counts); older servers only flag each preset.
    anyConfigured: (s) => s.serverSaysConfigured ?? s.items.some((p) => p.configured),
    defaultModel: (s): string => s.settings.default_model ?? s.settings.model ?? '',
    models(s): ModelOption[] {
      const out: ModelOption[] = []
      for (const p of s.items) {
        if (p.configured === false && !DEMO.test(p.name)) continue
        for (const m of p.models ?? []) {
          const { id, vision } = modelId(m)
          if (!id) continue
          const full = id.includes('/') ? id : `${p.name}/${id}`
          const label = typeof m === 'string' ? id : m.label ?? id
          out.push({ id: full, provider: providerLabel(p), label, demo: DEMO.test(full), vision })
        }
      }
      return out
    },
  },
  actions: {
    async load(force = false) {
      if (this.loaded && !force) return
      const [providers, settings] = await Promise.all([
        optional<unknown>('/api/providers').catch(() => null),
        optional<Record<string, any>>('/api/settings').catch(() => null),
      ])
      this.available = providers !== null
      this.items = providers === null ? [] : listOf<Provider>(providers, 'providers')
      const meta = (providers ?? {}) as Record<string, unknown>
      this.serverSaysConfigured = typeof meta.any_configured === 'boolean' ? meta.any_configured : null
      this.keyStorage = typeof meta.key_storage === 'string' ? meta.key_storage : ''
      this.settingsAvailable = settings !== null
      this.settings = { default_model: meta.default_model, ...(settings ?? {}) }
      this.loaded = true
    },
    async saveProvider(name: string, patch: Record<string, unknown>) {
      const p = await api<Provider>(`/api/providers/${encodeURIComponent(name)}`, { method: 'PUT', body: patch })
      const i = this.items.findIndex((x) => x.name === name)
      if (p && typeof p === 'object' && i >= 0) this.items[i] = { ...this.items[i], ...p }
      else await this.load(true)
      return p
    },
    async test(name: string) {
      return api<Record<string, any>>(`/api/providers/${encodeURIComponent(name)}/test`, { method: 'POST' })
    },
    async saveSettings(patch: Record<string, unknown>) {
      const s = await api<Record<string, any>>('/api/settings', { method: 'PUT', body: patch })
      this.settings = { ...this.settings, ...(s ?? patch) }
    },
    demoActive(model: string | null | undefined): boolean {
      return !!model && DEMO.test(model)
    },
    skip() {
      this.skipped = true
      localStorage.setItem('xdz.onboarded', '1')
    },
  },
})
