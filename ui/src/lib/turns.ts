/** The chat's view model: turns built from stored messages, and the reducer that applies live run events. */
import type { StoredMessage, ToolCallRecord } from '@/api/types'

export type ToolState = 'queued' | 'running' | 'done' | 'failed' | 'denied' | 'stopped' | 'pending'

export interface Artifact {
  kind?: string
  path?: string
  name?: string
  mime?: string
  size?: number
  action?: string
  diff?: string
}

export interface ToolPart {
  type: 'tool'
  id: string
  name: string
  arguments: Record<string, unknown>
  state: ToolState
  output?: string
  artifacts?: Artifact[]
  durationMs?: number
  startedAt?: number
  rule?: string
  deniedBy?: 'user' | 'rule' | 'timeout'
}
export interface TextPart { type: 'text'; text: string }
export interface ThinkingPart { type: 'thinking'; text: string; startedAt?: number; endedAt?: number }
export interface ApprovalPart {
  type: 'approval'
  id: string
  tool: string
  arguments: Record<string, unknown>
  reason?: string
  rule?: string | null
  detail?: Record<string, any> | string | null
  callId?: string
  timeout?: number
  decision?: string
  decidedAt?: number
}
export interface QuestionPart { type: 'question'; id: string; text: string; choices: string[]; answer?: string }
export interface ErrorPart { type: 'error'; code: string; message: string }
export type Part = ToolPart | TextPart | ThinkingPart | ApprovalPart | QuestionPart | ErrorPart

export interface PlanStep { title: string; status: string; reason?: string }
export interface MemoryRef { id: string | number; content: string; kind?: string }

export type TurnStatus = 'streaming' | 'done' | 'error' | 'cancelled' | 'interrupted'

export interface Turn {
  key: string
  role: 'user' | 'assistant'
  content: string
  attachments: { name: string; size?: number; path?: string }[]
  parts: Part[]
  status: TurnStatus
  model?: string | null
  usage?: Record<string, number> | null
  cost?: number | null
  messageIds: number[]
  runId?: string | null
  plan?: PlanStep[]
  memory?: MemoryRef[]
  createdAt: string
  startedAt?: number
  endedAt?: number
}

export function parseArgs(raw: unknown): Record<string, unknown> {
  if (raw && typeof raw === 'object') return raw as Record<string, unknown>
  if (typeof raw === 'string' && raw.trim()) {
    try {
      const v = JSON.parse(raw)
      return v && typeof v === 'object' ? v : { value: v }
    } catch {
      return { raw }
    }
  }
  return {}
}

function toolFromRecord(rec: ToolCallRecord): ToolPart {
  return {
    type: 'tool',
    id: rec.id,
    name: rec.function?.name ?? rec.name ?? '?',
    arguments: parseArgs(rec.function?.arguments ?? rec.arguments),
    state: 'stopped',
  }
}

const STATUS: Record<string, TurnStatus> = {
  cancelled: 'cancelled', interrupted: 'interrupted', error: 'error', failed: 'error', streaming: 'interrupted',
}

export function newAssistantTurn(key: string, createdAt = new Date().toISOString()): Turn {
  return { key, role: 'assistant', content: '', attachments: [], parts: [], status: 'streaming', messageIds: [], createdAt }
}

function userTurn(m: StoredMessage): Turn {
  // The server keeps attachment ids (file names under uploads/); older rows may hold objects.
  const raw = (m.extra?.attachments as (string | Turn['attachments'][number])[] | undefined) ?? []
  const atts = raw.map((a) => (typeof a === 'string' ? { name: a, path: `uploads/${a}` } : a))
  return {
    key: `m${m.id}`, role: 'user', content: m.content, attachments: atts, parts: [], status: 'done',
    messageIds: [m.id], createdAt: m.created_at,
  }
}

