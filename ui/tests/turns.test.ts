import { describe, expect, it } from 'vitest'
import type { StoredMessage } from '@/api/types'
import { answerText, applyEvent, buildTurns, newAssistantTurn, pendingDecisions, type ToolPart } from '@/lib/turns'

function play(events: [string, Record<string, unknown>][]) {
  const turn = newAssistantTurn('t')
  let now = 1000
  for (const [type, data] of events) applyEvent(turn, type, data, (now += 100))
  return turn
}

describe('event reducer', () => {
  it('joins text deltas into one answer and closes thinking when the answer starts', () => {
    const turn = play([['message_start', { message_id: 5, model: 'qwen-plus', run_id: 'r1' }], ['thinking', { text: '先想' }], ['thinking', { text: '一下' }], ['text', { text: '第三季度' }], ['text', { text: '增长 18%' }], ['done', { message_id: 5, usage: { prompt_tokens: 3 } }]])
    expect(turn.parts.map((p) => p.type)).toEqual(['thinking', 'text'])
    expect(answerText(turn)).toBe('第三季度增长 18%')
    const thinking = turn.parts[0] as { text: string; startedAt: number; endedAt: number }
    expect(thinking.text).toBe('先想一下')
    expect(thinking.endedAt).toBeGreaterThan(thinking.startedAt)
    expect([turn.status, turn.runId, turn.model]).toEqual(['done', 'r1', 'qwen-plus'])
  })

  it('a tool call runs, then shows its result, output and duration', () => {
    const turn = play([['tool_call', { id: 'c1', name: 'read_file', arguments: '{"path":"sales.xlsx"}' }], ['tool_result', { id: 'c1', ok: true, output: 'rows: 12', duration_ms: 400, artifacts: ['out/chart.png'] }]])
    const tool = turn.parts[0] as ToolPart
    expect([tool.state, tool.output, tool.durationMs]).toEqual(['done', 'rows: 12', 400])
    expect(tool.arguments).toEqual({ path: 'sales.xlsx' })
    expect(tool.artifacts).toEqual([{ path: 'out/chart.png', name: 'chart.png' }])
  })

  it('an approval pauses its tool call; a denied call shows as denied, not failed', () => {
    const turn = play([['tool_call', { id: 'c1', name: 'run_shell', arguments: { command: 'rm -rf build' } }], ['approval', { id: 'a1', tool: 'run_shell', arguments: { command: 'rm -rf build' }, call_id: 'c1', timeout: 300 }]])
    expect((turn.parts[0] as ToolPart).state).toBe('pending')
    expect(pendingDecisions(turn)).toHaveLength(1)
    const approval = turn.parts[1] as { decision?: string }
    approval.decision = 'deny'
    applyEvent(turn, 'tool_result', { id: 'c1', ok: false, output: 'Not run: the user denied this action.' })
    expect((turn.parts[0] as ToolPart).state).toBe('denied')
    expect((turn.parts[0] as ToolPart).deniedBy).toBe('user')
    expect(pendingDecisions(turn)).toHaveLength(0)
  })

  it('an error keeps the partial answer and stops running tools', () => {
    const turn = play([['text', { text: '部分' }], ['tool_call', { id: 'c1', name: 'run_python', arguments: {} }], ['error', { code: 'rate_limit', message: '429' }]])
    expect(answerText(turn)).toBe('部分')
    expect((turn.parts[1] as ToolPart).state).toBe('stopped')
    expect(turn.status).toBe('error')
    expect(turn.parts[2]).toMatchObject({ type: 'error', code: 'rate_limit' })
  })

  it('plan and memory events attach to the turn', () => {
    const turn = play([['plan', { steps: [{ title: '读取数据', status: 'done' }, { title: '作图', status: 'in_progress' }] }], ['memory', { items: [{ id: 1, content: '对花生过敏' }] }]])
    expect(turn.plan).toHaveLength(2)
    expect(turn.memory?.[0].content).toBe('对花生过敏')
  })
})

describe('buildTurns', () => {
  const base = { conversation_id: 'c', status: 'complete', created_at: '2026-03-02T10:00:00Z', updated_at: '2026-03-02T10:00:00Z' }
  const msgs: StoredMessage[] = [
    { ...base, id: 1, role: 'user', content: '分析 sales.xlsx' },
    { ...base, id: 2, role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"sales.xlsx"}' } } as never], run_id: 'r1' },
    { ...base, id: 3, role: 'tool', content: 'data', tool_call_id: 'c1', extra: { ok: true } },
    { ...base, id: 4, role: 'assistant', content: '增长 18%', run_id: 'r1', status: 'cancelled' },
  ]

  it('groups the assistant steps and tool results after a user message into one turn', () => {
    const turns = buildTurns(msgs)
    expect(turns.map((t) => t.role)).toEqual(['user', 'assistant'])
    const [tool, text] = turns[1].parts
    expect(tool).toMatchObject({ type: 'tool', name: 'read_file', state: 'done', output: 'data' })
    expect(text).toMatchObject({ type: 'text', text: '增长 18%' })
    expect(turns[1].messageIds).toEqual([2, 4])
    expect(turns[1].status).toBe('cancelled')
  })
})
