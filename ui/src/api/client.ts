/** The one API client: auth (bearer token or cookie), the backend's error shape, and SSE over fetch with resume. */
import { SseParser } from './sse'

const TOKEN_KEY = 'xdz.token'

/** An error from the API (`{"error": {"code", "message"}}`) or from the network (code "network"). */
export class ApiError extends Error {
  constructor(
    public code: string,
    message: string,
    public status = 0,
  ) {
    super(message)
  }

  get notAvailable(): boolean {
    return this.status === 404 && this.code === 'not_found' && /no API route/.test(this.message)
  }
}

type Listener = () => void
const unauthorizedListeners = new Set<Listener>()

/** Called whenever the API answers 401 (the router sends the user to the login page). */
export function onUnauthorized(fn: Listener): () => void {
  unauthorizedListeners.add(fn)
  return () => unauthorizedListeners.delete(fn)
}

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY)
  } catch {
    return null
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token)
    else sessionStorage.removeItem(TOKEN_KEY)
  } catch {
    /* storage disabled: the cookie still works */
  }
}

/** Desktop mode opens `/?token=…`: keep the token for this session, swap it for the cookie, clean the address bar. */
export async function adoptTokenFromUrl(loc: Location = window.location): Promise<boolean> {
  const url = new URL(loc.href)
  const token = url.searchParams.get('token')
  if (!token) return false
  setToken(token)
  url.searchParams.delete('token')
  history.replaceState(history.state, '', url.pathname + url.search + url.hash)
  await login(token).catch(() => undefined)
  return true
}

function headers(extra?: HeadersInit): Headers {
  const h = new Headers(extra)
  const token = getToken()
  if (token && !h.has('Authorization')) h.set('Authorization', `Bearer ${token}`)
  return h
}

async function errorFrom(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`
  let message = res.statusText
  try {
    const body = await res.json()
    if (body?.error) {
      code = body.error.code ?? code
      message = body.error.message ?? message
    }
  } catch {
    /* not JSON: keep the status line */
  }
  if (res.status === 401) unauthorizedListeners.forEach((fn) => fn())
  return new ApiError(code, message, res.status)
}

/** fetch with auth; throws ApiError for HTTP errors and for network failures. */
export async function raw(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init, headers: headers(init.headers) })
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e
    throw new ApiError('network', (e as Error).message || 'network error')
  }
  if (!res.ok) throw await errorFrom(res)
  return res
}

/** JSON request; `body` objects are sent as JSON, FormData as multipart. */
export async function api<T = unknown>(path: string, opts: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const init: RequestInit = { method: opts.method ?? 'GET', signal: opts.signal }
  if (opts.body instanceof FormData) init.body = opts.body
  else if (opts.body !== undefined) {
    init.body = JSON.stringify(opts.body)
    init.headers = { 'Content-Type': 'application/json' }
  }
  const res = await raw(path, init)
  if (res.status === 204) return undefined as T
  const type = res.headers.get('content-type') ?? ''
  return (type.includes('json') ? res.json() : res.text()) as Promise<T>
}

/** Like `api`, but a route that does not exist yet gives `null` instead of an error. */
export async function optional<T>(path: string): Promise<T | null> {
  try {
    return await api<T>(path)
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null
    throw e
  }
}

export async function login(token: string): Promise<void> {
  await api('/api/auth/login', { method: 'POST', body: { token } })
}

export async function logout(): Promise<void> {
  setToken(null)
  await api('/api/auth/logout', { method: 'POST' })
}

export interface StreamEvent {
  type: string
  data: Record<string, any>
}

export interface StreamOptions {
  /** Opens the stream (the POST that starts a run). */
  start: (signal: AbortSignal) => Promise<Response>
  /** Re-opens it after a drop: `GET …/events?after=SEQ`. */
  resume: (after: number, signal: AbortSignal) => Promise<Response>
  onEvent: (ev: StreamEvent) => void
  onReconnecting?: (attempt: number) => void
  onReconnected?: () => void
  signal: AbortSignal
  maxAttempts?: number
  /** Waits between attempts (tests pass a zero delay). */
  delay?: (attempt: number) => Promise<void>
}

const TERMINAL = new Set(['done', 'error'])

function backoff(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.min(500 * 2 ** (attempt - 1), 5000)))
}

/** Reads one response body; returns true when a terminal event arrived. */
async function pump(res: Response, opts: StreamOptions, state: { seq: number }): Promise<boolean> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  const parser = new SseParser()
  for (;;) {
    const { value, done } = await reader.read()
    const chunk = done ? decoder.decode() + '\n\n' : decoder.decode(value, { stream: true })
    for (const ev of parser.push(chunk)) {
      let data: Record<string, any>
      try {
        data = JSON.parse(ev.data)
      } catch {
        continue
      }
      if (typeof data.seq === 'number') {
        if (data.seq <= state.seq) continue // already seen before a reconnect
        state.seq = data.seq
      }
      opts.onEvent({ type: ev.event, data })
      if (TERMINAL.has(ev.event)) return true
    }
    if (done) return false
  }
}

/** Runs an event stream to its end, resuming with `after=` when the connection drops. Returns the last seq. */
export async function runStream(opts: StreamOptions): Promise<number> {
  const state = { seq: 0 }
  const max = opts.maxAttempts ?? 8
  const wait = opts.delay ?? backoff
  let attempt = 0
  let res: Response | null = await opts.start(opts.signal)
  for (;;) {
    const before = state.seq
    try {
      if (res && (await pump(res, opts, state))) return state.seq
    } catch (e) {
      if (opts.signal.aborted) return state.seq
      if (e instanceof ApiError && e.code !== 'network') throw e
    }
    if (opts.signal.aborted) return state.seq
    if (state.seq > before) attempt = 0 // progress was made: this is a fresh drop, not a retry
    attempt += 1
    if (attempt > max) throw new ApiError('network', 'the connection to the local service was lost')
    opts.onReconnecting?.(attempt)
    await wait(attempt)
    try {
      res = await opts.resume(state.seq, opts.signal)
      opts.onReconnected?.()
    } catch (e) {
      if (opts.signal.aborted) return state.seq
      if (e instanceof ApiError && e.code !== 'network') throw e
      res = null
    }
  }
}

/** POST that returns an event stream (chat). */
export function postStream(path: string, body: unknown, signal: AbortSignal): Promise<Response> {
  return raw(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    signal,
  })
}

export function getStream(path: string, signal: AbortSignal): Promise<Response> {
  return raw(path, { headers: { Accept: 'text/event-stream' }, signal })
}

/** A URL an <img> or <a download> can use: the cookie carries auth, so no token in it. */
export function fileUrl(path: string, download = false): string {
  const q = new URLSearchParams({ path })
  if (download) q.set('download', 'true')
  return `/api/files/content?${q}`
}