function addAssistant(turn: Turn, m: StoredMessage): void {
  turn.messageIds.push(m.id)
  turn.model = m.model ?? turn.model
  turn.usage = m.usage ?? turn.usage
  turn.runId = m.run_id ?? turn.runId
  turn.status = STATUS[m.status] ?? 'done'
  if (m.reasoning) turn.parts.push({ type: 'thinking', text: m.reasoning })
  if (m.content) turn.parts.push({ type: 'text', text: m.content })
  for (const rec of m.tool_calls ?? []) turn.parts.push(toolFromRecord(rec))
  if (m.error) turn.parts.push({ type: 'error', code: m.error, message: '' })
  const plan = m.extra?.plan as PlanStep[] | undefined
  if (plan) turn.plan = plan
  const memory = m.extra?.memory as MemoryRef[] | undefined
  if (memory) turn.memory = memory
}

function addToolResult(turn: Turn | undefined, m: StoredMessage): void {
  const part = turn?.parts.find((p): p is ToolPart => p.type === 'tool' && p.id === m.tool_call_id)
  if (!part) return
  const ok = m.status !== 'error' && m.extra?.ok !== false
  part.output = m.content
  part.state = m.extra?.denied ? 'denied' : ok ? 'done' : 'failed'
  part.artifacts = normalizeArtifacts(m.extra?.artifacts) ?? part.artifacts
  part.durationMs = (m.extra?.duration_ms as number | undefined) ?? part.durationMs
  part.rule = (m.extra?.rule as string | undefined) ?? part.rule
}

/** Stored messages → turns: consecutive assistant and tool messages after a user message form one turn. */
export function buildTurns(messages: StoredMessage[]): Turn[] {
  const turns: Turn[] = []
  for (const m of messages) {
    const last = turns[turns.length - 1]
    if (m.role === 'user') turns.push(userTurn(m))
    else if (m.role === 'assistant') {
      const turn = last?.role === 'assistant' ? last : newAssistantTurn(`m${m.id}`, m.created_at)
      if (turn !== last) turns.push(turn)
      addAssistant(turn, m)
    } else if (m.role === 'tool') addToolResult(last?.role === 'assistant' ? last : undefined, m)
  }
  return turns
}

function lastPart(turn: Turn): Part | undefined {
  return turn.parts[turn.parts.length - 1]
}

function closeThinking(turn: Turn, now: number): void {
  for (const p of turn.parts) if (p.type === 'thinking' && p.endedAt === undefined) p.endedAt = now
}

function settleTools(turn: Turn, state: ToolState): void {
  for (const p of turn.parts) if (p.type === 'tool' && (p.state === 'running' || p.state === 'pending' || p.state === 'queued')) p.state = state
}

function findTool(turn: Turn, id: string): ToolPart | undefined {
  return turn.parts.find((p): p is ToolPart => p.type === 'tool' && p.id === id)
}

/** Artifacts arrive as paths or as objects; the UI always sees objects. */
export function normalizeArtifacts(list: unknown): Artifact[] | undefined {
  if (!Array.isArray(list)) return undefined
  return list.map((a) => (typeof a === 'string' ? { path: a, name: a.split('/').pop() } : (a as Artifact)))
}

// Who refused a call: the user's deny on its approval card, a timeout, or a policy rule.
function denial(turn: Turn, id: string, ok: boolean, output: string): ToolPart['deniedBy'] | null {
  if (ok) return null
  const approval = turn.parts.find((p): p is ApprovalPart => p.type === 'approval' && p.callId === id)
  if (approval?.decision === 'deny') return 'user'
  if (approval?.decision === 'timeout') return 'timeout'
  if (output.startsWith('Refused by the safety policy')) return 'rule'
  return null
}

function onToolResult(turn: Turn, d: Record<string, any>, now: number): void {
  const part = findTool(turn, d.id)
  if (!part) return
  const output = d.output
  part.output = typeof output === 'string' ? output : JSON.stringify(output, null, 2)
  const deniedBy = d.denied ? (d.denied_by ?? 'user') : denial(turn, part.id, d.ok !== false, part.output ?? '')
  part.state = deniedBy ? 'denied' : d.ok === false ? 'failed' : 'done'
  if (deniedBy) part.deniedBy = deniedBy
  part.artifacts = normalizeArtifacts(d.artifacts) ?? part.artifacts
  part.durationMs = d.duration_ms ?? (part.startedAt ? now - part.startedAt : undefined)
  part.rule = d.rule ?? part.rule
}

