/** After a message is rendered: typeset math with KaTeX and colour code with highlight.js, each loaded on first need. */

const LANGS: Record<string, () => Promise<{ default: any }>> = {
  python: () => import('highlight.js/lib/languages/python'),
  javascript: () => import('highlight.js/lib/languages/javascript'),
  typescript: () => import('highlight.js/lib/languages/typescript'),
  json: () => import('highlight.js/lib/languages/json'),
  bash: () => import('highlight.js/lib/languages/bash'),
  powershell: () => import('highlight.js/lib/languages/powershell'),
  sql: () => import('highlight.js/lib/languages/sql'),
  xml: () => import('highlight.js/lib/languages/xml'),
  css: () => import('highlight.js/lib/languages/css'),
  yaml: () => import('highlight.js/lib/languages/yaml'),
  markdown: () => import('highlight.js/lib/languages/markdown'),
  java: () => import('highlight.js/lib/languages/java'),
  go: () => import('highlight.js/lib/languages/go'),
  rust: () => import('highlight.js/lib/languages/rust'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  csharp: () => import('highlight.js/lib/languages/csharp'),
  ini: () => import('highlight.js/lib/languages/ini'),
}
const ALIASES: Record<string, string> = {
  py: 'python', js: 'javascript', ts: 'typescript', sh: 'bash', shell: 'bash', zsh: 'bash', ps1: 'powershell',
  html: 'xml', svg: 'xml', vue: 'xml', yml: 'yaml', md: 'markdown', c: 'cpp', 'c++': 'cpp', cs: 'csharp', toml: 'ini',
}

export function languageOf(el: Element): string | null {
  const m = el.className.match(/language-([\w+#-]+)/)
  if (!m) return null
  const lang = m[1].toLowerCase()
  const name = ALIASES[lang] ?? lang
  return name in LANGS ? name : null
}

async function highlight(codes: HTMLElement[]): Promise<void> {
  const hljs = (await import('highlight.js/lib/core')).default
  for (const el of codes) {
    const lang = languageOf(el)
    el.dataset.hl = '1'
    if (!lang) continue
    if (!hljs.getLanguage(lang)) hljs.registerLanguage(lang, (await LANGS[lang]()).default)
    // highlight.js escapes the text it wraps, so its HTML is as safe as the text was.
    el.innerHTML = hljs.highlight(el.textContent ?? '', { language: lang, ignoreIllegals: true }).value
  }
}

async function typeset(nodes: HTMLElement[]): Promise<void> {
  const [{ default: katex }] = await Promise.all([import('katex'), import('katex/dist/katex.min.css')])
  for (const el of nodes) {
    el.dataset.done = '1'
    try {
      katex.render(el.dataset.tex ?? '', el, { displayMode: el.classList.contains('display'), throwOnError: true, trust: false })
    } catch {
      el.classList.add('math-fallback') // a formula that does not parse stays as readable source, never a red error
    }
  }
}

/** Enhances the math and code inside `root`; safe to call again, already-done nodes are skipped. */
export async function enhance(root: HTMLElement): Promise<void> {
  const maths = [...root.querySelectorAll<HTMLElement>('.math[data-tex]:not([data-done])')]
  const codes = [...root.querySelectorAll<HTMLElement>('pre code:not([data-hl])')]
  await Promise.all([maths.length ? typeset(maths) : null, codes.length ? highlight(codes) : null])
}
