import { describe, expect, it } from 'vitest'
import { looksChinese, renderMarkdown as render } from '@/lib/markdown'

// happy-dom's HTML parser drops the first element's tag inside DOMPurify (Chromium does not), so every
// input starts with a throwaway paragraph; the browser tests cover the real engine.
const renderMarkdown = (src: string, cache: boolean) => render(`x\n\n${src}`, cache)

function unsafe(html: string): string[] {
  const root = document.createElement('div')
  root.innerHTML = html
  const problems: string[] = []
  for (const el of root.querySelectorAll('*')) {
    if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE'].includes(el.tagName)) problems.push(el.tagName)
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) problems.push(attr.name)
      if (/^\s*(javascript|data|vbscript):/i.test(attr.value)) problems.push(`${attr.name}=${attr.value}`)
    }
  }
  return problems
}

describe('renderMarkdown', () => {
  it('never lets model output run script', () => {
    const evil = [
      '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[click](javascript:alert(1))',
      '<a href="javascript:alert(1)">x</a>', '![x](javascript:alert(1))', '<iframe src="https://evil"></iframe>',
      '<svg onload=alert(1)>', '[a](data:text/html;base64,PHNjcmlwdD4=)',
    ]
    for (const src of evil) expect(unsafe(renderMarkdown(src, false))).toEqual([])
    expect(renderMarkdown('<script>alert(1)</script>', false)).toContain('&lt;script&gt;')
  })

  it('renders code blocks with a header, copy button and a fold past 30 lines', () => {
    const long = '```python\n' + Array.from({ length: 40 }, (_, i) => `print(${i})`).join('\n') + '\n```'
    const html = renderMarkdown(long, false)
    expect(html).toContain('data-action="copy"')
    expect(html).toContain('class="code-block folded"')
    expect(html).toContain('language-python')
  })

  it('wraps tables for scrolling and opens links outside with the URL as title', () => {
    const html = renderMarkdown('| 地区 | 销售额 |\n| --- | --- |\n| 华东 | 18% |\n\n[官网](https://example.com)', false)
    expect(html).toContain('<div class="table-wrap"><table>')
    expect(html).toMatch(/<a[^>]+target="_blank"/)
    expect(html).toContain('title="https://example.com"')
  })

  it('marks Han text (without kana) as Chinese for font selection', () => {
    expect(looksChinese('第三季度增长')).toBe(true)
    expect(looksChinese('ひらがなと漢字')).toBe(false)
    expect(looksChinese('plain English')).toBe(false)
  })
})

describe('math', () => {
  const tex = (src: string) => [...renderMarkdown(src, false).matchAll(/data-tex="([^"]*)"/g)].map((m) => m[1])

  it('finds all four delimiter styles, next to Chinese characters too', () => {
    expect(tex('设 $x=1$，则 $y=x^2$。')).toEqual(['x=1', 'y=x^2'])
    expect(tex('面积 \\(\\pi r^2\\) 平方米')).toEqual(['\\pi r^2'])
    expect(tex('$$\n\\int_0^1 x\\,dx\n$$')).toEqual(['\\int_0^1 x\\,dx'])
    expect(tex('\\[ a^2+b^2=c^2 \\]')).toEqual(['a^2+b^2=c^2'])
  })

  it('leaves money alone', () => {
    expect(tex('苹果 $5 一斤，橙子 $10 两斤')).toEqual([])
  })

  it('code spans keep their dollars', () => {
    expect(tex('变量 `$HOME` 和 `$PATH`')).toEqual([])
  })
})

describe('links', () => {
  it('file names are not turned into web links, real URLs are', () => {
    const html = renderMarkdown('已写好 汇总.md 和 report.py，详见 https://example.com/a', false)
    expect(html).not.toContain('href="http://汇总.md"')
    expect(html).not.toContain('report.py"')
    expect(html).toContain('href="https://example.com/a"')
  })
})

describe('tables', () => {
  it('copy a table as tab-separated text that pastes into Excel as cells', async () => {
    const { tableToTsv } = await import('@/lib/markdown')
    const root = document.createElement('div')
    root.innerHTML = renderMarkdown('| 地区 | 销售额 |\n| --- | --- |\n| 华东 | 120 |\n| 华北 | 95 |', false)
    expect(root.querySelector('[data-action=copy-table]')).not.toBeNull()
    expect(tableToTsv(root.querySelector('table')!)).toBe('地区\t销售额\n华东\t120\n华北\t95')
  })
})
