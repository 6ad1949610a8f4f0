import { describe, expect, it } from 'vitest'
import { dateBucket, fileSize, money, shortPath } from '@/lib/format'

describe('format', () => {
  const now = new Date(2026, 11, 1, 14, 5)
  it('groups dates like the sidebar: today, yesterday, 7 days, 30 days, month, year', () => {
    const at = (d: Date) => dateBucket(d.toISOString(), now, 'zh-CN')
    expect(at(new Date(2026, 11, 1, 9)).key).toBe('today')
    expect(at(new Date(2026, 10, 30, 23)).key).toBe('yesterday')
    expect(at(new Date(2026, 10, 27)).key).toBe('week')
    expect(at(new Date(2026, 10, 10)).key).toBe('month')
    expect(at(new Date(2026, 1, 3)).label).toBe('2026年2月')
    expect(at(new Date(2024, 5, 3)).label).toBe('2024年')
  })

  it('never shows a zero cost, and sizes read naturally', () => {
    expect(money(0, 'CNY', 'zh-CN')).toBe('')
    expect(money(null, 'CNY', 'zh-CN')).toBe('')
    expect(fileSize(48 * 1024, 'zh-CN')).toBe('48 KB')
  })

  it('shortens long paths in the middle, keeping the file name', () => {
    expect(shortPath('~/工作/客户项目/二〇二六年度/第三季度/汇报材料/季度报告-最终版-修订.docx')).toBe('~/工作/…/季度报告-最终版-修订.docx')
  })
})
