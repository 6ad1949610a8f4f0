/** Markdown → sanitized HTML: markdown-it with raw HTML off, then DOMPurify. Model output never runs script. */
import DOMPurify from 'dompurify'
import MarkdownIt from 'markdown-it'
import { mathPlugin } from './math'

let md: MarkdownIt | null = null
const cache = new Map<string, string>()
const CACHE_MAX = 800
const FOLD_LINES = 30

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

export interface CodeLabels { copy: string; wrap: string; expand: (n: number) => string; copyTable: string }

let labels: CodeLabels = { copy: 'Copy', wrap: 'Wrap', expand: (n) => `Show all (${n} lines)`, copyTable: 'Copy table' }

/** The code-block header labels follow the UI language; changing them clears the cache. */
export function setCodeLabels(l: CodeLabels): void {
  labels = l
  cache.clear()
}

function fence(code: string, info: string): string {
  const lang = escape(info.trim().split(/\s+/)[0] ?? '')
  const lines = code.replace(/\n$/, '').split('\n').length
  const folded = lines > FOLD_LINES
  const more = folded ? `<button class="code-more" data-action="expand">${escape(labels.expand(lines))}</button>` : ''
  return (
    `<div class="code-block${folded ? ' folded' : ''}"><div class="code-head"><span>${lang || 'text'}</span>` +
    `<span><button data-action="wrap">${escape(labels.wrap)}</button><button data-action="copy">${escape(labels.copy)}</button></span></div>` +
    `<pre><code${lang ? ` class="language-${lang}"` : ''}>${escape(code)}</code></pre>${more}</div>`
  )
}

function engine(): MarkdownIt {
  if (md) return md
  md = new MarkdownIt({ html: false, linkify: true, breaks: false })
  md.use(mathPlugin)
  // Only links with a scheme: 汇总.md or report.py must stay file names, not become http:// links.
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: false })
  md.renderer.rules.fence = (tokens, idx) => fence(tokens[idx].content, tokens[idx].info)
  md.renderer.rules.code_block = (tokens, idx) => fence(tokens[idx].content, '')
  md.renderer.rules.table_open = () => `<div class="table-box"><button class="table-copy" data-action="copy-table">${escape(labels.copyTable)}</button><div class="table-wrap"><table>`
  md.renderer.rules.table_close = () => '</table></div></div>'
  const defaultLink = md.renderer.rules.link_open ?? ((t, i, o, _e, self) => self.renderToken(t, i, o))
  md.renderer.rules.link_open = (tokens, idx, opts, env, self) => {
    const t = tokens[idx]
    t.attrSet('target', '_blank')
    t.attrSet('rel', 'noopener noreferrer')
    t.attrSet('title', t.attrGet('href') ?? '')
    return defaultLink(tokens, idx, opts, env, self)
  }
  return md
}

function hash(s: string): string {
  let h = 5381
  for (let i = 0; i < s.length; i++) h = ((h << 5) + h + s.charCodeAt(i)) | 0
  return `${s.length}:${h}`
}

const PURIFY = {
  ALLOWED_ATTR: ['data-tex', 'href', 'title', 'target', 'rel', 'class', 'data-action', 'src', 'alt', 'start', 'colspan', 'rowspan', 'align'],
  FORBID_TAGS: ['style', 'form', 'input', 'iframe', 'object', 'embed', 'script'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#|\/api\/files\/content\?)/i,
}

/** Renders Markdown to safe HTML; finished messages hit a cache keyed by content. */
export function renderMarkdown(src: string, useCache = true): string {
  const key = hash(src)
  if (useCache) {
    const hit = cache.get(key)
    if (hit !== undefined) return hit
  }
  const html = DOMPurify.sanitize(engine().render(src), PURIFY) as string
  if (useCache) {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!)
    cache.set(key, html)
  }
  return html
}

/** A rendered table as tab-separated text, which pastes into Excel / WPS as cells. */
export function tableToTsv(table: HTMLTableElement): string {
  return [...table.rows]
    .map((row) => [...row.cells].map((cell) => (cell.textContent ?? '').replace(/[\t\n]+/g, ' ').trim()).join('\t'))
    .join('\n')
}

/** True when text has Han characters and no kana: mark it lang="zh-CN" so CJK fonts pick Chinese glyphs. */
export function looksChinese(text: string): boolean {
  return /[\u4e00-\u9fff]/.test(text) && !/[\u3040-\u30ff]/.test(text)
}
