import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, ApiError, onUnauthorized, runStream, type StreamEvent } from '@/api/client'
import { frame, streamResponse } from './helpers'

afterEach(() => vi.unstubAllGlobals())

describe('api', () => {
  it('turns the backend error shape into an ApiError with code and message', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'not_found', message: 'no such conversation' } }), { status: 404 }))
    const err = await api('/api/conversations/x').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect([err.code, err.message, err.status]).toEqual(['not_found', 'no such conversation', 404])
  })

  it('a 401 tells the app to show the login page', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'x' } }), { status: 401 }))
    const seen = vi.fn()
    const off = onUnauthorized(seen)
    await api('/api/conversations').catch(() => undefined)
    off()
    expect(seen).toHaveBeenCalledOnce()
  })

  it('a refused connection becomes a "network" error, not a bare TypeError', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch')
    })
    const err = await api('/api/conversations').catch((e) => e)
    expect(err.code).toBe('network')
  })

  it('sends the session token as a bearer header', async () => {
    sessionStorage.setItem('xdz.token', 'abc')
    const fetchMock = vi.fn(async () => new Response('{}', { headers: { 'content-type': 'application/json' } }))
    vi.stubGlobal('fetch', fetchMock)
    await api('/api/conversations')
    const headers = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1].headers as Headers
    expect(headers.get('Authorization')).toBe('Bearer abc')
    sessionStorage.clear()
  })
})

describe('runStream', () => {
  it('resumes with after=<last seq> when the stream drops, and never repeats an event', async () => {
    const seen: StreamEvent[] = []
    const resumedAfter: number[] = []
    const lastSeq = await runStream({
      start: async () => streamResponse([frame(1, 'message_start'), frame(2, 'text', { text: '第一' })]),
      resume: async (after) => {
        resumedAfter.push(after)
        return streamResponse([frame(2, 'text', { text: '第一' }), frame(3, 'text', { text: '段' }), frame(4, 'done')])
      },
      onEvent: (e) => seen.push(e),
      signal: new AbortController().signal,
      delay: async () => undefined,
    })
    expect(resumedAfter).toEqual([2])
    expect(seen.map((e) => e.type)).toEqual(['message_start', 'text', 'text', 'done'])
    expect(lastSeq).toBe(4)
  })

  it('gives up with a network error after the allowed attempts', async () => {
    const attempts: number[] = []
    const err = await runStream({
      start: async () => streamResponse([frame(1, 'text', { text: 'a' })]),
      resume: async () => {
        throw new ApiError('network', 'refused')
      },
      onEvent: () => undefined,
      onReconnecting: (n) => attempts.push(n),
      signal: new AbortController().signal,
      maxAttempts: 3,
      delay: async () => undefined,
    }).catch((e) => e)
    expect(err.code).toBe('network')
    expect(attempts).toEqual([1, 2, 3])
  })

  it('stops at the terminal event without reconnecting', async () => {
    const resume = vi.fn()
    await runStream({
      start: async () => streamResponse([frame(1, 'error', { code: 'auth', message: 'bad key' })]),
      resume,
      onEvent: () => undefined,
      signal: new AbortController().signal,
    })
    expect(resume).not.toHaveBeenCalled()
  })
})
