/** Enter-to-submit that never fires while an input method is composing (the IME bug peers shipped). */

export function isComposing(e: KeyboardEvent, composingFlag = false): boolean {
  return composingFlag || e.isComposing || e.keyCode === 229
}

/** Tracks compositionstart/end on an element, for engines that report isComposing late. */
export function useComposition(): { composing: { value: boolean }; onStart: () => void; onEnd: () => void } {
  const composing = { value: false }
  return {
    composing,
    onStart: () => (composing.value = true),
    // Some engines send the Enter keydown right after compositionend: clear the flag on the next tick.
    onEnd: () => setTimeout(() => (composing.value = false), 0),
  }
}

/** True when this keydown should submit (Enter, or Ctrl/Cmd+Enter when that mode is chosen). */
export function isSubmitKey(e: KeyboardEvent, composing: boolean, mode: 'enter' | 'ctrl-enter' = 'enter'): boolean {
  if (e.key !== 'Enter' || isComposing(e, composing)) return false
  if (mode === 'ctrl-enter') return e.ctrlKey || e.metaKey
  return !e.shiftKey && !e.altKey
}
