/** Toasts: short notices, optionally with one action (撤销). */
import { defineStore } from 'pinia'

export interface Toast {
  id: number
  text: string
  kind: 'info' | 'success' | 'error'
  action?: { label: string; run: () => void }
  timer?: ReturnType<typeof setTimeout>
}

let nextId = 1

export const useToasts = defineStore('toasts', {
  state: () => ({ items: [] as Toast[] }),
  actions: {
    show(text: string, opts: { kind?: Toast['kind']; action?: Toast['action']; ms?: number; onExpire?: () => void } = {}) {
      const toast: Toast = { id: nextId++, text, kind: opts.kind ?? 'info', action: opts.action }
      toast.timer = setTimeout(() => {
        this.dismiss(toast.id)
        opts.onExpire?.()
      }, opts.ms ?? 4000)
      this.items.push(toast)
      return toast.id
    },
    dismiss(id: number) {
      const t = this.items.find((x) => x.id === id)
      if (t?.timer) clearTimeout(t.timer)
      this.items = this.items.filter((x) => x.id !== id)
    },
  },
})