function onApproval(turn: Turn, d: Record<string, any>): void {
  const args = parseArgs(d.arguments)
  const callId = d.call_id ?? d.tool_call_id
  turn.parts.push({
    type: 'approval', id: String(d.id), tool: d.tool, arguments: args, reason: d.reason, rule: d.rule,
    detail: d.detail, callId, timeout: typeof d.timeout === 'number' ? d.timeout : undefined,
  })
  // The tool line waits for the decision; match it by id first, else the newest running call of that tool.
  const byId = callId ? findTool(turn, callId) : undefined
  const running = [...turn.parts].reverse().find((p): p is ToolPart => p.type === 'tool' && p.name === d.tool && p.state === 'running')
  const target = byId ?? running
  if (target) target.state = 'pending'
}

type Handler = (turn: Turn, d: Record<string, any>, now: number) => void

const HANDLERS: Record<string, Handler> = {
  message_start(turn, d) {
    if (typeof d.message_id === 'number') turn.messageIds.push(d.message_id)
    turn.runId = d.run_id ?? turn.runId
    turn.model = d.model ?? turn.model
  },
  text(turn, d, now) {
    closeThinking(turn, now)
    const last = lastPart(turn)
    if (last?.type === 'text') last.text += d.text ?? ''
    else turn.parts.push({ type: 'text', text: d.text ?? '' })
  },
  thinking(turn, d, now) {
    const last = lastPart(turn)
    if (last?.type === 'thinking') last.text += d.text ?? ''
    else turn.parts.push({ type: 'thinking', text: d.text ?? '', startedAt: now })
  },
  tool_call(turn, d, now) {
    closeThinking(turn, now)
    turn.parts.push({ type: 'tool', id: String(d.id), name: d.name, arguments: parseArgs(d.arguments), state: 'running', startedAt: now })
  },
  tool_result: onToolResult,
  approval: onApproval,
  question(turn, d) {
    turn.parts.push({ type: 'question', id: String(d.id), text: d.text, choices: d.choices ?? [] })
  },
  plan(turn, d) {
    turn.plan = d.steps ?? []
  },
  memory(turn, d) {
    turn.memory = d.items ?? []
  },
  error(turn, d, now) {
    closeThinking(turn, now)
    settleTools(turn, 'stopped')
    turn.parts.push({ type: 'error', code: d.code ?? 'internal', message: d.message ?? '' })
    turn.status = 'error'
    turn.endedAt = now
  },
  done(turn, d, now) {
    closeThinking(turn, now)
    settleTools(turn, 'stopped')
    if (typeof d.message_id === 'number' && !turn.messageIds.includes(d.message_id)) turn.messageIds.push(d.message_id)
    turn.usage = d.usage ?? turn.usage
    turn.cost = d.cost ?? turn.cost
    if (turn.status === 'streaming') turn.status = d.cancelled ? 'cancelled' : 'done'
    turn.endedAt = now
  },
}

/** Applies one live run event to the assistant turn it belongs to. */
export function applyEvent(turn: Turn, type: string, data: Record<string, any>, now = Date.now()): void {
  HANDLERS[type]?.(turn, data, now)
}

/** The approvals and questions still waiting for the user in a turn. */
export function pendingDecisions(turn: Turn): (ApprovalPart | QuestionPart)[] {
  return turn.parts.filter(
    (p): p is ApprovalPart | QuestionPart =>
      (p.type === 'approval' && !p.decision) || (p.type === 'question' && p.answer === undefined),
  )
}

/** Plain text of an answer (for copy). */
export function answerText(turn: Turn): string {
  return turn.parts.filter((p): p is TextPart => p.type === 'text').map((p) => p.text).join('\n\n')
}
