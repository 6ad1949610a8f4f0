/** An inline 已保存 that shows for a moment after an instant save. */
import { ref } from 'vue'

export function useSaved(): { saved: ReturnType<typeof ref<string | null>>; flash: (key: string) => void } {
  const saved = ref<string | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  function flash(key: string) {
    saved.value = key
    clearTimeout(timer)
    timer = setTimeout(() => (saved.value = null), 1500)
  }
  return { saved, flash }
}
