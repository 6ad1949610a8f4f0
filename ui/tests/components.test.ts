import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { reactive } from 'vue'
import ApprovalCard from '@/components/ApprovalCard.vue'
import Composer from '@/components/Composer.vue'
import MessageList from '@/components/MessageList.vue'
import ToolCard from '@/components/ToolCard.vue'
import { i18n } from '@/i18n'
import type { ApprovalPart, ToolPart, Turn } from '@/lib/turns'
import { usePrefs } from '@/stores/prefs'
import { mountWithApp } from './helpers'

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
  localStorage.clear()
})
afterEach(() => vi.unstubAllGlobals())

describe('Composer', () => {
  const props = { conversationId: 'c1', running: false, model: 'dashscope/qwen-plus', turns: [] }

  it('Enter sends, Shift+Enter does not', async () => {
    const w = mountWithApp(Composer, { props })
    const ta = w.get('textarea')
    await ta.setValue('帮我整理下载文件夹')
    await ta.trigger('keydown', { key: 'Enter', shiftKey: true })
    expect(w.emitted('send')).toBeUndefined()
    await ta.trigger('keydown', { key: 'Enter' })
    expect(w.emitted('send')?.[0]).toEqual(['帮我整理下载文件夹', []])
  })

  it('Enter while an input method is composing never sends half a sentence', async () => {
    const w = mountWithApp(Composer, { props })
    const ta = w.get('textarea')
    await ta.setValue('zheng li')
    await ta.trigger('compositionstart')
    await ta.trigger('keydown', { key: 'Enter' })
    await ta.trigger('keydown', { key: 'Enter', isComposing: true })
    await ta.trigger('keydown', { key: 'Enter', keyCode: 229 })
    expect(w.emitted('send')).toBeUndefined()
  })

  it('shows Stop instead of Send while a run is going', () => {
    const w = mountWithApp(Composer, { props: { ...props, running: true } })
    expect(w.find('[data-testid=stop]').exists()).toBe(true)
    expect(w.find('[data-testid=send]').exists()).toBe(false)
  })
})

describe('ApprovalCard', () => {
  const part = (): ApprovalPart => ({
    type: 'approval', id: 'a1', tool: 'run_shell', arguments: { command: 'rm -rf build/ && npm run build' },
    reason: 'clean old build output', rule: null, detail: { risk: 'high' }, timeout: 300,
  })

  it('shows the exact command without a click, and no "always allow" for high risk', () => {
    const w = mountWithApp(ApprovalCard, { props: { conversationId: 'c1', part: part(), live: true } })
    expect(w.get('[data-testid=approval-command]').text()).toBe('rm -rf build/ && npm run build')
    expect(w.text()).toContain('风险：高')
    expect(w.text()).toContain('没有匹配的规则，默认询问')
    expect(w.text()).not.toContain('总是允许')
  })

  it('allow once posts the decision and collapses the card into a line', async () => {
    const calls: [string, RequestInit][] = []
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push([url, init])
      return new Response(null, { status: 204 })
    })
    const p = reactive(part()) // in the app the part lives inside a reactive turn
    const w = mountWithApp(ApprovalCard, { props: { conversationId: 'c1', part: p, live: true } })
    await w.get('[data-testid=approve-once]').trigger('click')
    await flushPromises()
    expect(calls[0][0]).toBe('/api/approvals/a1')
    expect(JSON.parse(calls[0][1].body as string)).toEqual({ decision: 'allow_once' })
    expect(p.decision).toBe('allow_once')
    expect(w.find('[data-testid=approval-card]').exists()).toBe(false)
    expect(w.get('[data-testid=approval-decided]').text()).toContain('你允许了一次')
  })
})

describe('ToolCard', () => {
  const tool = (state: ToolPart['state']): ToolPart => ({
    type: 'tool', id: 'c1', name: 'run_python', arguments: { code: 'print(1)' }, state, output: "KeyError '月份'", durationMs: 2000,
  })

  it('titles the line with a localised verb, never the raw function name', () => {
    const w = mountWithApp(ToolCard, { props: { part: tool('done') } })
    expect(w.text()).toContain('运行 Python')
    expect(w.text()).not.toContain('run_python')
  })

  it('a failed call opens by itself with the error in the title line', () => {
    const w = mountWithApp(ToolCard, { props: { part: tool('failed') } })
    expect(w.find('.detail').exists()).toBe(true)
    expect(w.get('.status').text()).toContain("KeyError '月份'")
  })

  it('the 工具详情 setting really decides whether finished calls start open', () => {
    const closed = mountWithApp(ToolCard, { props: { part: tool('done') } })
    expect(closed.find('.detail').exists()).toBe(false)
    usePrefs().update({ toolDetail: 'expanded' })
    expect(JSON.parse(localStorage.getItem('xdz.prefs')!).toolDetail).toBe('expanded')
    const open = mountWithApp(ToolCard, { props: { part: tool('done') } })
    expect(open.find('.detail').exists()).toBe(true)
  })
})

describe('MessageList', () => {
  it('keeps only a window of a 1,000-message conversation in the DOM', () => {
    const turns: Turn[] = Array.from({ length: 1000 }, (_, i) => ({
      key: `m${i}`, role: i % 2 ? 'assistant' : 'user', content: `消息 ${i}`, attachments: [],
      parts: i % 2 ? [{ type: 'text', text: `回答 ${i}` }] : [], status: 'done', messageIds: [i + 1], createdAt: new Date().toISOString(),
    }))
    vi.stubGlobal('ResizeObserver', class { observe() {} disconnect() {} })
    vi.stubGlobal('IntersectionObserver', class { observe() {} disconnect() {} })
    const w = mountWithApp(MessageList, { props: { conversationId: 'c1', turns, live: null, model: 'm' } })
    expect(w.findAll('[data-turn]').length).toBe(40)
    expect(w.text()).toContain('回答 999')
    expect(w.text()).not.toContain('消息 0')
    expect(w.text()).toContain('显示更早的 960 条')
  })
})
