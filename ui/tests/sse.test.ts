import { describe, expect, it } from 'vitest'
import { SseParser } from '@/api/sse'

describe('SseParser', () => {
  it('joins events split across chunks at any byte', () => {
    const text = 'event: text\ndata: {"seq":1,"text":"你好"}\n\nevent: done\ndata: {"seq":2}\n\n'
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser()
      const events = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))]
      expect(events.map((e) => e.event)).toEqual(['text', 'done'])
      expect(JSON.parse(events[0].data).text).toBe('你好')
    }
  })

  it('handles CRLF line ends, comments, ids and multi-line data', () => {
    const p = new SseParser()
    const events = p.push(': stream open\r\n\r\nid: 7\r\nevent: text\r\ndata: line1\r\ndata: line2\r\n\r\n')
    expect(events).toEqual([{ event: 'text', data: 'line1\nline2', id: '7' }])
  })

  it('a lone CR at the end of a chunk waits for the next chunk', () => {
    const p = new SseParser()
    expect(p.push('data: a\r')).toEqual([])
    expect(p.push('\n\r\n')).toEqual([{ event: 'message', data: 'a', id: undefined }])
  })

  it('ignores heartbeats and blocks without data', () => {
    const p = new SseParser()
    expect(p.push(': ping\n\nevent: text\n\n')).toEqual([])
  })
})
