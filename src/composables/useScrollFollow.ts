import { getCurrentScope, onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue'
import { useEventListener } from './useEventListener'

export interface UseScrollFollowOptions {
  /** The scrolling element. */
  target: MaybeRefOrGetter<HTMLElement | null | undefined>
  /** The element inside `target` that grows; each change of its size scrolls to the end while following. @default undefined (no automatic following) */
  content?: MaybeRefOrGetter<HTMLElement | null | undefined>
  /** How close to the end (px) a reader scrolling down must come to follow again. @default 32 */
  threshold?: number
}

export interface UseScrollFollowReturn {
  /** Whether the view follows the end. The reader scrolling up sets it to false; set it to true to follow again. */
  following: ShallowRef<boolean>
  /** Scrolls `target` to its end (whether following or not). */
  scrollToEnd: () => void
}

const UPWARD_KEYS = new Set(['ArrowUp', 'PageUp', 'Home'])

/**
 * Keeps a growing view (a streamed answer) scrolled to its end while the reader is there, and
 * stops as soon as the reader scrolls up. Content growing never counts as the reader moving;
 * scrolling back down to the end follows again.
 */
export function useScrollFollow(options: UseScrollFollowOptions): UseScrollFollowReturn {
  const { target, content, threshold = 32 } = options
  const following = shallowRef(true)
  let lastScrollTop = 0
  /** Where our last scroll to the end put the view, until its scroll event comes. */
  let ownScrollTop: number | null = null

  function scrollToEnd(): void {
    const el = toValue(target)
    if (!el) return
    const before = el.scrollTop
    // The browser clamps to the end. (In the ResizeObserver, layout is done: reading forces none.)
    el.scrollTop = Number.MAX_SAFE_INTEGER
    // Where the reader's next scroll starts from, even before this one's event arrives.
    lastScrollTop = el.scrollTop
    if (lastScrollTop !== before) ownScrollTop = lastScrollTop
  }

  function onScroll(): void {
    const el = toValue(target)
    if (!el) return
    const top = el.scrollTop
    // Our own scroll to the end arrives a frame later, possibly after the reader asked to go up.
    const own = ownScrollTop !== null && Math.abs(top - ownScrollTop) <= 1
    ownScrollTop = null
    if (!own) {
      const distance = el.scrollHeight - top - el.clientHeight
      if (following.value) {
        // Only the reader moves the view up (wheel, keys, scrollbar); shorter content pulling
        // the view up to the new end is still following.
        if (top < lastScrollTop - 1 && distance > 1) following.value = false
      } else if (top > lastScrollTop + 1 && distance <= threshold) {
        following.value = true
      }
    }
    lastScrollTop = top
  }

  // Wheel and keys stop following before the scroll lands: the first steps of a smooth scroll
  // are small, and the stream's next frame would pull the reader back.
  function onWheel(event: WheelEvent): void {
    const el = toValue(target)
    if (event.deltaY < 0 && el && el.scrollTop > 0) following.value = false
  }

  function onKeydown(event: KeyboardEvent): void {
    const el = toValue(target)
    if (!el || el.scrollTop <= 0) return
    if (UPWARD_KEYS.has(event.key) || (event.key === ' ' && event.shiftKey)) following.value = false
  }

  useEventListener(target, 'scroll', onScroll, { passive: true })
  useEventListener<WheelEvent>(target, 'wheel', onWheel, { passive: true })
  useEventListener<KeyboardEvent>(target, 'keydown', onKeydown)

  // A ResizeObserver runs after layout and before paint: following costs no extra layout and
  // never lags a frame behind.
  let observer: ResizeObserver | null = null
  const stopWatch = watch(
    () => (content ? toValue(content) : null),
    (element) => {
      observer?.disconnect()
      observer = null
      if (!element || typeof ResizeObserver !== 'function') return
      observer = new ResizeObserver(() => {
        if (following.value) scrollToEnd()
      })
      observer.observe(element)
    },
    { immediate: true, flush: 'post' },
  )
  if (getCurrentScope()) {
    onScopeDispose(() => {
      stopWatch()
      observer?.disconnect()
    })
  }

  return { following, scrollToEnd }
}
