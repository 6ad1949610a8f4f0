/** Shapes of the HTTP API, typed by hand from /openapi.json and the issue contracts. */

export interface Conversation {
  id: string
  title: string
  model: string | null
  pinned: boolean
  created_at: string
  updated_at: string
  // Set by the UI from live runs, not by the API.
  running?: boolean
  waiting?: boolean
}

export interface ConversationList {
  items: Conversation[]
  total: number
  limit: number
  offset: number
}

export interface ToolCallRecord {
  id: string
  name?: string
  arguments?: unknown
  function?: { name: string; arguments: string }
}

export interface StoredMessage {
  id: number
  conversation_id: string
  role: 'user' | 'assistant' | 'tool' | 'system' | string
  content: string
  reasoning?: string | null
  tool_calls?: ToolCallRecord[] | null
  tool_call_id?: string | null
  name?: string | null
  extra?: Record<string, unknown> | null
  model?: string | null
  usage?: Record<string, number> | null
  status: string
  error?: string | null
  run_id?: string | null
  created_at: string
  updated_at: string
}

export interface SearchHit {
  conversation_id: string
  conversation_title: string
  message_id: number
  role: string
  snippet: string
}

export interface Provider {
  name: string
  label?: string
  label_zh?: string
  configured?: boolean
  key_source?: string | null
  env_key?: string | null
  needs_key?: boolean
  custom_base?: boolean
  enabled?: boolean
  masked_key?: string | null
  key?: string | null
  base_url?: string | null
  default_base_url?: string | null
  models?: (string | { id?: string; name?: string; label?: string; vision?: boolean; tools?: boolean })[]
  status?: string
  error?: string | null
  key_storage?: string | null
}

export interface PolicyRule {
  id: string | number
  pattern: string
  kind?: string
  decision?: string
  scope?: string | null
  source?: string | null
  builtin?: boolean
  last_used?: string | null
  uses?: number
}

export interface Skill {
  name: string
  title?: string | null
  description: string
  group?: string | null
  status: 'ready' | 'needs_setup' | 'unavailable' | string
  missing?: string[] | string | null
  reason?: string | null
  enabled: boolean
  source?: string | null
  body?: string
}

export interface MemoryItem {
  id: string | number
  content: string
  kind?: string | null
  pinned?: boolean
  source_conversation_id?: string | null
  source_title?: string | null
  created_at?: string
  last_used_at?: string | null
  uses?: number
}

export interface FileEntry {
  name: string
  path: string
  kind: 'dir' | 'file'
  size: number | null
  modified: string
  mime: string | null
}

export interface FileListing {
  path: string
  parent: string | null
  items: FileEntry[]
  truncated: boolean
}

export interface RunChange {
  seq?: number
  op?: string
  path: string
  existed_before?: boolean
  undone?: boolean
  action?: string
  added?: number
  removed?: number
  modified_since?: boolean
}
