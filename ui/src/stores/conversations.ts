/** The conversation list: load, create, rename, pin, delete with a 10-second undo. */
import { defineStore } from 'pinia'
import { api } from '@/api/client'
import type { Conversation, ConversationList } from '@/api/types'

export const useConversations = defineStore('conversations', {
  state: () => ({
    items: [] as Conversation[],
    loaded: false,
    hidden: new Set<string>(),
  }),
  getters: {
    visible: (s) => s.items.filter((c) => !s.hidden.has(c.id)),
    byId: (s) => (id: string) => s.items.find((c) => c.id === id),
  },
  actions: {
    async load() {
      const all: Conversation[] = []
      for (let offset = 0; ; offset += 200) {
        const page = await api<ConversationList>(`/api/conversations?limit=200&offset=${offset}`)
        all.push(...page.items)
        if (all.length >= page.total || page.items.length === 0 || offset > 5000) break
      }
      const flags = new Map(this.items.map((c) => [c.id, { running: c.running, waiting: c.waiting }]))
      this.items = all.map((c) => ({ ...c, ...flags.get(c.id) }))
      this.loaded = true
    },
    async create(title = ''): Promise<Conversation> {
      const c = await api<Conversation>('/api/conversations', { method: 'POST', body: { title } })
      this.items.unshift(c)
      return c
    },
    async update(id: string, patch: Partial<Pick<Conversation, 'title' | 'pinned' | 'model'>>) {
      const c = await api<Conversation>(`/api/conversations/${id}`, { method: 'PATCH', body: patch })
      const i = this.items.findIndex((x) => x.id === id)
      if (i >= 0) this.items[i] = { ...this.items[i], ...c }
      if ('pinned' in patch) this.sort()
      return c
    },
    /** Marks activity so the conversation moves to the top of 今天. */
    touch(id: string, flags: Partial<Pick<Conversation, 'running' | 'waiting' | 'title'>> = {}) {
      const c = this.items.find((x) => x.id === id)
      if (!c) return
      Object.assign(c, flags)
      if (!('running' in flags) && !('waiting' in flags)) c.updated_at = new Date().toISOString()
      this.sort()
    },
    sort() {
      this.items.sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updated_at.localeCompare(a.updated_at))
    },
    /** Hides now and deletes on the server when the undo window closes. */
    hide(id: string) {
      this.hidden.add(id)
    },
    unhide(id: string) {
      this.hidden.delete(id)
    },
    async removeNow(id: string) {
      await api(`/api/conversations/${id}`, { method: 'DELETE' })
      this.items = this.items.filter((c) => c.id !== id)
      this.hidden.delete(id)
    },
  },
})
