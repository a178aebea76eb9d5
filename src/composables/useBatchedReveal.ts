import { getCurrentScope, onScopeDispose, readonly, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue'

export interface UseBatchedRevealOptions {
  /** The list; a new list (not a pushed item) starts over from its newest items. */
  items: MaybeRefOrGetter<readonly unknown[]>
  /** How many of the newest items the first paint shows. @default 24 */
  initial?: number
  /** How many older items each following task adds. @default 60 */
  batch?: number
}

export interface UseBatchedRevealReturn {
  /** Index of the first item to render; the older ones are still to come. */
  start: Readonly<Ref<number>>
  /** Shows every item at once. */
  revealAll: () => void
}

/**
 * Opens a long list on its newest items and adds the older ones a batch per task after the first
 * paint (a frame, then a task), never before it, so a long history shows at once.
 */
export function useBatchedReveal(options: UseBatchedRevealOptions): UseBatchedRevealReturn {
  const { items, initial = 24, batch = 60 } = options
  const start = shallowRef(0)
  let timer: ReturnType<typeof setTimeout> | null = null
  let frame = 0

  function cancel(): void {
    if (timer) clearTimeout(timer)
    if (frame) cancelAnimationFrame(frame)
    timer = null
    frame = 0
  }

  function revealOlder(): void {
    timer = null
    frame = 0
    if (start.value <= 0) return
    // Scroll anchoring (overflow-anchor) keeps what the reader sees in place as older items land above.
    start.value = Math.max(0, start.value - batch)
    if (start.value > 0) timer = setTimeout(revealOlder, 16)
  }

  watch(
    () => toValue(items),
    (list) => {
      cancel()
      start.value = Math.max(0, list.length - initial)
      if (start.value <= 0) return
      if (typeof requestAnimationFrame === 'function') frame = requestAnimationFrame(() => (timer = setTimeout(revealOlder, 0)))
      else timer = setTimeout(revealOlder, 16)
    },
    { immediate: true },
  )

  function revealAll(): void {
    cancel()
    start.value = 0
  }

  if (getCurrentScope()) onScopeDispose(cancel)
  return { start: readonly(start), revealAll }
}
