import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import en from '@/i18n/en'
import zhCN from '@/i18n/zh-CN'
import { KNOWN_TOOLS } from '@/lib/tools'

function keys(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? sources(p) : /\.(vue|ts)$/.test(name) ? [p] : []
  })
}

const zhKeys = new Set(keys(zhCN))

describe('locales', () => {
  it('zh-CN and en have exactly the same keys', () => {
    expect(keys(en).sort()).toEqual([...zhKeys].sort())
  })

  it('no message is empty in either language', () => {
    const empty = (o: Record<string, unknown>) => keys(o).filter((k) => !k.split('.').reduce((v: any, p) => v[p], o))
    expect(empty(zhCN)).toEqual([])
    expect(empty(en)).toEqual([])
  })

  it('every literal key used in the code exists', () => {
    const used = new Set<string>()
    for (const file of sources(join(__dirname, '../src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bte?\(\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(m[1])
    }
    expect([...used].filter((k) => !zhKeys.has(k))).toEqual([])
    expect(used.size).toBeGreaterThan(150)
  })

  it('every built-in tool has a localised verb', () => {
    expect(KNOWN_TOOLS.filter((name) => !zhKeys.has(`tool.verb.${name}`))).toEqual([])
  })

  it('Chinese copy uses full-width punctuation and no trailing 。 on short labels', () => {
    const zhValues = keys(zhCN).map((k) => [k, k.split('.').reduce((v: any, p) => v[p], zhCN as any) as string])
    const halfWidth = zhValues.filter(([, v]) => /[\u4e00-\u9fff][,:;?!]/.test(v))
    expect(halfWidth).toEqual([])
  })
})
