/** A markdown-it plugin that marks TeX ($…$, $$…$$, \(…\), \[…\]) for KaTeX, which loads only when a page has math. */
import type MarkdownIt from 'markdown-it'
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs'
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs'

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
}

const INLINE: [string, string][] = [['$$', '$$'], ['\\(', '\\)'], ['$', '$']]

// No word-boundary rule: 设 $x=1$，则 must render, so a CJK character next to a delimiter is fine.
function inlineMath(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state
  const pair = INLINE.find(([open]) => src.startsWith(open, pos))
  if (!pair) return false
  const [open, close] = pair
  const start = pos + open.length
  const end = src.indexOf(close, start)
  if (end <= start) return false
  if (open === '$') {
    // "$5 and $10" is money, not math: no space just inside the delimiters, no digit right after the closer.
    if (/\s/.test(src[start]) || /\s/.test(src[end - 1]) || /\d/.test(src[end + 1] ?? '')) return false
  }
  if (!silent) {
    const token = state.push('math_inline', 'span', 0)
    token.content = src.slice(start, end)
    token.meta = { display: open === '$$' }
  }
  state.pos = end + close.length
  return true
}

function lineAt(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line])
}

function blockMath(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const first = lineAt(state, startLine)
  const open = first.startsWith('$$') ? '$$' : first.startsWith('\\[') ? '\\[' : null
  if (!open) return false
  const close = open === '$$' ? '$$' : '\\]'
  let body = first.slice(2)
  let line = startLine
  let closed = body.trimEnd().endsWith(close)
  if (closed) body = body.trimEnd().slice(0, -2)
  while (!closed && ++line < endLine) {
    const text = lineAt(state, line).trimEnd()
    closed = text.endsWith(close)
    body += '\n' + (closed ? text.slice(0, -2) : text)
  }
  if (!closed) return false
  if (silent) return true
  state.line = line + 1
  const token = state.push('math_block', 'div', 0)
  token.block = true
  token.content = body.trim()
  token.map = [startLine, state.line]
  return true
}

export function mathPlugin(md: MarkdownIt): void {
  md.inline.ruler.before('escape', 'math_inline', inlineMath)
  md.block.ruler.before('fence', 'math_block', blockMath, { alt: ['paragraph', 'reference', 'blockquote', 'list'] })
  md.renderer.rules.math_inline = (tokens, idx) => {
    const tex = escape(tokens[idx].content)
    const cls = tokens[idx].meta?.display ? 'math display' : 'math'
    return `<span class="${cls}" data-tex="${tex}">${tex}</span>`
  }
  md.renderer.rules.math_block = (tokens, idx) => {
    const tex = escape(tokens[idx].content)
    return `<div class="math display" data-tex="${tex}">${tex}</div>\n`
  }
}
