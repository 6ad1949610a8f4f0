/** Chat state per conversation: turns, the live run (SSE with resume), decisions, stop, resend. */
import { defineStore } from 'pinia'
import { markRaw, reactive } from 'vue'
import { api, ApiError, getStream, postStream, runStream } from '@/api/client'
import type { StoredMessage } from '@/api/types'
import {
  applyEvent, buildTurns, newAssistantTurn, pendingDecisions,
  type ApprovalPart, type QuestionPart, type Turn,
} from '@/lib/turns'
import { useConversations } from './conversations'

export interface Attachment { id: string; name: string; size?: number; path?: string; image?: boolean }

interface Live {
  controller: AbortController
  turn: Turn
  reconnecting: number
}

export interface ConversationState {
  turns: Turn[]
  loaded: boolean
  error: string | null
  live: Live | null
  rawEvents: { type: string; data: unknown }[]
}

let localKey = 0
const nextKey = () => `l${++localKey}`

async function fetchAll(id: string): Promise<StoredMessage[]> {
  const out: StoredMessage[] = []
  let after = 0
  for (;;) {
    const page = await api<{ items: StoredMessage[] }>(`/api/conversations/${id}/messages?limit=2000&after_id=${after}`)
    out.push(...page.items)
    if (page.items.length < 2000) return out
    after = page.items[page.items.length - 1].id
  }
}

export const useChat = defineStore('chat', {
  state: () => ({ byId: {} as Record<string, ConversationState> }),
  actions: {
    state(id: string): ConversationState {
      if (!this.byId[id]) this.byId[id] = { turns: [], loaded: false, error: null, live: null, rawEvents: [] }
      return this.byId[id]
    },
    async open(id: string) {
      const s = this.state(id)
      if (s.loaded || s.live) return
      let stored: StoredMessage[]
      try {
        stored = await fetchAll(id)
      } catch (e) {
        s.error = (e as ApiError).code ?? 'network'
        return
      }
      s.turns = buildTurns(stored)
      s.loaded = true
      s.error = null
      // A run still going on the server (the page was reloaded): follow it live instead of showing a stale copy.
      const last = stored[stored.length - 1]
      if (last?.role !== 'user' && stored.some((m) => m.role === 'assistant' && m.status === 'streaming')) {
        const stale = s.turns.pop()
        await this.reattach(id, stale)
      }
    },
    /** Replays the live run from its first event; if the server no longer knows it, keep the stored copy. */
    async reattach(id: string, stale: Turn | undefined) {
      const s = this.state(id)
      try {
        const res = await getStream(`/api/conversations/${id}/events?after=0`, new AbortController().signal)
        await this.follow(id, async () => res)
      } catch {
        if (stale) s.turns.push(stale)
      }
    },
    /** Sends a user message and follows the run to its end. */
    async send(id: string, content: string, opts: { attachments?: Attachment[]; model?: string | null } = {}) {
      const s = this.state(id)
      if (s.live) return
      const atts = opts.attachments ?? []
      s.turns.push({
        key: nextKey(), role: 'user', content, attachments: atts.map(({ name, size, path }) => ({ name, size, path })),
        parts: [], status: 'done', messageIds: [], createdAt: new Date().toISOString(),
      })
      const body: Record<string, unknown> = { content }
      if (opts.model) body.model = opts.model
      if (atts.length) body.attachments = atts.map((a) => a.id)
      await this.follow(id, (signal) => postStream(`/api/conversations/${id}/messages`, body, signal))
    },
    /** Re-attaches to a run that is still going on the server (after a reload). */
    async resume(id: string, after = 0) {
      await this.follow(id, (signal) => getStream(`/api/conversations/${id}/events?after=${after}`, signal))
    },
    async follow(id: string, start: (signal: AbortSignal) => Promise<Response>) {
      const s = this.state(id)
      const turn = reactive(newAssistantTurn(nextKey())) as Turn
      turn.startedAt = Date.now()
      s.turns.push(turn)
      const live: Live = { controller: markRaw(new AbortController()), turn, reconnecting: 0 }
      s.live = live
      const convs = useConversations()
      convs.touch(id, { running: true })
      try {
        await runStream({
          start,
          resume: (after, signal) => getStream(`/api/conversations/${id}/events?after=${after}`, signal),
          signal: live.controller.signal,
          onEvent: (ev) => {
            s.rawEvents.push(ev)
            applyEvent(turn, ev.type, ev.data)
            convs.touch(id, { waiting: pendingDecisions(turn).length > 0 })
          },
          onReconnecting: (n) => (live.reconnecting = n),
          onReconnected: () => (live.reconnecting = 0),
        })
      } catch (e) {
        const err = e as ApiError
        applyEvent(turn, 'error', { code: err.code ?? 'network', message: err.message, status: err.status })
      } finally {
        if (turn.status === 'streaming') turn.status = live.controller.signal.aborted ? 'cancelled' : 'interrupted'
        turn.endedAt ??= Date.now()
        s.live = null
        convs.touch(id, { running: false, waiting: false })
        convs.touch(id)
      }
    },
    /** Stop: ask the server to cancel, keep the partial answer tagged 已停止. */
    async stop(id: string) {
      const live = this.state(id).live
      if (!live) return
      live.turn.status = 'cancelled'
      try {
        await api(`/api/conversations/${id}/cancel`, { method: 'POST' })
      } catch {
        /* the route may be missing or the run already over: closing the stream below still stops the UI */
      }
      // Give the server a moment to send `done` for the cancelled run, then stop listening.
      setTimeout(() => live.controller.abort(), 1500)
    },
    async decide(id: string, part: ApprovalPart, decision: 'allow_once' | 'allow_always' | 'deny') {
      await api(`/api/approvals/${part.id}`, { method: 'POST', body: { decision } })
      part.decision = decision
      part.decidedAt = Date.now()
      this.refreshWaiting(id)
    },
    async answer(id: string, part: QuestionPart, answer: string) {
      await api(`/api/questions/${part.id}`, { method: 'POST', body: { answer } })
      part.answer = answer
      this.refreshWaiting(id)
    },
    refreshWaiting(id: string) {
      const live = this.state(id).live
      useConversations().touch(id, { waiting: live ? pendingDecisions(live.turn).length > 0 : false })
    },
    /** Regenerate: send the user message before this answer again. */
    async regenerate(id: string, turn: Turn, model?: string | null) {
      const s = this.state(id)
      const i = s.turns.indexOf(turn)
      const user = [...s.turns.slice(0, i)].reverse().find((t) => t.role === 'user')
      if (user) await this.send(id, user.content, { model })
    },
  },
})
