/** Dates, numbers and sizes through Intl, in the UI language. */

export type DateBucket = { key: string; label: string; params?: Record<string, unknown> }

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()
}

/** The sidebar group of a date: today, yesterday, 7 days, 30 days, then one per month this year, one per year. */
export function dateBucket(iso: string, now = new Date(), locale = 'zh-CN'): DateBucket {
  const d = new Date(iso)
  const days = Math.round((startOfDay(now) - startOfDay(d)) / 86_400_000)
  if (days <= 0) return { key: 'today', label: 'today' }
  if (days === 1) return { key: 'yesterday', label: 'yesterday' }
  if (days < 7) return { key: 'week', label: 'week' }
  if (days < 30) return { key: 'month', label: 'month' }
  if (d.getFullYear() === now.getFullYear()) {
    const label = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long' }).format(d)
    return { key: `m${d.getFullYear()}-${d.getMonth()}`, label }
  }
  return { key: `y${d.getFullYear()}`, label: new Intl.DateTimeFormat(locale, { year: 'numeric' }).format(d) }
}

/** 今天 14:05 / 3月2日 / 2025年12月1日 style, short. */
export function shortTime(iso: string, locale: string, now = new Date()): string {
  const d = new Date(iso)
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(d)
  if (startOfDay(d) === startOfDay(now)) return time
  if (d.getFullYear() === now.getFullYear()) {
    return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }).format(d) + ' ' + time
  }
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(d)
}

export function compact(n: number, locale: string): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(n)
}

export function fileSize(bytes: number | null | undefined, locale: string): string {
  if (bytes === null || bytes === undefined) return ''
  const units = ['B', 'KB', 'MB', 'GB']
  let v = bytes
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i += 1
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: i ? 1 : 0 }).format(v)} ${units[i]}`
}

export function seconds(ms: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ms / 1000)
}

/** Shortens a long path in the middle: ~/工作/…/报告.docx. */
export function shortPath(path: string, max = 42): string {
  if (path.length <= max) return path
  const parts = path.split('/')
  if (parts.length <= 2) return path.slice(0, max / 2) + '…' + path.slice(-max / 2)
  const head = parts.slice(0, 2).join('/')
  const tail = parts[parts.length - 1]
  return `${head}/…/${tail}`
}

/** Cost in the provider's currency; nothing when unknown (never ¥0.00). */
export function money(cost: number | null | undefined, currency: string, locale: string): string {
  if (!cost) return ''
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumSignificantDigits: 2 }).format(cost)
}
