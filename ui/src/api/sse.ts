/** A tiny incremental parser for `text/event-stream` bodies (WHATWG rules, the parts the server uses). */

export interface SseEvent {
  event: string
  data: string
  id?: string
}

/** Feed it chunks of text; it returns the events completed by each chunk. */
export class SseParser {
  private buffer = ''
  private event = ''
  private data: string[] = []
  private id: string | undefined

  push(chunk: string): SseEvent[] {
    this.buffer += chunk
    const out: SseEvent[] = []
    let nl: number
    while ((nl = this.nextBreak()) >= 0) {
      let line = this.buffer.slice(0, nl)
      const skip = this.buffer[nl] === '\r' && this.buffer[nl + 1] === '\n' ? 2 : 1
      this.buffer = this.buffer.slice(nl + skip)
      if (line.endsWith('\r')) line = line.slice(0, -1)
      const done = this.line(line)
      if (done) out.push(done)
    }
    return out
  }

  private nextBreak(): number {
    const n = this.buffer.indexOf('\n')
    const r = this.buffer.indexOf('\r')
    // A lone \r at the very end may be the first half of \r\n: wait for more input.
    if (r >= 0 && (n < 0 || r < n)) return r === this.buffer.length - 1 ? -1 : r
    return n
  }

  private line(line: string): SseEvent | null {
    if (line === '') return this.dispatch()
    if (line.startsWith(':')) return null
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') this.event = value
    else if (field === 'data') this.data.push(value)
    else if (field === 'id') this.id = value
    return null
  }

  private dispatch(): SseEvent | null {
    if (this.data.length === 0) {
      this.event = ''
      return null
    }
    const ev: SseEvent = { event: this.event || 'message', data: this.data.join('\n'), id: this.id }
    this.event = ''
    this.data = []
    return ev
  }
}
